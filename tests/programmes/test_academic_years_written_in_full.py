"""An academic year is written with its four digits: the admin took "27" for a call and "24" for
an agreement's first year, and students then saw a call for "27–28" and an agreement "from
24–25", which no plan's dates could ever fall in."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.programmes.models import Call
from tests.factories import AgreementFactory, CallFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [27, 207, 20270])
def test_a_call_refuses_a_year_not_written_in_full(year):
    call = CallFactory.build(academic_year=year)
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert list(refused.value.message_dict) == ["academic_year"]


@pytest.mark.parametrize(("field", "year"), [("first_year", 24), ("last_year", 26)])
def test_an_agreement_refuses_a_year_not_written_in_full(field, year):
    agreement = AgreementFactory.build(partner=PartnerFactory(), first_year=2024, last_year=None)
    setattr(agreement, field, year)
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert field in refused.value.message_dict


def test_years_written_in_full_are_kept():
    CallFactory.build(academic_year=2027).full_clean()
    agreement = AgreementFactory.build(partner=PartnerFactory(), first_year=2024, last_year=2030)
    agreement.full_clean()


def test_the_admin_says_so_on_the_call_form_and_saves_nothing(client, dri):
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(
        reverse("admin:programmes_call_add"),
        {
            "name": "Typo",
            "academic_year": "27",
            "opens_on": "2026-11-01",
            "closes_on": "2026-12-01",
            "max_choices": "3",
        },
    )
    assert response.status_code == 200
    assert "with its four digits" in response.content.decode()
    assert not Call.objects.filter(name="Typo").exists()
