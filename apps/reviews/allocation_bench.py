"""Time the seat allocation, without Django: `python -m apps.reviews.allocation_bench`.

Allocates 2,000 applicants with 3 choices each over 300 agreements (one choice in ten outside
partnerships, scores with ties, some applicants without a score) and prints the best and the
median of several runs, in milliseconds. Target: under 1 s.
"""

import random
import statistics
import time
from datetime import datetime, timedelta
from decimal import Decimal

from apps.reviews.allocation import Applicant, ChoiceRef, allocate

APPLICANTS = 2_000
CHOICES = 3
AGREEMENTS = 300
RUNS = 15
SEED = 2027


def world(
    applicants: int = APPLICANTS, choices: int = CHOICES, agreements: int = AGREEMENTS
) -> tuple[list[Applicant], dict[int, int]]:
    draw = random.Random(SEED)
    seats = {agreement: draw.randint(0, 6) for agreement in range(1, agreements + 1)}
    start = datetime(2027, 1, 10, 9, 0)
    people = []
    for number in range(1, applicants + 1):
        agreement_ids = draw.sample(range(1, agreements + 1), choices)
        refs = tuple(
            ChoiceRef(
                choice_id=number * choices + index,
                agreement_id=None if draw.random() < 0.1 else agreement,
            )
            for index, agreement in enumerate(agreement_ids)
        )
        score = None if draw.random() < 0.05 else Decimal(draw.randint(0, 200)) / 10
        submitted_at = start + timedelta(minutes=draw.randint(0, 20_000))
        people.append(Applicant(number, score, submitted_at, refs))
    return people, seats


def timings_ms(runs: int) -> list[float]:
    applicants, seats = world()
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        allocate(applicants, seats)
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def main() -> None:
    applicants, seats = world()
    allocation = allocate(applicants, seats)
    timings = timings_ms(RUNS)
    placed = len(allocation.outcomes) - len(allocation.unplaced)
    print(
        f"{len(applicants)} applicants × {CHOICES} choices over {len(seats)} agreements "
        f"({sum(seats.values())} seats): {placed} placed, {len(allocation.unplaced)} unplaced"
    )
    print(
        f"allocate: best {min(timings):.1f} ms, median {statistics.median(timings):.1f} ms "
        f"over {len(timings)} runs (target < 1000 ms)"
    )


if __name__ == "__main__":
    main()
