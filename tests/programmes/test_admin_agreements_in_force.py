"""The admin's list of agreements filters by the academic years they are in force, and extends
those renewed by a year: before next year's call, the DRI looked through every agreement's
first and last years for those that end, and opened each renewed one to change it."""

from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from apps.programmes.models import Agreement
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


def extend(client, *agreements):
    return client.post(
        reverse("admin:programmes_agreement_changelist"),
        {"action": "extend_one_year", "_selected_action": [a.pk for a in agreements]},
        follow=True,
    )


def test_agreements_renewed_are_extended_by_a_year_and_open_ended_ones_left(
    client, dri, agreements
):
    """The DRI opened each renewed agreement to change its last year."""
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = extend(
        client, agreements["ends 2027"], agreements["ended 2025"], agreements["open-ended"]
    )

    for agreement in agreements.values():
        agreement.refresh_from_db()
    assert agreements["ends 2027"].last_year == 2028
    assert agreements["ended 2025"].last_year == 2026
    assert agreements["open-ended"].last_year is None
    page = response.content.decode()
    assert "2 agreements extended by one academic year." in page
    assert "1 agreement is open-ended: left as it is." in page
    entry = LogEntry.objects.get(object_id=str(agreements["ends 2027"].pk))
    assert (entry.user, entry.action_flag) == (dri, CHANGE)


def test_a_student_cannot_extend_agreements(client, student, agreements):
    client.force_login(student)

    extend(client, agreements["ends 2027"])

    agreements["ends 2027"].refresh_from_db()
    assert agreements["ends 2027"].last_year == 2027


def test_an_agreement_the_model_refuses_now_is_named_not_a_server_error(client, dri, agreements):
    broken = agreements["ends 2027"]
    Agreement.objects.filter(pk=broken.pk).update(first_year=24)  # before years were checked
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = extend(client, broken, agreements["ended 2025"])

    assert response.status_code == 200
    page = response.content.decode()
    assert f"{broken} is not extended: Write the year with its four digits" in page
    assert "1 agreement extended by one academic year." in page
    broken.refresh_from_db()
    assert broken.last_year == 2027


def test_the_list_shows_each_agreements_years_in_one_column(client, dri, agreements):
    """The last year was a column of its own past the list's right edge on a laptop."""
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(reverse("admin:programmes_agreement_changelist")).content.decode()

    assert "2024–2025 … 2027–2028" in page
    assert "from 2024–2025" in page
    assert "column-last_year" not in page
