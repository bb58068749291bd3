"""Seat allocation by serial dictatorship, in pure Python: applicants in, proposal out.

Applicants are ranked by a total order: higher score first; applicants without a score after
every scored one; then the earlier submission; then the lower id. In that order, each
applicant gets their most preferred choice that still has a seat. A choice outside
partnerships (no agreement) has no seat limit. The same applicants and seats always give the
same allocation, whatever order the applicants come in.

Every outcome keeps the steps of the applicant's turn as data (which choice was looked at,
how many better-ranked applicants had taken its seats); pages put them into words.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property


@dataclass(frozen=True)
class ChoiceRef:
    choice_id: int
    agreement_id: int | None  # None: outside partnerships, no seat limit


@dataclass(frozen=True)
class Applicant:
    id: int
    score: Decimal | None
    submitted_at: datetime | None
    choices: tuple[ChoiceRef, ...]  # the most preferred first


@dataclass(frozen=True)
class Step:
    """One choice looked at during an applicant's turn."""

    preference: int  # 1 for the applicant's most preferred choice
    choice: ChoiceRef
    allocated: bool
    taken_before: int  # seats of this agreement given to better-ranked applicants


@dataclass(frozen=True)
class Outcome:
    applicant_id: int
    position: int  # 1 for the best-ranked applicant
    steps: tuple[Step, ...]

    @property
    def choice(self) -> ChoiceRef | None:
        """The allocated choice, or None when the applicant is unplaced."""
        if self.steps and self.steps[-1].allocated:
            return self.steps[-1].choice
        return None

    @property
    def placed(self) -> bool:
        return self.choice is not None


@dataclass(frozen=True)
class Allocation:
    outcomes: tuple[Outcome, ...]  # in rank order
    seats: Mapping[int, int]  # agreement id -> seats this allocation could give

    @cached_property
    def by_applicant(self) -> dict[int, Outcome]:
        return {outcome.applicant_id: outcome for outcome in self.outcomes}

    @property
    def unplaced(self) -> tuple[Outcome, ...]:
        return tuple(outcome for outcome in self.outcomes if not outcome.placed)

    def taken(self) -> dict[int, int]:
        """Seats given per agreement, by agreement id."""
        return seats_taken(outcome.choice for outcome in self.outcomes)


def rank_key(applicant: Applicant) -> tuple:
    """Sorts the best-ranked first; the id at the end makes the order total."""
    return (
        applicant.score is None,
        -(applicant.score or 0),
        applicant.submitted_at is None,
        applicant.submitted_at or datetime.min,
        applicant.id,
    )


def allocate(applicants: Sequence[Applicant], seats: Mapping[int, int]) -> Allocation:
    """Serial dictatorship over `applicants`, with `seats` free seats per agreement id."""
    _check_input(applicants, seats)
    taken: Counter[int] = Counter()
    outcomes = []
    for position, applicant in enumerate(sorted(applicants, key=rank_key), start=1):
        steps = []
        for preference, choice in enumerate(applicant.choices, start=1):
            agreement = choice.agreement_id
            before = taken[agreement] if agreement is not None else 0
            allocated = agreement is None or before < seats[agreement]
            steps.append(Step(preference, choice, allocated, before))
            if allocated:
                if agreement is not None:
                    taken[agreement] += 1
                break
        outcomes.append(Outcome(applicant.id, position, tuple(steps)))
    return Allocation(outcomes=tuple(outcomes), seats=dict(sorted(seats.items())))


def seats_taken(placements: Iterable[ChoiceRef | None]) -> dict[int, int]:
    """How many of `placements` fall on each agreement (outside partnerships not counted)."""
    counts = Counter(
        placement.agreement_id
        for placement in placements
        if placement is not None and placement.agreement_id is not None
    )
    return dict(sorted(counts.items()))


def over_allocated(
    placements: Iterable[ChoiceRef | None], seats: Mapping[int, int]
) -> dict[int, int]:
    """The agreements given more placements than seats: agreement id -> placements."""
    return {
        agreement: count
        for agreement, count in seats_taken(placements).items()
        if count > seats.get(agreement, 0)
    }


def _check_input(applicants: Sequence[Applicant], seats: Mapping[int, int]) -> None:
    ids = Counter(applicant.id for applicant in applicants)
    repeated = sorted(applicant for applicant, count in ids.items() if count > 1)
    if repeated:
        raise ValueError(f"applicants listed twice: {repeated}")
    negative = sorted(agreement for agreement, count in seats.items() if count < 0)
    if negative:
        raise ValueError(f"negative seat counts for agreements {negative}")
    missing = sorted(
        {
            choice.agreement_id
            for applicant in applicants
            for choice in applicant.choices
            if choice.agreement_id is not None and choice.agreement_id not in seats
        }
    )
    if missing:
        raise ValueError(f"no seat count for agreements {missing}")
