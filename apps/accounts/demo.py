"""Load the demo world: a catalogue of real partner universities, filières and demo accounts.

Idempotent: everything is keyed on natural keys (partner name and country, agreement kind,
filière code, e-mail address), so a second run updates rows instead of duplicating them.
Demo accounts get DEMO_PASSWORD back on every run.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.programmes.demo_data import PARTNERS
from apps.programmes.importing import (
    AgreementRecord,
    ImportReport,
    Outcome,
    PartnerRecord,
    apply_partners,
)
from apps.programmes.models import Call

from .demo_data import DEMO_PASSWORD, FILIERES, STAFF, STUDENTS
from .models import Filiere, StudentProfile, User
from .roles import Role


@dataclass
class SeedCount:
    created: int = 0
    existing: int = 0

    def add(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1

    def __str__(self) -> str:
        return f"{self.created} created, {self.existing} already there"


@dataclass
class SeedReport:
    catalogue: ImportReport = field(default_factory=ImportReport)
    filieres: SeedCount = field(default_factory=SeedCount)
    accounts: SeedCount = field(default_factory=SeedCount)
    student_profiles: SeedCount = field(default_factory=SeedCount)
    calls: SeedCount = field(default_factory=SeedCount)

    def lines(self) -> list[str]:
        return [
            f"Partners: {_outcomes(self.catalogue.partners)}.",
            f"Agreements: {_outcomes(self.catalogue.agreements)}.",
            f"Filières: {self.filieres}.",
            f"Accounts: {self.accounts}.",
            f"Student profiles: {self.student_profiles}.",
            f"Calls for applications: {self.calls}.",
        ]


def _outcomes(counts: Counter[Outcome]) -> str:
    return ", ".join(f"{counts[outcome]} {outcome.value}" for outcome in Outcome)


def seed_demo() -> SeedReport:
    report = SeedReport()
    with transaction.atomic():
        report.catalogue = apply_partners(demo_partner_records())
        filieres = {code: _seed_filiere(code, name, report) for code, name in FILIERES}
        for account in STAFF:
            _seed_user(account, report)
        for student in STUDENTS:
            _seed_student(student, filieres, report)
        _seed_open_call(report)
    return report


def _seed_open_call(report: SeedReport) -> Call:
    """A call open around today for next academic year, so the demo student can apply."""
    today = timezone.localdate()
    academic_year = today.year + 1 if today.month >= 9 else today.year
    call, created = Call.objects.update_or_create(
        academic_year=academic_year,
        name="Mobilité académique / Academic mobility",
        defaults={"opens_on": today - timedelta(days=30), "closes_on": today + timedelta(days=60)},
    )
    report.calls.add(created)
    return call


def demo_logins() -> list[tuple[str, str]]:
    """(role, e-mail) of the first demo account of each role, for people trying the portal."""
    first_per_role: dict[str, str] = {}
    for account in (*STUDENTS[:1], *STAFF):
        first_per_role.setdefault(account.get("role", Role.STUDENT), account["email"])
    return list(first_per_role.items())


def demo_partner_records() -> list[PartnerRecord]:
    return [
        PartnerRecord(
            name=partner["name"],
            country=partner["country"],
            city=partner["city"],
            website=partner["website"],
            hei_id=partner.get("hei_id", ""),
            languages=list(partner["languages"]),
            fields=list(partner["fields"]),
            agreements=[AgreementRecord(**agreement) for agreement in partner["agreements"]],
        )
        for partner in PARTNERS
    ]


def _seed_filiere(code: str, name: str, report: SeedReport) -> Filiere:
    filiere, created = Filiere.objects.update_or_create(code=code, defaults={"name": name})
    report.filieres.add(created)
    return filiere


def _seed_user(account: dict, report: SeedReport) -> User:
    user, created = User.objects.update_or_create(
        email=account["email"],
        defaults={
            "first_name": account["first_name"],
            "last_name": account["last_name"],
            "role": account["role"],
            "is_superuser": account.get("is_superuser", False),
            "is_active": True,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    report.accounts.add(created)
    return user


def _seed_student(student: dict, filieres: dict[str, Filiere], report: SeedReport) -> None:
    user = _seed_user({**student, "role": Role.STUDENT}, report)
    _, created = StudentProfile.objects.update_or_create(
        user=user,
        defaults={
            "student_number": student["student_number"],
            "track": student["track"],
            "year": student["year"],
            "filiere": filieres[student["filiere"]],
            "advisor": User.objects.get(email=student["advisor"]),
        },
    )
    report.student_profiles.add(created)
