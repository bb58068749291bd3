"""A partner's e-mail for nominations (its incoming mobility office), kept in the admin."""

import pytest
from django.urls import reverse

from apps.programmes.models import Partner
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def change_form(partner: Partner, **fields) -> dict:
    return {
        "name": partner.name,
        "country": partner.country.code,
        "city": "",
        "website": "",
        "hei_id": "",
        "nomination_email": "",
        "agreements-TOTAL_FORMS": "0",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_the_dri_sets_the_address_in_the_partners_admin(client, dri):
    partner = PartnerFactory(name="Universität Wien", country="AT")
    url = reverse("admin:programmes_partner_change", args=[partner.pk])
    client.force_login(dri)
    assert 'name="nomination_email"' in client.get(url).content.decode()
    response = client.post(url, change_form(partner, nomination_email="incoming@univie.example"))
    assert response.status_code == 302, response.context["adminform"].errors
    partner.refresh_from_db()
    assert partner.nomination_email == "incoming@univie.example"


def test_the_address_may_stay_empty_but_must_be_an_address(client, dri):
    partner = PartnerFactory(nomination_email="old@partner.example")
    url = reverse("admin:programmes_partner_change", args=[partner.pk])
    client.force_login(dri)
    response = client.post(url, change_form(partner, nomination_email="not an address"))
    assert response.status_code == 200
    partner.refresh_from_db()
    assert partner.nomination_email == "old@partner.example"
    assert client.post(url, change_form(partner)).status_code == 302
    partner.refresh_from_db()
    assert partner.nomination_email == ""
