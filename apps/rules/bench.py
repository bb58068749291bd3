"""Time the engine, without Django: `python -m apps.rules.bench`.

Prints the best of many timeit runs, in µs of CPU time per check, for `check_plan` on an already
validated Plan and for `check_json`, which also parses the JSON text and validates it.
Targets on one core: under 100 µs and under 500 µs.
"""

import json
import time
import timeit
from collections.abc import Callable
from datetime import date

from apps.rules.engine import check_json, check_plan
from apps.rules.measures import ONE_DAY, add_months
from apps.rules.validation import parse_plan

# Many short runs timed in CPU time: on a shared machine, other processes then count
# little, and the best run is the least disturbed one.
REPEATS = 25

TYPICAL_PLAN: dict[str, object] = {
    "regulation": "2024",
    "student": {"track": "FISE", "year": 2},
    "activities": [
        {
            "id": "summer",
            "kind": "summer_stay",
            "start": "2026-07-01",
            "end": "2026-08-31",
            "country": "CA",
            "summer_type": "lab_internship",
            "approvals": ["DFI", "DRI"],
        },
        {
            "id": "semester",
            "kind": "exchange_semester",
            "start": "2026-09-01",
            "end": "2027-01-31",
            "country": "DE",
            "partner": True,
            "ects": 30,
        },
        {
            "id": "internship",
            "kind": "engineering_internship",
            "start": "2027-04-01",
            "end": "2027-09-15",
            "country": "FR",
            "last_obligation": True,
        },
    ],
}


# One activity of each kind that follows the rules, with its length in months.
_SOUND_ACTIVITIES: list[tuple[int, dict[str, object]]] = [
    (5, {"kind": "exchange_semester", "country": "DE", "partner": True, "ects": 30}),
    (
        2,
        {
            "kind": "summer_stay",
            "country": "CA",
            "summer_type": "lab_internship",
            "approvals": ["DFI", "DRI"],
        },
    ),
    (1, {"kind": "fh_internship", "country": "IE"}),
    (12, {"kind": "master", "country": "SE", "partner": True, "ects": 90}),
    (
        10,
        {"kind": "exchange_year", "country": "JP", "partner": True, "ects": 60, "ects_project": 30},
    ),
    (6, {"kind": "engineering_internship", "country": "FR", "last_obligation": False}),
    (4, {"kind": "free_internship", "country": "US"}),
    (18, {"kind": "double_degree", "country": "IT", "partner": True, "ects": 120}),
]
# The same kinds, each breaking one rule or more.
_BROKEN_ACTIVITIES: list[tuple[int, dict[str, object]]] = [
    (5, {"kind": "exchange_semester", "country": "DE", "partner": False, "ects": 24}),
    (4, {"kind": "summer_stay", "country": "CA", "summer_type": "other"}),
    (1, {"kind": "fh_internship", "country": "IE"}),
    (11, {"kind": "master", "country": "SE", "partner": False, "ects": 90}),
    (10, {"kind": "exchange_year", "country": "JP", "partner": True, "ects": 50}),
    (7, {"kind": "engineering_internship", "country": "FR"}),
    (4, {"kind": "free_internship", "country": "US"}),
    (17, {"kind": "double_degree", "country": "IT", "partner": True, "ects": 120}),
]


def long_plan(activities: list[tuple[int, dict[str, object]]], count: int = 20) -> dict:
    """`count` back-to-back activities, cycling through the given ones."""
    plan_activities = []
    start = date(2026, 9, 1)
    for index in range(count):
        months, fields = activities[index % len(activities)]
        end = add_months(start, months) - ONE_DAY
        plan_activities.append(
            {"id": f"a{index}", **fields, "start": start.isoformat(), "end": end.isoformat()}
        )
        start = end + ONE_DAY
    return {"student": {"track": "FISE", "year": 2}, "activities": plan_activities}


def best_microseconds(call: Callable[[], object]) -> float:
    timer = timeit.Timer(call, timer=time.process_time)
    number = max(1, timer.autorange()[0] // 5)  # runs of about 40 ms
    return min(timer.repeat(repeat=REPEATS, number=number)) / number * 1e6


def main() -> None:
    plans = {
        "typical": TYPICAL_PLAN,
        "long": long_plan(_SOUND_ACTIVITIES),
        "long, broken": long_plan(_BROKEN_ACTIVITIES),
    }
    print(
        f"{'plan':<14}{'activities':>11}{'findings':>10}{'check_plan µs':>15}{'check_json µs':>15}"
    )
    for name, data in plans.items():
        text = json.dumps(data)
        plan = parse_plan(text)
        findings = len(check_plan(plan).findings)
        validated = best_microseconds(lambda plan=plan: check_plan(plan))
        with_parsing = best_microseconds(lambda text=text: check_json(text))
        print(
            f"{name:<14}{len(plan.activities):>11}{findings:>10}"
            f"{validated:>15.1f}{with_parsing:>15.1f}"
        )
    print("targets: check_plan < 100 µs, check_json < 500 µs (JSON text parsed and validated)")


if __name__ == "__main__":
    main()
