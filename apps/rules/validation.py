"""Plan input: JSON text or decoded data in, a Plan out, or every problem found at once.

A problem names its field by path (`activities[1].end`, `student.track`, `plan` for the whole
document). jsonschema is the authority on the format; the checks JSON Schema cannot express
(real dates, end >= start, ects_project <= ects, unique ids, ISO country codes, known
regulation version) follow it. Whatever the input, nothing but InvalidPlan is raised.
"""

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from apps.rules.countries import COUNTRY_CODES
from apps.rules.format_check import surely_valid
from apps.rules.messages import Text, TypeName, check_language, render
from apps.rules.plan import Activity, Internship, Plan, Student
from apps.rules.versions import BUILT_IN, Regulations

SCHEMA: dict[str, Any] = json.loads(
    Path(__file__).with_name("plan.schema.json").read_text(encoding="utf-8")
)
_VALIDATOR = Draft202012Validator(SCHEMA)

_DATE = re.compile(SCHEMA["$defs"]["date"]["pattern"])
_COUNTRY = re.compile(SCHEMA["$defs"]["country"]["pattern"])
_PATTERN_PROBLEMS = {_DATE.pattern: "date_format", _COUNTRY.pattern: "country_format"}
_KINDS = frozenset(SCHEMA["$defs"]["activity"]["properties"]["kind"]["enum"])

