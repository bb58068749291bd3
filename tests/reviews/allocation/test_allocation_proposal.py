"""The proposal read from the database: who is ranked, how many seats each agreement has."""

import pytest

from apps.reviews.services.allocation import allocation_proposal
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import S, holding_seat, waiting

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(academic_year=2027)


def test_submitted_and_under_review_applications_are_ranked_and_no_other(call):
    agreement = AgreementFactory(seats_per_year=5)
    ranked = [
        waiting(call, [agreement], state=S.SUBMITTED),
        waiting(call, [agreement], state=S.UNDER_REVIEW),
    ]
    for state in (S.DRAFT, S.CHANGES_REQUESTED, S.REFUSED, S.WITHDRAWN):
        waiting(call, [agreement], state=state)
    waiting(CallFactory(academic_year=2027), [agreement])
    proposal = allocation_proposal(call)
    assert list(proposal.applications) == [application.pk for application in ranked]


def test_seats_taken_by_nominations_of_the_same_academic_year_are_not_offered(call):
    agreement = AgreementFactory(seats_per_year=5)
    same_year = CallFactory(academic_year=2027)
    for state in (S.NOMINATED, S.ACCEPTED, S.IN_MOBILITY, S.RETURNED, S.COMPLETED):
        holding_seat(same_year, agreement, state=state)
    holding_seat(call, agreement)
    for state in (S.HOST_REFUSED, S.WITHDRAWN):
        holding_seat(same_year, agreement, state=state)
    holding_seat(CallFactory(academic_year=2026), agreement)
    waiting(call, [agreement])
    seats = allocation_proposal(call).seats[agreement.pk]
    assert (seats.per_year, seats.taken_earlier, seats.available) == (5, 6, 0)


def test_a_later_student_takes_the_seat_an_earlier_nomination_left(call):
    agreement = AgreementFactory(seats_per_year=2)
    other = AgreementFactory(seats_per_year=1)
    holding_seat(CallFactory(academic_year=2027), agreement)
    first = waiting(call, [agreement, other], score="18")
    second = waiting(call, [agreement, other], score="17")
    proposal = allocation_proposal(call)
    outcomes = proposal.allocation.by_applicant
    assert outcomes[first.pk].choice.agreement_id == agreement.pk
    assert outcomes[second.pk].choice.agreement_id == other.pk
    assert outcomes[second.pk].steps[0].taken_before == 1


def test_choices_are_followed_in_the_student_s_rank_order(call):
    first, second = AgreementFactory(seats_per_year=0), AgreementFactory(seats_per_year=1)
    application = waiting(call, [first, second, None])
    application.choices.filter(rank=1).update(rank=9)
    outcome = allocation_proposal(call).allocation.by_applicant[application.pk]
    assert outcome.choice.agreement_id == second.pk
    assert [step.choice.agreement_id for step in outcome.steps] == [second.pk]


def test_proposal_reads_in_a_fixed_number_of_queries(call, django_assert_max_num_queries):
    agreements = AgreementFactory.create_batch(6, seats_per_year=2)
    for index in range(30):
        waiting(
            call, [agreements[index % 6], agreements[(index + 1) % 6], None], score=str(index % 4)
        )
    holding_seat(call, agreements[0])
    with django_assert_max_num_queries(4):
        proposal = allocation_proposal(call)
        assert len(proposal.applications) == 30
        assert len(proposal.choices) == 90


def test_the_same_database_gives_the_same_proposal(call):
    agreements = AgreementFactory.create_batch(3, seats_per_year=1)
    for index in range(12):
        waiting(call, [agreements[index % 3], agreements[(index + 1) % 3]], score=str(index % 2))
    first, second = allocation_proposal(call), allocation_proposal(call)
    assert first.allocation == second.allocation
    assert list(first.applications) == list(second.applications)
