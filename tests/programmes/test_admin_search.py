"""The admin's partner and agreement searches find names however their accents and case are
typed, as the catalogue's search does (mobility_portal/search.py): "Universite" did not find
"Université", nor "Sao Paulo" "São Paulo", nor "munchen" "München"."""

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners():
    return {
        "montreal": PartnerFactory(name="Université de Montréal", city="Montréal", country="CA"),
        "sao_paulo": PartnerFactory(name="Universidade de São Paulo", city="São Paulo"),
        "munich": PartnerFactory(
            name="Technische Universität München", city="München", country="DE"
        ),
        "kth": PartnerFactory(name="KTH Royal Institute of Technology", city="Stockholm"),
    }


def found(client, changelist: str, term: str) -> list:
    response = client.get(reverse(changelist), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Universite", "montreal"),
        ("UNIVERSITE DE MONTREAL", "montreal"),
        ("université", "montreal"),
        ("Sao Paulo", "sao_paulo"),
        ("munchen", "munich"),
        ("Universitat Munchen", "munich"),
        ('"technische universitat"', "munich"),
    ],
)
def test_the_partner_search_leaves_accents_and_case_aside(client, dri, partners, term, expected):
    client.force_login(dri)
    assert found(client, "admin:programmes_partner_changelist", term) == [partners[expected]]


def test_the_partner_search_finds_a_city_without_its_accents(client, dri, partners):
    client.force_login(dri)
    result = found(client, "admin:programmes_partner_changelist", "montreal")
    assert result == [partners["montreal"]]
    assert found(client, "admin:programmes_partner_changelist", "MUNCHEN") == [partners["munich"]]


@pytest.mark.parametrize(
    ("term", "expected"), [("Universite", "montreal"), ("sao paulo", "sao_paulo")]
)
def test_the_agreement_search_finds_its_partner_without_accents(
    client, dri, partners, term, expected
):
    agreements = {key: AgreementFactory(partner=partner) for key, partner in partners.items()}
    client.force_login(dri)
    result = found(client, "admin:programmes_agreement_changelist", term)
    assert result == [agreements[expected]]


def test_the_agreement_form_s_partner_autocomplete_finds_it_too(client, dri, partners):
    """The agreement form picks its partner through the partner admin's search."""
    client.force_login(dri)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "munchen",
            "app_label": "programmes",
            "model_name": "agreement",
            "field_name": "partner",
        },
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(partners["munich"].pk)]