ROOT = "plan"
PathParts = tuple[str | int, ...]
Found = tuple[PathParts, Text]


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidPlan(ValueError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems: list[Problem] = list(problems)


def parse_plan(source: object, lang: str = "fr", regulations: Regulations = BUILT_IN) -> Plan:
    """A Plan from JSON text (str or bytes) or from already decoded JSON data.

    Raises InvalidPlan listing every problem in document order, messages in `lang`.
    """
    check_language(lang)
    data = _decode(source, lang) if isinstance(source, str | bytes | bytearray) else source
    found = [*_schema_problems(data), *_semantic_problems(data, regulations)]
    if found:
        raise InvalidPlan(_sorted_problems(found, lang))
    return _build_plan(data, regulations)  # type: ignore[arg-type]


def _decode(source: str | bytes | bytearray, lang: str) -> object:
    if isinstance(source, bytes | bytearray):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidPlan([Problem(ROOT, render(Text("not_utf8"), lang))]) from None
    try:
        return json.loads(
            source, parse_constant=_reject_constant, parse_float=_number, parse_int=_number
        )
    except json.JSONDecodeError as error:
        text = Text("not_json_at", {"line": error.lineno, "column": error.colno})
        raise InvalidPlan([Problem(ROOT, render(text, lang))]) from None
    except (ValueError, RecursionError):  # NaN, an integer of thousands of digits, deep nesting
        raise InvalidPlan([Problem(ROOT, render(Text("not_json"), lang))]) from None


_MAX_DIGITS = 4_000  # under Python's limit for printing an int (4,300 digits)


def _number(literal: str) -> int | Decimal:
    """A JSON number exactly as written: a whole one (30, 30.0, 3e1) as an int, any other as a
    Decimal, which the schema's integers refuse. A float would round 29.999999999999999999 up
    to 30 and -1e-400 to zero, and Python's int() refuses thousands of digits."""
    try:
        value = Decimal(literal)
    except InvalidOperation:  # an exponent past what a Decimal holds: 1e999999999999999999999
        return _beyond_decimal(literal)
    # Beyond a few thousand digits no count is meant: kept as a Decimal, refused as such.
    if value.adjusted() < _MAX_DIGITS and value == value.to_integral_value(ROUND_FLOOR):
        return int(value)
    return value


def _beyond_decimal(literal: str) -> int | Decimal:
    """A stand-in the schema refuses as the number would be: infinitely large, or a fraction
    (a negative exponent) that is not whole; with its sign, so that "-1e-…" is below 0 too."""
    mantissa, _e, exponent = literal.lower().partition("e")
    if not mantissa.strip("-+0."):  # 0e999999999999999999999 is zero, whatever its exponent
        return 0
    sign = "-" if mantissa.startswith("-") else ""
    return Decimal(f"{sign}0.1") if exponent.startswith("-") else Decimal(f"{sign}Infinity")


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _schema_problems(data: object) -> list[Found]:
    if surely_valid(data):
        return []
    try:
        return [
            found
            for error in _VALIDATOR.iter_errors(data)
            if not _follows_from_bad_kind(error, data)
            for found in _describe(error, data)
        ]
    except RecursionError:
        return [((), Text("not_json"))]


def _follows_from_bad_kind(error: ValidationError, data: object) -> bool:
    """What an activity may hold depends on its kind: while the kind is missing or unknown,
    only the kind is worth reporting."""
    if "allOf" not in error.schema_path:
        return False
    kind = _value_at(data, tuple(error.absolute_path)[:2]).get("kind")
    return not isinstance(kind, str) or kind not in _KINDS


def _describe(error: ValidationError, data: object) -> list[Found]:
    path: PathParts = tuple(error.absolute_path)
    match error.validator:
        case "required":
            missing = [name for name in error.validator_value if name not in error.instance]
            return [((*path, name), Text("required")) for name in missing]
        case "additionalProperties":
            known = error.schema.get("properties", {})
            unknown = [name for name in error.instance if name not in known]
            return [((*path, name), Text("unknown_field")) for name in unknown]
        case None:  # a `false` subschema: fields that belong to other kinds of activity
            return _fields_of_other_kinds(error, data)
        case "type":
            return [(path, Text("type", {"expected": TypeName(error.validator_value)}))]
        case "enum":
            choices = ", ".join(_shown(choice) for choice in error.validator_value)
            return [(path, Text("enum", {"value": _shown(error.instance), "choices": choices}))]
        case "pattern":
            return [(path, Text(_PATTERN_PROBLEMS[error.validator_value]))]
        case "minLength":  # the schema asks for 1 character at least
            return [(path, Text("empty"))]
        case "minimum":
            return [(path, Text("minimum", {"minimum": error.validator_value}))]
        case "uniqueItems":
            return [(path, Text("repeated"))]
    # A new keyword in the schema needs its problem text here.
    raise AssertionError(f"no problem text for schema keyword {error.validator!r}")


def _fields_of_other_kinds(error: ValidationError, data: object) -> list[Found]:
    # jsonschema reports a `false` property schema at the object, naming neither the field
    # nor its schema: the fields are those the "properties" keyword it comes from forbids.
    activity_path: PathParts = tuple(error.absolute_path)
    activity = _value_at(data, activity_path)
    forbidding = _schema_at(error.schema_path)
    kind = _shown(activity.get("kind"))
    return [
        ((*activity_path, name), Text("not_for_kind", {"kind": kind}))
        for name, subschema in forbidding.items()
        if subschema is False and name in activity
    ]


def _schema_at(schema_path: Iterable[str | int]) -> Any:
    """The subschema at a jsonschema error's schema path, which steps over "$ref"."""
    node: Any = SCHEMA
    for key in schema_path:
        if isinstance(node, dict) and key not in node and "$ref" in node:
            node = _value_at(SCHEMA, tuple(node["$ref"].removeprefix("#/").split("/")))
        node = node[key]
    return node


def _semantic_problems(data: object, regulations: Regulations) -> Iterator[Found]:
    if not isinstance(data, dict):
        return
    regulation = data.get("regulation")
    if isinstance(regulation, str) and regulation and regulation not in regulations.versions:
        figures = {"value": _shown(regulation), "known": ", ".join(regulations.versions)}
        yield ("regulation",), Text("unknown_regulation", figures)
    activities = data.get("activities")
    if not isinstance(activities, list):
        return
    first_use: dict[str, int] = {}
    for index, activity in enumerate(activities):
        if not isinstance(activity, dict):
            continue
        here = ("activities", index)
        yield from _period_problems(activity, here)
        internship = activity.get("internship")
        if isinstance(internship, dict):
            yield from _period_problems(internship, (*here, "internship"))
        yield from _ects_problems(activity, here)
        activity_id = activity.get("id", str(index))
        if not isinstance(activity_id, str):
            continue
        if not _is_unicode(activity_id):
            yield (*here, "id"), Text("not_unicode")
        elif activity_id in first_use:
            figures = {"value": _shown(activity_id), "other": first_use[activity_id]}
            yield (*here, "id"), Text("duplicate_id", figures)
        else:
            first_use[activity_id] = index


def _period_problems(fields: dict[str, Any], path: PathParts) -> Iterator[Found]:
    """Real start and end dates, in order, and a country that exists."""
    dates: dict[str, date] = {}
    for name in ("start", "end"):
        value = fields.get(name)
        if isinstance(value, str) and _DATE.search(value):
            try:
                dates[name] = date.fromisoformat(value)
            except ValueError:
                yield (*path, name), Text("not_a_date", {"value": _shown(value)})
    if len(dates) == 2 and dates["end"] < dates["start"]:
        yield (
            (*path, "end"),
            Text("end_before_start", {"end": dates["end"], "start": dates["start"]}),
        )
    country = fields.get("country")
    if isinstance(country, str) and _COUNTRY.search(country) and country not in COUNTRY_CODES:
        yield (*path, "country"), Text("unknown_country", {"value": _shown(country)})


def _ects_problems(activity: dict[str, Any], path: PathParts) -> Iterator[Found]:
    """ects_project above ects, when ects itself is a valid count: against a negative ects
    (a problem of its own), even a project of 0 would read as "more than ects"."""
    ects, project = activity.get("ects"), activity.get("ects_project")
    if _is_number(ects) and ects >= 0 and _is_number(project) and project > ects:
        yield (
            (*path, "ects_project"),
            Text("project_above_ects", {"project": project, "ects": ects}),
        )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_unicode(text: str) -> bool:
    """False for a string holding a lone surrogate ("\\ud800" in JSON): no output can print it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: object) -> str:
    """A value quoted as JSON in ASCII, so that any input prints on one short line."""
    dumped = json.dumps(value, default=_number_as_written)
    shown = dumped.replace('"\\u0000', "").replace('\\u0000"', "")
    return shown if len(shown) <= _LONGEST_SHOWN else f"{shown[: _LONGEST_SHOWN - 3]}..."


_LONGEST_SHOWN = 60


_MARK = "\x00"  # around a Decimal's digits, so that they lose their quotes once dumped


def _number_as_written(value: object) -> str:
    return f"{_MARK}{value}{_MARK}" if isinstance(value, Decimal) else str(value)


def _value_at(data: Any, path: PathParts) -> Any:
    for part in path:
        data = data[part]
    return data


def _sorted_problems(found: list[Found], lang: str) -> list[Problem]:
    """Each problem once, in document order: activities by index, fields in schema order.

    A field that the activity's kind does not allow is reported as such, and nothing else
    about its value is.
    """
    misplaced = {path for path, text in found if text.key == "not_for_kind"}
    unique = dict.fromkeys(
        (path, render(text, lang))
        for path, text in found
        if text.key == "not_for_kind"
        or not any(path[:length] in misplaced for length in range(1, len(path) + 1))
    )
    ordered = sorted(unique, key=lambda problem: _path_order(problem[0]))
    return [Problem(_format_path(path), message) for path, message in ordered]


def _field_ranks(schema: object, ranks: dict[str, int]) -> dict[str, int]:
    if isinstance(schema, dict):
        for name in schema.get("properties", {}):
            ranks.setdefault(name, len(ranks))
        for value in schema.values():
            _field_ranks(value, ranks)
    elif isinstance(schema, list):
        for value in schema:
            _field_ranks(value, ranks)
    return ranks


_FIELD_RANKS = _field_ranks(SCHEMA, {})


def _path_order(path: PathParts) -> tuple[tuple[int, int, str], ...]:
    unknown = len(_FIELD_RANKS)
    return tuple(
        (0, part, "") if isinstance(part, int) else (1, _FIELD_RANKS.get(part, unknown), str(part))
        for part in path
    )


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _format_path(path: PathParts) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(part, str) and _IDENTIFIER.fullmatch(part):
            text += f".{part}" if text else part
        else:  # an unknown field with an odd name, quoted so the line stays readable
            text += f"[{_shown(str(part))}]"
    return text or ROOT


def _build_plan(data: dict[str, Any], regulations: Regulations) -> Plan:
    student = data["student"]
    return Plan(
        regulation=data.get("regulation", regulations.current),
        student=Student(
            track=student["track"],
            year=int(student["year"]),
            engineering_internship_validated=student.get("engineering_internship_validated", False),
            full_year_internship_before_departure=student.get(
                "full_year_internship_before_departure", False
            ),
        ),
        activities=tuple(
            _build_activity(index, fields) for index, fields in enumerate(data["activities"])
        ),
    )


def _build_activity(index: int, fields: dict[str, Any]) -> Activity:
    internship = fields.get("internship")
    # int(): jsonschema takes 30.0 for the integer 30.
    ects, project = fields.get("ects"), fields.get("ects_project")
    return Activity(
        id=fields.get("id", str(index)),
        kind=fields["kind"],
        start=date.fromisoformat(fields["start"]),
        end=date.fromisoformat(fields["end"]),
        country=fields["country"],
        partner=fields.get("partner"),
        ects=None if ects is None else int(ects),
        ects_project=None if project is None else int(project),
        internship=None if internship is None else _build_internship(internship),
        summer_type=fields.get("summer_type"),
        approvals=frozenset(fields.get("approvals", ())),
        last_obligation=fields.get("last_obligation", True),
    )


def _build_internship(fields: dict[str, Any]) -> Internship:
    return Internship(
        start=date.fromisoformat(fields["start"]),
        end=date.fromisoformat(fields["end"]),
        country=fields["country"],
    )
