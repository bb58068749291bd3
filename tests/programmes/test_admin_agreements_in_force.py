"""The admin's list of agreements filters by the academic years they are in force: before
next year's call, the DRI looked through every agreement's first and last years for those that
end, to renew them."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreements():
    return {
        "open-ended": AgreementFactory(first_year=2024, last_year=None),
        "ends 2027": AgreementFactory(first_year=2024, last_year=2027),
        "ended 2025": AgreementFactory(first_year=2022, last_year=2025),
        "starts 2028": AgreementFactory(first_year=2028, last_year=None),
    }


def listed(client, value):
    response = client.get(reverse("admin:programmes_agreement_changelist"), {"in_force": value})
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027", {"open-ended", "ends 2027"}),
        ("not-2027", {"ended 2025", "starts 2028"}),
        ("2028", {"open-ended", "starts 2028"}),
        ("not-2028", {"ends 2027", "ended 2025"}),
    ],
)
def test_agreements_in_force_or_not_in_a_year(client, dri, agreements, value, expected):
    client.force_login(dri)

    assert listed(client, value) == {agreements[name] for name in expected}


@pytest.mark.parametrize("value", ["27", "not-", "not-abc", "２０２７", "x" * 300])
def test_a_value_the_menu_never_offers_lists_every_agreement(client, dri, agreements, value):
    client.force_login(dri)

    assert listed(client, value) == set(agreements.values())


def test_the_menu_offers_the_years_of_the_calls_and_this_year_and_the_next(
    client, dri, agreements, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2026, 11, 28))
    CallFactory(academic_year=2030)
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(reverse("admin:programmes_agreement_changelist")).content.decode()

    assert "in force in 2026–2027" in page
    assert "not in force in 2027–2028" in page
    assert "?in_force=not-2030" in page
    assert "?in_force=2029" not in page
