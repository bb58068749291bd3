"""The admin's list of agreements: the partner's name (which wraps, so the list fits beside its
filters on a laptop: tests/e2e/test_admin_agreement_width.py) and the academic years in force
in one column, as the catalogue writes them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:programmes_agreement_changelist")


def test_each_agreement_shows_its_partner_and_years_in_force(client, dri):
    AgreementFactory(partner=PartnerFactory(name="Zagreb Tech"), first_year=2024, last_year=2027)
    AgreementFactory(partner=PartnerFactory(name="Aalto University"), first_year=2025)
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(CHANGELIST, {"o": "1"})  # by the partner's name
    content = response.content.decode()
    assert [agreement.partner.name for agreement in response.context["cl"].result_list] == [
        "Aalto University",
        "Zagreb Tech",
    ]
    assert "2024–2025 … 2027–2028" in content
    assert "from 2025–2026" in content
    assert '<td class="field-years">' in content
    assert "nowrap" not in content.split('id="result_list"')[1].split("</table>")[0]


def test_the_list_reads_the_partners_with_the_agreements(client, dri):
    client.force_login(dri)
    AgreementFactory()
    client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    for _index in range(20):
        AgreementFactory()
    with CaptureQueriesContext(connection) as many:
        client.get(CHANGELIST)
    assert len(many.captured_queries) == len(few.captured_queries)
