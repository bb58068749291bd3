"""A partner with no agreement still offered says so on its catalogue card: a stay there is
outside partnerships, at the student's own cost. The card showed no badge at all, the same as
a partner whose data was simply incomplete, and only its page gave the warning."""

import re

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def card(response, partner: str) -> str:
    found = re.search(
        rf">{re.escape(partner)}</a></h2>(.*?)</article>", response.content.decode(), re.S
    )
    return found.group(1)


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "hors partenariat"), ("en", "outside partnerships")]
)
def test_a_partner_without_agreement_in_force_is_marked_outside_partnerships(
    client, language, words
):
    AgreementFactory(partner__name="Imperial", kind="exchange", first_year=2016, last_year=2020)
    PartnerFactory(name="Never Signed")
    AgreementFactory(partner__name="Still Partner", kind="exchange", first_year=2016)

    response = client.get(reverse("programmes:catalogue"), HTTP_ACCEPT_LANGUAGE=language)

    assert words in card(response, "Imperial")
    assert words in card(response, "Never Signed")
    assert words not in card(response, "Still Partner")
