"""The admin's lists of partners and agreements filter by the countries partners are in: the
filter listed every country of the world (about 250 links, a sidebar 6,000 pixels tall) to
find the school's 26."""

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changelist", "parameter"),
    [
        ("admin:programmes_partner_changelist", "country"),
        ("admin:programmes_agreement_changelist", "partner__country"),
    ],
)
def test_the_country_filter_offers_the_partners_countries_only(client, dri, changelist, parameter):
    AgreementFactory(partner=PartnerFactory(country="DE"))
    AgreementFactory(partner=PartnerFactory(country="JP"))
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(reverse(changelist)).content.decode()

    assert f"?{parameter}=DE" in page
    assert f"?{parameter}=JP" in page
    assert f"?{parameter}=ZW" not in page  # Zimbabwe: no partner there


def test_the_filter_still_selects_a_country(client, dri):
    german = PartnerFactory(country="DE", name="Universität Filterstadt")
    PartnerFactory(country="JP", name="Filter University of Japan")
    client.force_login(dri)

    response = client.get(reverse("admin:programmes_partner_changelist"), {"country": "DE"})

    assert list(response.context["cl"].result_list) == [german]
