"""A fast, strict yes/no answer to "does this data follow plan.schema.json?".

jsonschema is the authority on the plan format and the one that describes its problems, but
it spends about 300 µs per activity, more than a whole check may take. This mirror of the
schema answers in a few microseconds. It is strict: on anything unusual (30.0 for an
integer, a date followed by a newline...) it answers no, and the caller then asks
jsonschema, so a plan is never accepted that jsonschema rejects. The tests hold it to that.
"""

import re
from collections.abc import Callable, Mapping

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COUNTRY = re.compile(r"[A-Z]{2}")

_STUDY_FIELDS = frozenset({"partner", "ects"})
# Per kind: the fields it requires on top of kind, start, end and country; the ones it allows.
_KIND_FIELDS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "double_degree": (_STUDY_FIELDS, frozenset({"internship"})),
    "master": (_STUDY_FIELDS, frozenset()),
    "exchange_semester": (_STUDY_FIELDS, frozenset()),
    "exchange_year": (_STUDY_FIELDS, frozenset({"ects_project"})),
    "fh_internship": (frozenset(), frozenset()),
    "summer_stay": (frozenset({"summer_type"}), frozenset({"approvals"})),
    "engineering_internship": (frozenset(), frozenset({"last_obligation"})),
    "free_internship": (frozenset(), frozenset()),
}
_REQUIRED_BY_KIND = {
    kind: required | {"kind", "start", "end", "country"}
    for kind, (required, _) in _KIND_FIELDS.items()
}
_ALLOWED_BY_KIND = {
    kind: _REQUIRED_BY_KIND[kind] | optional | {"id"}
    for kind, (_, optional) in _KIND_FIELDS.items()
}


def _is_string_in(choices: frozenset[str]) -> Callable[[object], bool]:
    return lambda value: type(value) is str and value in choices


def _is_date(value: object) -> bool:
    return type(value) is str and _DATE.fullmatch(value) is not None


def _is_country(value: object) -> bool:
    return type(value) is str and _COUNTRY.fullmatch(value) is not None


def _is_boolean(value: object) -> bool:
    return type(value) is bool


def _is_count(value: object) -> bool:
    return type(value) is int and value >= 0


def _is_internship(value: object) -> bool:
    return (
        type(value) is dict
        and value.keys() == {"start", "end", "country"}
        and _is_date(value["start"])
        and _is_date(value["end"])
        and _is_country(value["country"])
    )


def _is_approvals(value: object) -> bool:
    return (
        type(value) is list
        and all(type(body) is str and body in {"DFI", "DRI"} for body in value)
        and len(set(value)) == len(value)
    )


_ACTIVITY_FIELDS: Mapping[str, Callable[[object], bool]] = {
    "id": lambda value: type(value) is str and len(value) >= 1,
    "kind": _is_string_in(frozenset(_KIND_FIELDS)),
    "start": _is_date,
    "end": _is_date,
    "country": _is_country,
    "partner": _is_boolean,
    "ects": _is_count,
    "ects_project": _is_count,
    "internship": _is_internship,
    "summer_type": _is_string_in(
        frozenset({"lab_internship", "company_internship", "summer_school", "other"})
    ),
    "approvals": _is_approvals,
    "last_obligation": _is_boolean,
}

_STUDENT_FIELDS: Mapping[str, Callable[[object], bool]] = {
    "track": _is_string_in(frozenset({"FISE", "FISEA"})),
    "year": lambda value: type(value) is int and value in (1, 2, 3),
    "engineering_internship_validated": _is_boolean,
    "full_year_internship_before_departure": _is_boolean,
}


def _is_activity(value: object) -> bool:
    if type(value) is not dict:
        return False
    kind = value.get("kind")
    if type(kind) is not str or kind not in _KIND_FIELDS:
        return False
    keys = value.keys()
    if not (_REQUIRED_BY_KIND[kind] <= keys <= _ALLOWED_BY_KIND[kind]):
        return False
    return all(_ACTIVITY_FIELDS[name](item) for name, item in value.items())


def _is_student(value: object) -> bool:
    return (
        type(value) is dict
        and {"track", "year"} <= value.keys() <= _STUDENT_FIELDS.keys()
        and all(_STUDENT_FIELDS[name](item) for name, item in value.items())
    )


def surely_valid(data: object) -> bool:
    """True only for data jsonschema accepts under plan.schema.json; False when in doubt."""
    if type(data) is not dict:
        return False
    if not {"student", "activities"} <= data.keys() <= {"regulation", "student", "activities"}:
        return False
    regulation = data.get("regulation", "-")
    activities = data["activities"]
    return (
        type(regulation) is str
        and len(regulation) >= 1
        and _is_student(data["student"])
        and type(activities) is list
        and all(_is_activity(activity) for activity in activities)
    )
