"""A student holds at most one nomination per academic year, whatever the number of calls of
that year they applied to: the allocation leaves out a student who already holds one, and
neither its confirmation nor a nomination from the dossier page gives a second."""

import pytest

from apps.applications.errors import ServiceError
from apps.applications.models import Application, Transition
from apps.reviews.services.allocation import (
    allocation_confirm,
    allocation_pool,
    allocation_proposal,
)
from apps.reviews.services.decisions import application_nominate
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import S, holding_seat, versions, waiting
from tests.reviews.dri.builders import in_state, state_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def first():
    return CallFactory(academic_year=2027, name="Round 1")


@pytest.fixture
def second():
    return CallFactory(academic_year=2027, name="Round 2")


def proposed(call) -> dict[int, int | None]:
    return {
        outcome.applicant_id: outcome.choice.choice_id if outcome.choice else None
        for outcome in allocation_proposal(call).allocation.outcomes
    }


def confirm(actor, call, decisions) -> list[Application]:
    """Confirm `decisions` from a page shown now."""
    return allocation_confirm(actor=actor, call=call, decisions=decisions, seen=versions(decisions))


def nominate(dri, application: Application) -> Application:
    return application_nominate(
        actor=dri, application=application, choice=application.choices.get()
    )


def nominated_elsewhere(holder: Application, state: str = "nominated") -> str:
    return (
        "This student is already nominated for this academic year: "
        f"their application to {holder.call} is {state}."
    )


def nominations_of(student) -> int:
    return Application.objects.filter(student=student, state=S.NOMINATED).count()


# --- the allocation's pool ---------------------------------------------------------------


@pytest.mark.parametrize("state", [S.NOMINATED, S.ACCEPTED, S.IN_MOBILITY, S.COMPLETED])
def test_a_student_holding_a_seat_this_year_is_left_out(first, second, state):
    held = holding_seat(first, AgreementFactory(), state=state)
    again = waiting(second, [AgreementFactory()], student=held.student)
    other = waiting(second, [AgreementFactory()])
    assert list(allocation_pool(second)) == [other]
    assert again.pk not in allocation_proposal(second).applications


def test_a_seat_of_another_year_or_a_host_refusal_does_not_leave_out(second):
    last_year = holding_seat(CallFactory(academic_year=2026), AgreementFactory())
    refused = holding_seat(CallFactory(academic_year=2027), AgreementFactory())
    in_state(refused, S.HOST_REFUSED)
    applications = {
        waiting(second, [AgreementFactory()], student=last_year.student),
        waiting(second, [AgreementFactory()], student=refused.student),
    }
    assert set(allocation_pool(second)) == applications


def test_the_seat_goes_to_the_next_student(first, second):
    alpha = AgreementFactory(seats_per_year=1)
    beta = AgreementFactory(seats_per_year=1)
    held = holding_seat(first, alpha)
    waiting(second, [beta], score="19", student=held.student)
    next_one = waiting(second, [beta], score="12")
    assert proposed(second) == {next_one.pk: next_one.choices.get().pk}


# --- confirmation ------------------------------------------------------------------------


def test_confirming_two_calls_of_a_year_nominates_the_student_once(first, second, dri):
    alpha = AgreementFactory(partner__name="Alpha", seats_per_year=1)
    beta = AgreementFactory(partner__name="Beta", seats_per_year=1)
    one = waiting(first, [alpha], score="18")
    two = waiting(second, [beta], score="18", student=one.student)
    other = waiting(second, [beta], score="10")
    confirm(dri, first, proposed(first))
    nominated = confirm(dri, second, proposed(second))
    assert [application.pk for application in nominated] == [other.pk]
    assert nominations_of(one.student) == 1
    assert (state_of(one), state_of(two), state_of(other)) == (
        S.NOMINATED,
        S.SUBMITTED,
        S.NOMINATED,
    )


def test_a_page_shown_before_the_other_nomination_is_refused(first, second, dri):
    alpha = AgreementFactory(seats_per_year=1)
    beta = AgreementFactory(seats_per_year=1)
    one = waiting(first, [alpha], score="18")
    two = waiting(second, [beta], score="18", student=one.student)
    shown = proposed(second)  # the second call's page, still offering Beta to the student
    seen = versions(shown)
    assert shown == {two.pk: two.choices.get().pk}
    confirm(dri, first, proposed(first))
    with pytest.raises(ServiceError) as refused:
        allocation_confirm(actor=dri, call=second, decisions=shown, seen=seen)
    assert refused.value.reasons == [
        "Nobody was nominated.",
        f"{two.student}: {nominated_elsewhere(one)}",
    ]
    assert state_of(two) == S.SUBMITTED
    assert not Transition.objects.filter(application=two).exists()


# --- from the dossier page ---------------------------------------------------------------


def test_a_second_nomination_by_hand_is_refused(first, second, dri):
    agreement = AgreementFactory(seats_per_year=3)
    one = nominate(dri, waiting(first, [agreement]))
    two = waiting(second, [agreement], student=one.student)
    with pytest.raises(ServiceError) as refused:
        nominate(dri, two)
    assert refused.value.reasons == [nominated_elsewhere(one)]
    assert state_of(two) == S.SUBMITTED
    assert nominations_of(one.student) == 1


def test_the_refusal_names_the_other_state(first, second, dri):
    one = holding_seat(first, AgreementFactory(), state=S.ACCEPTED)
    two = waiting(second, [None], student=one.student)
    with pytest.raises(ServiceError) as refused:
        nominate(dri, two)
    assert refused.value.reasons == [nominated_elsewhere(one, "accepted by the host")]


def test_both_reasons_are_given(first, second, dri):
    full = AgreementFactory(seats_per_year=0)
    one = holding_seat(first, AgreementFactory())
    two = waiting(second, [full], student=one.student)
    with pytest.raises(ServiceError) as refused:
        nominate(dri, two)
    assert refused.value.reasons == [
        nominated_elsewhere(one),
        f"{full} has no seat in 2027–2028.",
    ]


def test_another_year_or_a_host_refusal_allows_a_nomination(second, dri):
    last_year = holding_seat(CallFactory(academic_year=2026), AgreementFactory())
    refused = in_state(
        holding_seat(CallFactory(academic_year=2027), AgreementFactory()), S.HOST_REFUSED
    )
    for held in (last_year, refused):
        application = nominate(dri, waiting(second, [AgreementFactory()], student=held.student))
        assert application.state == S.NOMINATED
