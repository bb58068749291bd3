"""The fast format check answers as jsonschema does, or more strictly on odd values."""

import copy
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from apps.rules.format_check import surely_valid
from apps.rules.validation import SCHEMA
from tests.rules.strategies import KINDS, plans

QUICK = settings(max_examples=150, deadline=None, database=None)
VALIDATOR = Draft202012Validator(SCHEMA)

ABSENT = object()
GENERIC = [None, "x", 1, [], {}]
# For each field: values right for some kinds and wrong for others, and plainly wrong ones.
CANDIDATES: dict[str, list[object]] = {
    "regulation": ["", "2024", "2031", 2024],
    "student": [[], {"track": "FISE"}, {"track": "FISE", "year": 1}],
    "activities": [[1], [{}]],
    "track": ["FISE", "FISEA", "fise"],
    "year": [0, 1, 3, 4, True, "1", 1.5],
    "engineering_internship_validated": [True, False, 0, "true"],
    "full_year_internship_before_departure": [True, False, 0, "true"],
    "id": ["", "a0", "0"],
    "kind": [*KINDS, "gap_year"],
    "start": ["2026-01-01", "2026-02-30", "26-01-01", "2026-1-01", 20260101],
    "end": ["2026-12-31", "2026-13-01", " 2026-12-31"],
    "country": ["FR", "DE", "XX", "de", "D", "DEU"],
    "partner": [True, False, "yes", 0],
    "ects": [0, 30, -1, 1.5, "30", True, 10**20],
    "ects_project": [0, 30, -1, 1.5, False],
    "internship": [
        {"start": "2027-01-01", "end": "2027-02-01", "country": "DE"},
        {"start": "2027-01-01", "country": "DE"},
        {"start": "2027-01-01", "end": "2027-02-01", "country": "DE", "pay": 1},
        {"start": "2027-01-01", "end": "2027-02-01", "country": "de"},
    ],
    "summer_type": ["lab_internship", "company_internship", "summer_school", "other", "trip"],
    "approvals": [["DFI"], ["DRI", "DFI"], ["DFI", "DFI"], ["DGA"], "DFI", [1]],
    "last_obligation": [True, False, "no"],
    "unknown": [1],
}
# Values jsonschema accepts where the fast check, strict, says no.
ODD_VALUES = [30.0, 1.0, "2026-01-01\n", "DE\n"]

STUDY_FIELDS = {"partner": True, "ects": 60}
FULL_ACTIVITIES = {
    "double_degree": {
        **STUDY_FIELDS,
        "internship": {"start": "2027-01-01", "end": "2027-02-01", "country": "DE"},
    },
    "master": STUDY_FIELDS,
    "exchange_semester": STUDY_FIELDS,
    "exchange_year": {**STUDY_FIELDS, "ects_project": 30},
    "fh_internship": {},
    "summer_stay": {"summer_type": "other", "approvals": ["DFI", "DRI"]},
    "engineering_internship": {"last_obligation": True},
    "free_internship": {},
}
STUDENT = {
    "track": "FISE",
    "year": 2,
    "engineering_internship_validated": False,
    "full_year_internship_before_departure": False,
}
# One plan per kind, each with a single activity holding every field its kind allows.
BASES = [
    {
        "regulation": "2024",
        "student": STUDENT,
        "activities": [
            {"id": "a", "kind": kind, "start": "2026-09-01", "end": "2026-12-31", "country": "DE",
             **fields}
        ],
    }
    for kind, fields in FULL_ACTIVITIES.items()
]  # fmt: skip


def containers(document: dict) -> list[dict]:
    """Every object of a plan document: itself, its student, activities and internships."""
    found = [document]
    for value in document.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                found.extend(containers(item))
    return found


def one_change_each() -> Iterator[tuple[str, dict]]:
    """Each base plan with one field of one object removed, or set to each candidate value;
    the plan object and the student are changed in the first base plan only."""
    for number, base in enumerate(BASES):
        for position in range(0 if number == 0 else 2, len(containers(base))):
            for field, candidates in CANDIDATES.items():
                for value in [ABSENT, *candidates, *GENERIC]:
                    document = copy.deepcopy(base)
                    target = containers(document)[position]
                    if value is ABSENT:
                        target.pop(field, None)
                    else:
                        target[field] = copy.deepcopy(value)
                    yield f"plan {number}, object {position}, {field} = {value!r}", document


def test_the_base_plans_are_valid():
    for base in BASES:
        assert VALIDATOR.is_valid(base)
        assert surely_valid(base)


def test_the_fast_check_agrees_with_jsonschema_on_every_single_change():
    disagreements = [
        change
        for change, document in one_change_each()
        if surely_valid(document) != VALIDATOR.is_valid(document)
    ]
    assert disagreements == []


@st.composite
def changed_plans(draw, values: list[object]) -> dict:
    document = copy.deepcopy(draw(plans(max_activities=3)))
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(containers(document)))
        field = draw(st.sampled_from(list(CANDIDATES)))
        if draw(st.booleans()):
            target.pop(field, None)
        else:
            target[field] = copy.deepcopy(draw(st.sampled_from(CANDIDATES[field] + values)))
    return document


@settings(QUICK, max_examples=100)
@given(plans())
def test_valid_plans_take_the_fast_path(document):
    assert VALIDATOR.is_valid(document)
    assert surely_valid(document)


@QUICK
@given(changed_plans(GENERIC))
def test_the_fast_check_agrees_with_jsonschema_on_several_changes(document):
    assert surely_valid(document) == VALIDATOR.is_valid(document)


@QUICK
@given(changed_plans(GENERIC + ODD_VALUES))
def test_the_fast_check_never_accepts_what_jsonschema_rejects(document):
    if surely_valid(document):
        assert VALIDATOR.is_valid(document)
