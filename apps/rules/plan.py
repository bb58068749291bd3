"""The engine's vocabulary: a mobility plan in, a check result out (plain frozen dataclasses)."""

from dataclasses import dataclass
from datetime import date
from typing import Literal

Track = Literal["FISE", "FISEA"]
Kind = Literal[
    "double_degree",
    "master",
    "exchange_semester",
    "exchange_year",
    "fh_internship",
    "summer_stay",
    "engineering_internship",
    "free_internship",
]
SummerType = Literal["lab_internship", "company_internship", "summer_school", "other"]
Severity = Literal["error", "warning", "info"]

STUDY_KINDS: frozenset[str] = frozenset(
    {"double_degree", "master", "exchange_semester", "exchange_year"}
)
INTERNSHIP_KINDS: frozenset[str] = frozenset(
    {"fh_internship", "summer_stay", "engineering_internship", "free_internship"}
)
HOME_COUNTRY = "FR"
SUMMER_APPROVERS: tuple[str, ...] = ("DFI", "DRI")


@dataclass(frozen=True, slots=True)
class Student:
    track: Track
    year: int
    engineering_internship_validated: bool = False
    full_year_internship_before_departure: bool = False


@dataclass(frozen=True, slots=True)
class Internship:
    """A double degree's own internship: part of the double degree, not an activity."""

    start: date
    end: date
    country: str


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity; fields that do not belong to its kind stay at their defaults."""

    id: str
    kind: Kind
    start: date
    end: date
    country: str
    partner: bool | None = None
    ects: int | None = None
    ects_project: int | None = None
    internship: Internship | None = None
    summer_type: SummerType | None = None
    approvals: frozenset[str] = frozenset()
    last_obligation: bool = True

    @property
    def abroad(self) -> bool:
        return self.country != HOME_COUNTRY

    @property
    def approved_by_all(self) -> bool:
        return all(body in self.approvals for body in SUMMER_APPROVERS)


@dataclass(frozen=True, slots=True)
class Plan:
    regulation: str
    student: Student
    activities: tuple[Activity, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    activity: str | None
    message: str
    reference: str

    def to_dict(self) -> dict[str, str | None]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "activity": self.activity,
            "message": self.message,
            "reference": self.reference,
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    regulation: str
    compliant: bool
    qualifying_days: int
    required_days: int
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, object]:
        """The output object of the regulations contract, keys in its order."""
        return {
            "regulation": self.regulation,
            "compliant": self.compliant,
            "qualifying_days": self.qualifying_days,
            "required_days": self.required_days,
            "findings": [finding.to_dict() for finding in self.findings],
        }
