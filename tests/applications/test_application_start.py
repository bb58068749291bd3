from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from apps.applications.models import Application, ApplicationState
from tests.applications.factories import (
    ApplicationFactory,
    free_start_in,
    login,
    messages_of,
    semester_for,
)
from tests.factories import CallFactory, UserFactory


def start_url(call):
    return reverse("applications:application_start", args=[call.pk])


@pytest.fixture
def call(db):
    return CallFactory(name="Exchange 2027")


def test_student_starts_an_application_and_goes_to_its_form(client, student, call):
    semester_for(student, start=free_start_in(student, call.academic_year))
    response = login(client, student).post(start_url(call))
    application = Application.objects.get(student=student, call=call)
    assert application.state == ApplicationState.DRAFT
    assert response.url == reverse("applications:application_edit", args=[application.pk])


def test_start_is_post_only(client, student, call):
    assert login(client, student).get(start_url(call)).status_code == 405
    assert not Application.objects.exists()


def test_closed_call_is_refused_with_its_dates(client, student):
    today = timezone.localdate()
    closed = CallFactory(opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1))
    response = login(client, student).post(start_url(closed))
    assert response.url == reverse("applications:application_list")
    assert messages_of(response) == [f"This call closed on {date_format(closed.closes_on)}."]
    assert not Application.objects.exists()


def test_a_call_not_open_yet_says_when_it_opens(client, student):
    later = CallFactory(opens_on=date(2031, 3, 1), closes_on=date(2031, 4, 15), academic_year=2031)
    response = login(client, student).post(start_url(later), HTTP_ACCEPT_LANGUAGE="fr")
    assert messages_of(response) == ["Cet appel ouvre le 1er mars 2031 et ferme le 15 avril 2031."]


def test_a_second_application_to_the_same_call_opens_the_first(client, student, call):
    first = ApplicationFactory(student=student, call=call)
    response = login(client, student).post(start_url(call))
    assert response.url == reverse("applications:application_detail", args=[first.pk])
    assert messages_of(response) == ["You already have an application for this call: here it is."]
    assert Application.objects.count() == 1


def test_student_without_profile_is_told_to_wait(client, call):
    newcomer = UserFactory()
    response = login(client, newcomer).post(start_url(call))
    assert messages_of(response) == [
        "Your student profile is not set up yet: the portal's administrators complete it (ask "
        "the international relations office if it takes long)."
    ]
    assert not Application.objects.exists()


def test_unknown_call_is_404(client, student):
    response = login(client, student).post(reverse("applications:application_start", args=[999999]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, call):
    response = client.post(start_url(call))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi", "admin_user"])
def test_staff_cannot_apply(client, request, call, persona):
    response = login(client, request.getfixturevalue(persona)).post(start_url(call))
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_list_shows_own_applications_and_open_calls(client, student, other_student, call):
    today = timezone.localdate()
    semester_for(student, start=free_start_in(student, 2027))  # Apply needs a stay of the year
    mine = ApplicationFactory(student=student, call=CallFactory(name="Double degrees 2027"))
    ApplicationFactory(student=other_student, call=call)
    CallFactory(
        name="Past call", opens_on=today - timedelta(days=60), closes_on=today - timedelta(days=1)
    )
    upcoming = CallFactory(
        name="Next call", opens_on=today + timedelta(days=5), closes_on=today + timedelta(days=30)
    )
    response = login(client, student).get(reverse("applications:application_list"))
    assert response.status_code == 200
    assert response.context["applications"] == [mine]
    rows = {row.call.name: row for row in response.context["calls"]}
    assert set(rows) == {"Exchange 2027", "Double degrees 2027", "Next call"}
    assert rows["Exchange 2027"].application is None and rows["Exchange 2027"].is_open
    assert rows["Double degrees 2027"].application == mine
    assert not rows["Next call"].is_open
    content = response.content.decode()
    assert start_url(call) in content
    assert start_url(upcoming) not in content


@pytest.mark.parametrize("persona", ["advisor", "dri"])
def test_list_is_for_students(client, request, persona):
    response = login(client, request.getfixturevalue(persona)).get(
        reverse("applications:application_list")
    )
    assert response.status_code == 403
