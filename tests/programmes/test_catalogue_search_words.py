"""The catalogue's search takes each word typed on its own, as the staff queue's does: every word
must be found in the partner's name, city, country or fields. It looked for the whole text at
once, so "Politecnico Milano" found nothing (the name is "Politecnico di Milano"), nor did
"telecom berlin", nor "Allemagne" (the country is a menu, but people type it)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import PartnerFactory, StudyFieldFactory

pytestmark = pytest.mark.django_db


def partner_names(response) -> list[str]:
    titles = re.findall(
        r'<h2 class="h5 card-title"><a [^>]*>([^<]*)</a>', response.content.decode()
    )
    return [unescape(title) for title in titles]


@pytest.fixture
def partners():
    telecom = StudyFieldFactory(slug="telecommunications", name="Telecommunications")
    PartnerFactory(name="Politecnico di Milano", country="IT", city="Milan")
    PartnerFactory(name="Politecnico di Torino", country="IT", city="Turin")
    berlin = PartnerFactory(name="Technische Universität Berlin", country="DE", city="Berlin")
    berlin.fields.set([telecom])
    PartnerFactory(name="Freie Universität Berlin", country="DE", city="Berlin")
    PartnerFactory(name="KTH Royal Institute of Technology", country="SE", city="Stockholm")


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("fr", "Politecnico Milano", ["Politecnico di Milano"]),
        ("fr", "politecnico  TORINO ", ["Politecnico di Torino"]),
        ("fr", "telecom berlin", ["Technische Universität Berlin"]),
        ("fr", "universitat berlin", ["Freie Universität Berlin", "Technische Universität Berlin"]),
        ("fr", "Allemagne", ["Freie Universität Berlin", "Technische Universität Berlin"]),
        ("fr", "suede", ["KTH Royal Institute of Technology"]),
        ("en", "Germany telecom", ["Technische Universität Berlin"]),
        ("en", "Sweden", ["KTH Royal Institute of Technology"]),
        ("fr", "Politecnico Berlin", []),
    ],
)
def test_every_word_is_found_somewhere_in_the_partner(client, partners, language, typed, expected):
    response = client.get(
        reverse("programmes:catalogue"), {"q": typed}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert partner_names(response) == expected
