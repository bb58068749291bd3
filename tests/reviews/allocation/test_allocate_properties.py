"""Properties of the allocation over generated applicants and seats."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.reviews.allocation import Applicant, ChoiceRef, allocate, rank_key
from tests.reviews.allocation.builders import START

AGREEMENTS = range(1, 6)

seat_maps = st.fixed_dictionaries({agreement: st.integers(0, 3) for agreement in AGREEMENTS})


@st.composite
def applicant_lists(draw) -> list[Applicant]:
    """Up to 25 applicants with few distinct scores and times, so ties are frequent."""
    ids = draw(st.lists(st.integers(1, 500), unique=True, max_size=25))
    applicants = []
    for applicant_id in ids:
        agreements = draw(st.lists(st.sampled_from([*AGREEMENTS, None]), max_size=4))
        applicants.append(
            Applicant(
                id=applicant_id,
                score=draw(st.sampled_from([None, Decimal("10"), Decimal("12.5"), Decimal(0)])),
                submitted_at=draw(st.sampled_from([None, START, START + timedelta(hours=1)])),
                choices=tuple(
                    ChoiceRef(choice_id=applicant_id * 10 + rank, agreement_id=agreement)
                    for rank, agreement in enumerate(agreements)
                ),
            )
        )
    return applicants


@settings(max_examples=400, deadline=None)
@given(applicants=applicant_lists(), seats=seat_maps)
def test_seats_are_never_over_allocated_nor_held_twice_nor_passed_over_while_free(
    applicants, seats
):
    allocation = allocate(applicants, seats)
    assert_no_agreement_is_over_allocated(allocation, seats)
    assert_each_applicant_holds_at_most_one_of_their_choices(allocation, applicants)
    assert_every_choice_passed_over_was_full_at_the_applicant_s_turn(allocation, applicants, seats)


def assert_no_agreement_is_over_allocated(allocation, seats):
    for agreement, taken in allocation.taken().items():
        assert taken <= seats[agreement]


def assert_each_applicant_holds_at_most_one_of_their_choices(allocation, applicants):
    assert Counter(outcome.applicant_id for outcome in allocation.outcomes) == Counter(
        applicant.id for applicant in applicants
    )
    own_choices = {applicant.id: applicant.choices for applicant in applicants}
    for outcome in allocation.outcomes:
        assert sum(step.allocated for step in outcome.steps) <= 1
        assert outcome.choice is None or outcome.choice in own_choices[outcome.applicant_id]


def assert_every_choice_passed_over_was_full_at_the_applicant_s_turn(allocation, applicants, seats):
    """Checked against the better-ranked applicants' outcomes, not the steps' own counts: an
    unplaced applicant found every choice full, a placed one every choice before theirs."""
    by_id = {applicant.id: applicant for applicant in applicants}
    taken_so_far: Counter = Counter()
    for outcome in allocation.outcomes:
        choices = by_id[outcome.applicant_id].choices
        passed_over = [step for step in outcome.steps if not step.allocated]
        if outcome.placed:
            assert outcome.steps[-1].choice == choices[len(passed_over)]
            agreement = outcome.choice.agreement_id
            assert agreement is None or taken_so_far[agreement] < seats[agreement]
        else:
            assert [step.choice for step in passed_over] == list(choices)
        for step in passed_over:
            assert step.choice.agreement_id is not None
            assert taken_so_far[step.choice.agreement_id] == seats[step.choice.agreement_id]
            assert step.taken_before == taken_so_far[step.choice.agreement_id]
        if outcome.placed and outcome.choice.agreement_id is not None:
            taken_so_far[outcome.choice.agreement_id] += 1


@settings(max_examples=200, deadline=None)
@given(applicants=applicant_lists(), seats=seat_maps, data=st.data())
def test_the_order_of_the_input_does_not_matter(applicants, seats, data):
    shuffled = data.draw(st.permutations(applicants))
    allocation = allocate(applicants, seats)
    assert allocate(shuffled, seats) == allocation
    assert [outcome.applicant_id for outcome in allocation.outcomes] == [
        applicant.id for applicant in sorted(applicants, key=rank_key)
    ]
    assert [outcome.position for outcome in allocation.outcomes] == list(
        range(1, len(applicants) + 1)
    )
