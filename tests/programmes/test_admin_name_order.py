"""The catalogue's lists in the admin are in the order a reader sorts names, as the portal's own
lists are: they were in the order of the bytes, "ETH Zurich" before "Eindhoven" and
"École polytechnique" last."""

import re

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "ETH Zurich",
    "École polytechnique fédérale de Lausanne",
    "Eindhoven",
    "KU Leuven",
    "Karlsruhe",
]
READER_ORDER = [
    "École polytechnique fédérale de Lausanne",
    "Eindhoven",
    "ETH Zurich",
    "Karlsruhe",
    "KU Leuven",
]


def names_in(content: str) -> list[str]:
    found = re.findall(
        r'<(?:th|td) class="field-(?:name|partner_name)[^"]*">(?:<a [^>]*>)?([^<]+)<', content
    )
    return [name for name in found if name in NAMES]


def test_partners_are_listed_as_a_reader_sorts_them(admin_client):
    for name in NAMES:
        PartnerFactory(name=name)
    content = admin_client.get(reverse("admin:programmes_partner_changelist")).content.decode()
    assert names_in(content) == READER_ORDER


def test_agreements_are_listed_by_their_partners_name_as_a_reader_sorts_them(admin_client):
    for name in NAMES:
        AgreementFactory(partner=PartnerFactory(name=name))
    content = admin_client.get(reverse("admin:programmes_agreement_changelist")).content.decode()
    assert names_in(content) == READER_ORDER
