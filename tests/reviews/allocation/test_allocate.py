"""The pure serial dictatorship on crafted cases: ranking, seats, reasons as data."""

import random

import pytest

from apps.reviews.allocation import ChoiceRef, Step, allocate, over_allocated
from tests.reviews.allocation.builders import applicant


def order(allocation) -> list[int]:
    return [outcome.applicant_id for outcome in allocation.outcomes]


def placed_on(allocation) -> dict[int, int | None]:
    """Applicant id -> allocated agreement (None: outside partnerships); unplaced left out."""
    return {
        outcome.applicant_id: outcome.choice.agreement_id
        for outcome in allocation.outcomes
        if outcome.placed
    }


def test_ties_on_score_are_broken_by_submission_then_by_id():
    applicants = [
        applicant(3, [1], score="15", minute=2),
        applicant(1, [1], score="15", minute=2),
        applicant(2, [1], score="15", minute=1),
        applicant(4, [1], score="16", minute=5),
        applicant(5, [1], score="15.001", minute=9),
    ]
    allocation = allocate(applicants, {1: 2})
    assert order(allocation) == [4, 5, 2, 1, 3]
    assert [outcome.position for outcome in allocation.outcomes] == [1, 2, 3, 4, 5]
    assert placed_on(allocation) == {4: 1, 5: 1}


def test_applicants_without_score_come_after_every_scored_one():
    applicants = [
        applicant(1, [7], score=None, minute=0),
        applicant(2, [7], score="0", minute=50),
        applicant(3, [7], score=None, minute=None),
        applicant(4, [7], score="-1", minute=60),
    ]
    allocation = allocate(applicants, {7: 1})
    assert order(allocation) == [2, 4, 1, 3]
    assert placed_on(allocation) == {2: 7}
    unplaced = allocation.by_applicant[1]
    assert unplaced.steps == (Step(1, ChoiceRef(11, 7), allocated=False, taken_before=1),)


def test_a_full_first_choice_sends_the_applicant_to_the_next_one_with_a_seat():
    applicants = [applicant(n, [1, 2, 3], score=str(10 - n)) for n in (1, 2, 3, 4)]
    allocation = allocate(applicants, {1: 2, 2: 1, 3: 5})
    assert placed_on(allocation) == {1: 1, 2: 1, 3: 2, 4: 3}
    assert allocation.by_applicant[4].steps == (
        Step(1, ChoiceRef(41, 1), allocated=False, taken_before=2),
        Step(2, ChoiceRef(42, 2), allocated=False, taken_before=1),
        Step(3, ChoiceRef(43, 3), allocated=True, taken_before=0),
    )
    assert allocation.taken() == {1: 2, 2: 1, 3: 1}
    assert allocation.unplaced == ()


def test_nobody_is_placed_when_no_agreement_has_a_seat():
    applicants = [applicant(n, [1, 2]) for n in (1, 2, 3)]
    allocation = allocate(applicants, {1: 0, 2: 0})
    assert placed_on(allocation) == {}
    assert [outcome.applicant_id for outcome in allocation.unplaced] == [1, 2, 3]
    assert all(
        step == Step(step.preference, step.choice, allocated=False, taken_before=0)
        for outcome in allocation.outcomes
        for step in outcome.steps
    )
    assert allocation.taken() == {}


def test_everybody_gets_their_first_choice_when_seats_are_plenty():
    applicants = [applicant(n, [n % 3 + 1, 9]) for n in range(1, 10)]
    allocation = allocate(applicants, {1: 3, 2: 3, 3: 3, 9: 0})
    assert placed_on(allocation) == {n: n % 3 + 1 for n in range(1, 10)}
    assert all(len(outcome.steps) == 1 for outcome in allocation.outcomes)


def test_a_choice_outside_partnerships_has_no_seat_limit():
    applicants = [applicant(n, [1, None]) for n in range(1, 6)]
    allocation = allocate(applicants, {1: 1})
    assert placed_on(allocation) == {1: 1, 2: None, 3: None, 4: None, 5: None}
    assert allocation.by_applicant[5].steps[-1] == Step(
        2, ChoiceRef(52, None), allocated=True, taken_before=0
    )
    assert allocation.taken() == {1: 1}


def test_an_applicant_without_choice_is_unplaced_with_no_step():
    allocation = allocate([applicant(1, [])], {})
    assert allocation.outcomes[0].steps == ()
    assert allocation.outcomes[0].choice is None


def test_no_applicant_gives_an_empty_allocation():
    allocation = allocate([], {1: 3})
    assert (allocation.outcomes, allocation.taken(), dict(allocation.seats)) == ((), {}, {1: 3})


def test_shuffled_input_gives_the_same_allocation():
    applicants = [
        applicant(
            n, [n % 5, (n * 7) % 5, None if n % 4 == 0 else 5], score=str(n % 3), minute=n % 2
        )
        for n in range(1, 60)
    ]
    seats = {0: 2, 1: 1, 2: 3, 3: 0, 4: 2, 5: 4}
    expected = allocate(applicants, seats)
    draw = random.Random(7)
    for _attempt in range(20):
        shuffled = applicants[:]
        draw.shuffle(shuffled)
        reordered_seats = dict(sorted(seats.items(), key=lambda _item: draw.random()))
        assert allocate(shuffled, reordered_seats) == expected


@pytest.mark.parametrize(
    ("applicants", "seats", "message"),
    [
        ([applicant(1, [1]), applicant(1, [2])], {1: 1, 2: 1}, "applicants listed twice: [1]"),
        ([applicant(1, [1])], {1: -1}, "negative seat counts for agreements [1]"),
        ([applicant(1, [1, 2, None])], {1: 1}, "no seat count for agreements [2]"),
    ],
)
def test_inconsistent_input_is_refused(applicants, seats, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        allocate(applicants, seats)


def test_over_allocated_lists_agreements_with_more_placements_than_seats():
    placements = [ChoiceRef(1, 1), ChoiceRef(2, 1), ChoiceRef(3, 2), ChoiceRef(4, None), None]
    assert over_allocated(placements, {1: 1, 2: 1}) == {1: 2}
    assert over_allocated(placements, {1: 2, 2: 1}) == {}
    assert over_allocated([ChoiceRef(5, 3)], {}) == {3: 1}
