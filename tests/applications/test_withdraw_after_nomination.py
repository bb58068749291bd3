"""A nominated or accepted student who drops out withdraws, and gives the seat up; once in
mobility, they no longer can."""

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState, Transition
from apps.applications.workflow import WITHDRAWABLE_STATES
from apps.reviews.services.allocation import seat_counts
from tests.applications.factories import login, messages_of
from tests.reviews.dri.builders import in_state, state_of, submitted

S = ApplicationState
pytestmark = pytest.mark.django_db
SEAT_GIVEN_UP = "Withdrawing gives up your seat at {destination} for the year"


def withdraw_url(application):
    return reverse("applications:application_withdraw", args=[application.pk])


def detail_url(application):
    return reverse("applications:application_detail", args=[application.pk])


def holding(student, state: str, *, seats: int = 2):
    """The student's application, nominated to its choice (an agreement with `seats` seats a
    year) and now in `state`."""
    application = submitted(student)
    choice = application.choices.select_related("agreement__partner").get()
    choice.agreement.seats_per_year = seats
    choice.agreement.save(update_fields=["seats_per_year"])
    return in_state(application, state, nominated_choice=choice)


@pytest.mark.parametrize("state", [S.NOMINATED, S.ACCEPTED])
def test_the_service_withdraws_and_writes_the_audit_row(student, state):
    application = holding(student, state)
    services.application_withdraw(actor=student, application=application, comment="I stay home.")
    assert state_of(application) == S.WITHDRAWN
    last = Transition.objects.filter(application=application).last()
    assert (last.actor, last.from_state, last.to_state, last.comment) == (
        student,
        state,
        S.WITHDRAWN,
        "I stay home.",
    )


@pytest.mark.parametrize("state", [S.NOMINATED, S.ACCEPTED])
def test_the_seat_is_free_again(student, state):
    application = holding(student, state, seats=1)
    agreement = application.nominated_choice.agreement
    assert seat_counts(application.call, [agreement.pk])[agreement.pk].available == 0
    services.application_withdraw(actor=student, application=application)
    assert seat_counts(application.call, [agreement.pk])[agreement.pk].available == 1


@pytest.mark.parametrize("state", [S.NOMINATED, S.ACCEPTED])
def test_the_page_offers_it_and_the_confirmation_says_the_seat_is_given_up(client, student, state):
    application = holding(student, state)
    destination = application.nominated_choice.destination
    page = login(client, student).get(detail_url(application)).content.decode()
    assert withdraw_url(application) in page

    confirmation = client.get(withdraw_url(application))
    assert confirmation.status_code == 200
    assert SEAT_GIVEN_UP.format(destination=destination) in confirmation.content.decode()

    response = client.post(withdraw_url(application), {"comment": "Another path."})
    assert response.url == detail_url(application)
    assert messages_of(response) == ["Your application is withdrawn."]
    assert state_of(application) == S.WITHDRAWN


def test_a_submitted_application_holds_no_seat_to_give_up(client, student):
    application = submitted(student)
    confirmation = login(client, student).get(withdraw_url(application)).content.decode()
    assert "gives up your seat" not in confirmation


@pytest.mark.parametrize("state", [S.IN_MOBILITY, S.RETURNED, S.COMPLETED, S.REFUSED])
def test_not_once_in_mobility_or_closed(client, student, state):
    application = holding(student, state)
    assert state not in WITHDRAWABLE_STATES
    with pytest.raises(ServiceError):
        services.application_withdraw(actor=student, application=application)
    page = login(client, student).get(detail_url(application)).content.decode()
    assert withdraw_url(application) not in page
    response = client.post(withdraw_url(application), {"comment": ""})
    assert messages_of(response) == [
        f"This application is {application.get_state_display().lower()}: "
        "it can no longer be withdrawn."
    ]
    assert state_of(application) == state


@pytest.mark.parametrize("persona", ["dri", "advisor", "other_student"])
def test_nobody_else_withdraws_a_nomination(client, request, student, persona):
    application = holding(student, S.NOMINATED)
    response = login(client, request.getfixturevalue(persona)).post(withdraw_url(application))
    assert response.status_code in (403, 404)
    assert state_of(application) == S.NOMINATED


def test_another_call_of_the_year_can_then_nominate_to_the_seat(student, other_student, dri):
    from apps.reviews.services.decisions import application_nominate

    application = holding(student, S.NOMINATED, seats=1)
    agreement = application.nominated_choice.agreement
    services.application_withdraw(actor=student, application=application)
    waiting = submitted(other_student)
    choice = waiting.choices.get()
    choice.agreement = agreement
    choice.save(update_fields=["agreement"])
    application_nominate(actor=dri, application=waiting, choice=choice)
    assert state_of(waiting) == S.NOMINATED


@pytest.mark.parametrize("by", ["student", "office"])
def test_the_stay_of_a_withdrawn_nomination_can_be_removed(client, student, dri, by):
    """Its choice goes with it, as any withdrawn application's: the nomination pointing at
    the choice protected it, and the removal was a server error."""
    from apps.reviews.services.decisions import application_withdraw_for_student

    application = holding(student, S.NOMINATED)
    activity = application.nominated_choice.activity
    if by == "student":
        services.application_withdraw(actor=student, application=application)
    else:
        application_withdraw_for_student(actor=dri, application=application, reason="By e-mail.")
    delete = reverse("applications:activity_delete", args=[activity.pk])
    response = login(client, student).post(delete)
    assert response.status_code == 302
    assert not type(activity).objects.filter(pk=activity.pk).exists()
    assert state_of(application) == S.WITHDRAWN
    assert Transition.objects.filter(application=application, to_state=S.WITHDRAWN).exists()
