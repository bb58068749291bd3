"""Plan documents for the rules tests: valid by default, one keyword away from any case."""

from datetime import date, timedelta

from apps.rules import CheckResult, check_json

STUDY_DEFAULTS: dict[str, dict[str, object]] = {
    "double_degree": {"partner": True, "ects": 120},
    "master": {"partner": True, "ects": 90},
    "exchange_semester": {"partner": True, "ects": 30},
    "exchange_year": {"partner": True, "ects": 60, "ects_project": 30},
    "summer_stay": {"summer_type": "lab_internship", "approvals": ["DFI", "DRI"]},
}


def activity(kind: str, start: date | str, end: date | str, **fields: object) -> dict:
    """An activity document of `kind`, in Germany, with its kind's usual fields; a field given
    as None is left out."""
    document = {
        "kind": kind,
        "start": str(start),
        "end": str(end),
        "country": "DE",
        **STUDY_DEFAULTS.get(kind, {}),
        **fields,
    }
    return {name: value for name, value in document.items() if value is not None}


def lasting(kind: str, start: date, days: int, **fields: object) -> dict:
    """An activity of `kind` lasting `days` days, both ends included."""
    return activity(kind, start, start + timedelta(days=days - 1), **fields)


def plan(*activities: dict, track: str = "FISE", year: int = 2, **student: object) -> dict:
    return {
        "student": {"track": track, "year": year, **student},
        "activities": list(activities),
    }


def check(document: dict, lang: str = "en") -> CheckResult:
    return check_json(document, lang)


def found(document: dict, rule: str | None = None) -> list[tuple[str, str, str | None]]:
    """(rule, severity, activity) of each finding, only those of `rule` when given."""
    return [
        (finding.rule, finding.severity, finding.activity)
        for finding in check(document).findings
        if rule is None or finding.rule == rule
    ]
