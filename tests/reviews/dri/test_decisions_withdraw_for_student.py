"""The office withdraws an application for a student who gave up by e-mail or at the desk:
without it, a nominated student who dropped out kept the seat until they logged in."""

import pytest

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState
from apps.applications.workflow import TransitionRefused
from apps.notifications.events import APPLICATION_DECISION, SEAT_GIVEN_UP
from apps.notifications.models import Notification
from apps.reviews.services.decisions import application_withdraw_for_student
from apps.reviews.services.seats import seat_counts
from tests.applications.factories import draft_with_choice, messages_of
from tests.reviews.dri.builders import (
    decision_url,
    dossier_url,
    in_state,
    nominated,
    post_as,
    seen,
    state_of,
    submitted,
)

S = ApplicationState
REASON = "Her e-mail of 12 March: she stays in France for family reasons."

pytestmark = pytest.mark.django_db


def data(application, reason=REASON, confirm="on"):
    return seen(application, "withdraw", reason=reason, confirm=confirm)


def test_a_nominated_student_gives_the_seat_back_and_is_told(client, dri, student):
    application = nominated(student)
    agreement = application.nominated_choice.agreement
    taken = seat_counts(application.call, [agreement.pk])[agreement.pk].available

    response = post_as(client, dri, decision_url("withdraw", application), data(application))

    assert response.status_code == 302 and response.url == dossier_url(application)
    assert state_of(application) == S.WITHDRAWN
    transition = application.history.last()
    assert (transition.actor, transition.from_state, transition.comment) == (
        dri,
        S.NOMINATED,
        REASON,
    )
    assert seat_counts(application.call, [agreement.pk])[agreement.pk].available == taken + 1
    told = Notification.objects.filter(event=APPLICATION_DECISION.name, recipient=student)
    assert told.count() == 1
    assert Notification.objects.filter(event=SEAT_GIVEN_UP.name).exists()
    assert "withdrawn on the student's behalf" in messages_of(response)[-1]


@pytest.mark.parametrize(
    "state", [S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.ACCEPTED, S.HOST_REFUSED]
)
def test_offered_and_done_until_the_student_leaves(client, dri, student, state):
    application = in_state(submitted(student), state)
    client.force_login(dri)
    assert "withdraw" in client.get(dossier_url(application)).context["decisions"]
    application_withdraw_for_student(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.WITHDRAWN


@pytest.mark.parametrize("state", [S.IN_MOBILITY, S.RETURNED, S.COMPLETED, S.REFUSED])
def test_not_once_the_student_has_left_or_the_dossier_is_closed(client, dri, student, state):
    application = in_state(submitted(student), state)
    client.force_login(dri)
    assert "withdraw" not in client.get(dossier_url(application)).context["decisions"]
    with pytest.raises(TransitionRefused):
        application_withdraw_for_student(actor=dri, application=application, reason=REASON)
    assert state_of(application) == state


def test_a_draft_stays_the_students(dri, student, english):
    application = draft_with_choice(student)
    with pytest.raises(ServiceError, match="only they can withdraw it"):
        application_withdraw_for_student(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.DRAFT


@pytest.mark.parametrize(("reason", "confirm"), [("", "on"), ("  ", "on"), (REASON, "")])
def test_a_reason_and_the_confirmation_are_needed(client, dri, student, reason, confirm):
    application = nominated(student)
    response = post_as(
        client, dri, decision_url("withdraw", application), data(application, reason, confirm)
    )
    assert response.status_code == 400
    assert response.context["decisions"]["withdraw"].errors
    assert state_of(application) == S.NOMINATED


def test_a_decision_taken_since_the_page_was_opened_is_read_first(client, dri, student):
    application = submitted(student)
    stale = data(application)
    in_state(application, S.NOMINATED, nominated_choice=application.choices.get())
    response = post_as(client, dri, decision_url("withdraw", application), stale)
    assert response.status_code == 409
    assert state_of(application) == S.NOMINATED


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_only_the_office_withdraws_for_a_student(request, persona, student):
    application = nominated(student)
    with pytest.raises(ServiceError):
        application_withdraw_for_student(
            actor=request.getfixturevalue(persona), application=application, reason=REASON
        )
    assert state_of(application) == S.NOMINATED
