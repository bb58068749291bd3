"""Next year's calls are copied from this year's in the admin: the DRI typed every call again,
name, dates and number of choices, each new academic year."""

from datetime import date

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse

from apps.programmes.models import Call
from apps.programmes.services import call_copy_to_next_year, same_day_next_year
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def copy_action(client, *calls):
    return client.post(
        reverse("admin:programmes_call_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [call.pk for call in calls]},
        follow=True,
    )


@pytest.fixture
def dri_client(client, dri):
    client.force_login(dri)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_call_is_copied_a_year_later_and_opened_for_its_dates_to_be_checked(dri_client, dri):
    call = CallFactory(
        name="Academic mobility",
        academic_year=2027,
        opens_on=date(2026, 10, 29),
        closes_on=date(2027, 1, 27),
        max_choices=4,
    )

    response = copy_action(dri_client, call)

    copy = Call.objects.get(academic_year=2028)
    assert (copy.name, copy.opens_on, copy.closes_on, copy.max_choices) == (
        "Academic mobility",
        date(2027, 10, 29),
        date(2028, 1, 27),
        4,
    )
    assert response.redirect_chain[-1][0] == reverse("admin:programmes_call_change", args=[copy.pk])
    assert "1 call copied to the next academic year: check its dates." in response.content.decode()
    entry = LogEntry.objects.get(object_id=str(copy.pk))
    assert (entry.user, entry.action_flag) == (dri, ADDITION)


def test_several_calls_are_copied_at_once_and_a_copy_made_twice_is_not_made_again(dri_client):
    autumn = CallFactory(name="Autumn", academic_year=2027)
    spring = CallFactory(name="Spring", academic_year=2027)
    CallFactory(name="Spring", academic_year=2028)  # copied already

    response = copy_action(dri_client, autumn, spring)

    page = response.content.decode()
    assert "1 call copied to the next academic year" in page
    assert "“Spring” is not copied: 2028–2029 has a call of this name already." in page
    assert sorted(Call.objects.filter(academic_year=2028).values_list("name", flat=True)) == [
        "Autumn",
        "Spring",
    ]

    response = copy_action(dri_client, autumn, spring)

    assert Call.objects.filter(academic_year=2028).count() == 2
    assert "copied to the next academic year" not in response.content.decode()


def test_a_leap_day_becomes_the_28th_of_february():
    assert same_day_next_year(date(2028, 2, 29)) == date(2029, 2, 28)
    assert same_day_next_year(date(2027, 3, 1)) == date(2028, 3, 1)


def test_the_service_copies_a_call_closing_on_a_leap_day(dri):
    call = CallFactory(academic_year=2027, opens_on=date(2027, 12, 1), closes_on=date(2028, 2, 29))

    copy = call_copy_to_next_year(actor=dri, call=call)

    assert (copy.opens_on, copy.closes_on) == (date(2028, 12, 1), date(2029, 2, 28))


def test_a_student_cannot_copy_calls(client, student):
    call = CallFactory(academic_year=2027)
    client.force_login(student)

    copy_action(client, call)

    assert not Call.objects.filter(academic_year=2028).exists()


def test_a_call_its_copy_would_not_validate_is_reported_not_a_server_error(dri_client):
    """A call stored before the four-digit check (year 27): its copy (28) is refused by the
    model's validation, which the action reports, as the agreements' extension does."""
    legacy = CallFactory(name="Legacy", academic_year=27)
    autumn = CallFactory(name="Autumn", academic_year=2027)

    response = copy_action(dri_client, legacy, autumn)

    assert response.status_code == 200
    page = response.content.decode()
    assert "“Legacy” is not copied: Write the year with its four digits" in page
    assert "1 call copied to the next academic year" in page
    assert not Call.objects.filter(academic_year=28).exists()


def test_a_copy_moves_the_year_its_calls_name_writes_out(dri):
    call = CallFactory(academic_year=2027, name="Second round 2027-28")

    copy = call_copy_to_next_year(actor=dri, call=call)

    assert copy.name == "Second round 2028-29"
    assert str(copy) == "Second round 2028-29"
    assert call_copy_to_next_year(actor=dri, call=call) is None
