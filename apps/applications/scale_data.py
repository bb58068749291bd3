"""Data at the size of a group of schools, made in bulk for benchmarks (`manage.py seed_scale`).

Each table is filled by a few bulk inserts instead of one save per row, so 10,000 students take
well under two minutes on PostgreSQL. What the portal derives is derived the portal's way: the
plans' cached verdicts and the applications' snapshots come from the rules engine through
`checking.plan_result`, and every history follows the workflow table (`workflow.ALLOWED_FROM`).

Every account has an address @SCALE_DOMAIN, every partner an EWP id under it and every call
the name SCALE_CALL_NAME: that is how a second run sees that the data is there, and how
`reset_scale_data` removes it and nothing else. Every account's password is the demo one.
Documents are rows sharing one small stored PDF (SAMPLE_DOCUMENT): replacing one through the
portal would remove that file for all of them, which benchmark data can live with.
"""

import random
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models import Case, OuterRef, ProtectedError, Subquery, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import override

from apps.accounts.demo_data import DEMO_PASSWORD, FILIERES
from apps.accounts.models import Filiere, StudentProfile, Track, User
from apps.accounts.roles import Role
from apps.notifications.events import (
    APPLICATION_DECISION,
    APPLICATION_SUBMITTED,
    COURSE_PLAN_DECIDED,
    COURSE_PLAN_TO_REVIEW,
    DECISION_STATES,
    Event,
)
from apps.notifications.models import DeliveryStatus, Notification
from apps.programmes.models import Agreement, AgreementKind, Call, Language, Partner, StudyField
from mobility_portal.caching import everything_changed

from .checking import PlanCheck, plan_result
from .errors import ServiceError
from .models import (
    AGREEMENT_KIND_FOR_ACTIVITY,
    Activity,
    ActivityKind,
    Application,
    ApplicationState,
    Choice,
    CourseLine,
    CoursePlan,
    CoursePlanStatus,
    Document,
    DocumentKind,
    LineDecision,
    MobilityPlan,
    PlanRecheck,
    SummerType,
    Transition,
)
from .plan_format import plan_document
from .services import REQUIRED_DOCUMENTS, SNAPSHOT_LANGUAGES, snapshot_has_errors
from .workflow import ALLOWED_FROM

SCALE_DOMAIN = "scale.mobility.example"
SCALE_CALL_NAME = "Academic mobility (scale data)"
SCALE_PASSWORD = DEMO_PASSWORD
SAMPLE_DOCUMENT = "documents/scale-sample.pdf"
SAMPLE_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
BATCH_SIZE = 2000

S = ApplicationState
K = ActivityKind


def student_email(number: int) -> str:
    return f"student{number:05d}@{SCALE_DOMAIN}"


def staff_email(role: str, number: int) -> str:
    return f"{role}{number:03d}@{SCALE_DOMAIN}"


# --- what the data is made of --------------------------------------------------------------

# Partner countries: their cities and languages of instruction.
COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "DE": (("Berlin", "Aachen", "Stuttgart", "Dresden", "Karlsruhe", "Darmstadt"), ("de", "en")),
    "ES": (("Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao"), ("es", "en")),
    "IT": (("Milano", "Torino", "Bologna", "Roma", "Padova"), ("it", "en")),
    "SE": (("Stockholm", "Göteborg", "Lund", "Uppsala"), ("sv", "en")),
    "NL": (("Delft", "Eindhoven", "Enschede", "Amsterdam"), ("nl", "en")),
    "BE": (("Bruxelles", "Leuven", "Gent", "Liège"), ("fr", "nl", "en")),
    "CH": (("Zürich", "Lausanne", "Genève"), ("de", "fr", "en")),
    "PT": (("Lisboa", "Porto", "Coimbra"), ("pt", "en")),
    "GB": (("London", "Edinburgh", "Manchester", "Bristol"), ("en",)),
    "IE": (("Dublin", "Cork", "Galway"), ("en",)),
    "PL": (("Warszawa", "Kraków", "Wrocław"), ("pl", "en")),
    "CZ": (("Praha", "Brno"), ("cs", "en")),
    "AT": (("Wien", "Graz", "Innsbruck"), ("de", "en")),
    "FI": (("Helsinki", "Tampere", "Oulu"), ("fi", "en")),
    "NO": (("Oslo", "Trondheim", "Bergen"), ("no", "en")),
    "DK": (("København", "Aarhus", "Aalborg"), ("da", "en")),
    "CA": (("Montréal", "Québec", "Toronto", "Sherbrooke", "Vancouver"), ("fr", "en")),
    "US": (("Boston", "Atlanta", "Austin", "Pittsburgh", "San Diego"), ("en",)),
    "BR": (("São Paulo", "Rio de Janeiro", "Campinas"), ("pt",)),
    "CL": (("Santiago", "Valparaíso"), ("es",)),
    "MX": (("Ciudad de México", "Monterrey"), ("es",)),
    "JP": (("Tokyo", "Kyoto", "Osaka", "Sendai"), ("ja", "en")),
    "KR": (("Seoul", "Daejeon", "Pohang"), ("ko", "en")),
    "CN": (("Shanghai", "Beijing", "Harbin", "Wuhan"), ("zh", "en")),
    "SG": (("Singapore",), ("en",)),
    "AU": (("Sydney", "Melbourne", "Brisbane"), ("en",)),
    "IN": (("Mumbai", "Chennai", "Delhi"), ("en",)),
}
LANGUAGES = {
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "sv": "Swedish",
    "zh": "Chinese",
}
STUDY_FIELDS = (
    "Computer science",
    "Electrical engineering",
    "Telecommunications",
    "Applied mathematics",
    "Data science",
    "Embedded systems",
    "Signal processing",
    "Cybersecurity",
)
PARTNER_NAMES = (
    "University of {city}",
    "{city} University of Technology",
    "{city} Institute of Engineering",
    "Polytechnic School of {city}",
    "{city} Graduate School of Engineering",
    "{city} Technical College",
    "Faculty of Engineering, {city}",
)
NON_PARTNER_HOSTS = (
    "Northbridge Institute of Technology",
    "Lakeside Polytechnic",
    "Riverside School of Engineering",
    "Hillcrest University",
    "Coastal Institute of Science",
)
FIRST_NAMES = (
    "Camille", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Louis", "Emma", "Nathan", "Inès",
    "Jules", "Sarah", "Adam", "Zoé", "Théo", "Lina", "Raphaël", "Jade", "Arthur", "Alice",
    "Yanis", "Mila", "Noah", "Rose", "Karim", "Amina", "Wei", "Priya", "Diego", "Sofia",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "Andre", "Mercier", "Dupont", "Lambert", "Bonnet",
    "Nguyen", "Benali", "Haddad", "Rossi", "Silva", "Kowalski", "Chen", "Diallo", "Moulin",
)  # fmt: skip
COURSES = (
    "Machine learning", "Distributed systems", "Digital signal processing", "Compilers",
    "Wireless networks", "Control theory", "Computer vision", "Cryptography", "Databases",
    "Optimisation", "Embedded software", "Robotics", "Information theory", "Statistics",
    "Software architecture", "Technical writing", "Entrepreneurship", "Language course",
)  # fmt: skip
HOME_REQUIREMENTS = (
    "Major courses, semester 7",
    "Electives, semester 7",
    "Major courses, semester 8",
    "Humanities and management",
    "Foreign language",
)
MOTIVATIONS = (
    "I want to study where the field I love is being invented.",
    "This exchange fits the major I chose and my plans for the final internship.",
    "Living abroad and studying in another language is part of the engineer I want to be.",
    "The partner's research labs match my project; I would like to join one of them.",
)
STEP_COMMENTS = {
    S.CHANGES_REQUESTED: "Please add a language certificate at the required level.",
    S.REFUSED: "Not enough seats for your choices this year.",
    S.HOST_REFUSED: "The host institution could not offer a place.",
    S.WITHDRAWN: "I have chosen another path.",
}

# How the applications of each call are spread over the states, oldest call first: the call
# of two years ago is over, last year's students are abroad, this year's call is open.
STATE_WEIGHTS: tuple[dict[str, int], ...] = (
    {S.COMPLETED: 55, S.RETURNED: 12, S.IN_MOBILITY: 6, S.REFUSED: 12, S.HOST_REFUSED: 5,
     S.WITHDRAWN: 10},
    {S.IN_MOBILITY: 55, S.ACCEPTED: 8, S.NOMINATED: 4, S.REFUSED: 14, S.HOST_REFUSED: 5,
     S.WITHDRAWN: 14},
    {S.DRAFT: 28, S.SUBMITTED: 28, S.UNDER_REVIEW: 18, S.CHANGES_REQUESTED: 8, S.NOMINATED: 9,
     S.REFUSED: 3, S.WITHDRAWN: 6},
)  # fmt: skip
CALL_WEIGHTS = (25, 30, 45)

# The states an application goes through from its draft to reach each state.
PATHS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (),
    S.SUBMITTED: (S.SUBMITTED,),
    S.UNDER_REVIEW: (S.SUBMITTED, S.UNDER_REVIEW),
    S.CHANGES_REQUESTED: (S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED),
    S.NOMINATED: (S.SUBMITTED, S.UNDER_REVIEW, S.NOMINATED),
    S.REFUSED: (S.SUBMITTED, S.UNDER_REVIEW, S.REFUSED),
    S.ACCEPTED: (S.SUBMITTED, S.UNDER_REVIEW, S.NOMINATED, S.ACCEPTED),
    S.HOST_REFUSED: (S.SUBMITTED, S.UNDER_REVIEW, S.NOMINATED, S.HOST_REFUSED),
    S.IN_MOBILITY: (S.SUBMITTED, S.UNDER_REVIEW, S.NOMINATED, S.ACCEPTED, S.IN_MOBILITY),
    S.RETURNED: (
        S.SUBMITTED, S.UNDER_REVIEW, S.NOMINATED, S.ACCEPTED, S.IN_MOBILITY, S.RETURNED,
    ),
    S.COMPLETED: (
        S.SUBMITTED, S.UNDER_REVIEW, S.NOMINATED, S.ACCEPTED, S.IN_MOBILITY, S.RETURNED,
        S.COMPLETED,
    ),
    S.WITHDRAWN: (S.SUBMITTED, S.WITHDRAWN),
}  # fmt: skip
# Moves the student makes; the DRI makes the others.
STUDENT_MOVES = frozenset({S.SUBMITTED, S.WITHDRAWN})
NOMINATED_ONWARDS = frozenset(
    {S.NOMINATED, S.ACCEPTED, S.HOST_REFUSED, S.IN_MOBILITY, S.RETURNED, S.COMPLETED}
)
APPROVED_COURSES = frozenset({S.ACCEPTED, S.HOST_REFUSED, S.IN_MOBILITY, S.RETURNED, S.COMPLETED})


def path_is_allowed(path: tuple[str, ...]) -> bool:
    """True when each step of `path`, from a draft, is a move the workflow table allows."""
    previous = S.DRAFT
    for state in path:
        if previous not in ALLOWED_FROM[state]:
            return False
        previous = state
    return True


# --- the report ------------------------------------------------------------------------------


@dataclass
class ScaleReport:
    counts: Counter[str] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        lines = [f"{label}: {count:,}" for label, count in self.counts.items()]
        states = ", ".join(f"{state} {self.states[state]:,}" for state in S if self.states[state])
        lines.append(f"Applications by state: {states}")
        lines.append(f"Seeded in {self.seconds:.1f} s.")
        return lines


class ScaleDataExists(ServiceError):
    """Scale data is already in the database: remove it first (`--reset`)."""


def scale_users() -> models.QuerySet[User]:
    return User.objects.filter(email__endswith=f"@{SCALE_DOMAIN}")


def scale_data_exists() -> bool:
    return scale_users().exists() or Call.objects.filter(name=SCALE_CALL_NAME).exists()


RESET_STUDENTS_AT_ONCE = 2_000


def reset_scale_data() -> Counter[str]:
    """Remove every row the generator made (and what hangs on it), nothing else; how many of
    each model went. Refused when data outside the scale set points at it."""
    removed: Counter[str] = Counter()
    users = scale_users()
    try:
        with transaction.atomic():
            # A nominated choice is protected by its application: unlink before deleting both.
            Application.objects.filter(student__in=users).update(nominated_choice=None)
            # By slices of students: the deletion's cascade names every row it collected in
            # one query, and PostgreSQL takes at most 65,535 parameters (about 19,000 students
            # at once was too many).
            # Students first: staff accounts are named by their decisions on students' rows.
            pks = list(
                users.order_by(Case(When(role=Role.STUDENT, then=0), default=1), "pk").values_list(
                    "pk", flat=True
                )
            )
            for start in range(0, len(pks), RESET_STUDENTS_AT_ONCE):
                some = User.objects.filter(pk__in=pks[start : start + RESET_STUDENTS_AT_ONCE])
                for queryset in (
                    PlanRecheck.objects.filter(started_by__in=some),
                    Notification.objects.filter(recipient__in=some),
                    Application.objects.filter(student__in=some),
                    MobilityPlan.objects.filter(student__in=some),
                    some,
                ):
                    removed.update(queryset.delete()[1])
            for queryset in (
                Partner.objects.filter(hei_id__endswith=f".{SCALE_DOMAIN}"),
                Call.objects.filter(name=SCALE_CALL_NAME),
            ):
                removed.update(queryset.delete()[1])
    except ProtectedError as error:
        example = next(iter(error.protected_objects))
        raise ServiceError(
            "Data outside the scale set refers to scale partners, calls or accounts: "
            f"{len(error.protected_objects)} rows, e.g. {example._meta.verbose_name} {example}."
        ) from error
    everything_changed()
    return removed


def seed_scale(*, students: int, seed: int = 2026) -> ScaleReport:
    """Create the scale world for `students` students in one transaction, or refuse when
    scale data is already there."""
    if scale_data_exists():
        raise ScaleDataExists("Scale data is already in this database: run with --reset.")
    started = time.monotonic()
    with transaction.atomic():
        report = ScaleSeeder(students=students, seed=seed).run()
    everything_changed()  # bulk inserts send no signal: memoized menus and counts are stale
    report.seconds = time.monotonic() - started
    return report


def refresh_statistics() -> None:
    """Let the query planner see the new rows (and reclaim what a reset left): after a bulk
    load its estimates are those of an empty database, and autovacuum may be off or late."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # VACUUM cannot run inside a transaction; ANALYZE alone can.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


@contextmanager
def explicit_timestamps(*fields: models.DateTimeField) -> Iterator[None]:
    """Let bulk inserts keep the past times the generator sets: an auto_now_add field would
    replace them with now, and every history would have happened at the same instant."""
    for model_field in fields:
        model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field in fields:
            model_field.auto_now_add = True


def _field(model: type[models.Model], name: str) -> models.DateTimeField:
    return model._meta.get_field(name)


# --- the generator ---------------------------------------------------------------------------


@dataclass
class Dossier:
    """One application being made, with what its later rows need."""

    application: Application
    activity: Activity
    path: tuple[str, ...]
    times: list[datetime]
    agreements: list[Agreement | None]
    transitions: list[Transition] = field(default_factory=list)


class ScaleSeeder:
    def __init__(self, *, students: int, seed: int) -> None:
        self.size = students
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.report = ScaleReport()
        self.password = make_password(SCALE_PASSWORD)

    def run(self) -> ScaleReport:
        self._catalogue()
        self._calls()
        self._people()
        self._plans()
        self._applications()
        self._histories()
        self._documents()
        self._course_plans()
        self._notifications()
        return self.report

    # helpers

    def _save(self, label: str, model: type[models.Model], rows: list) -> list:
        created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.report.counts[label] += len(created)
        return created

    def _pick(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _at(self, moment: datetime) -> datetime:
        """`moment`, or now when it lies in the future."""
        return min(moment, self.now)

    def _day(self, day: date, *, spread_days: int = 0) -> datetime:
        hours = self.rng.randint(0, max(spread_days, 0) * 24) + self.rng.randint(8, 18)
        midnight = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        return midnight + timedelta(hours=hours, minutes=self.rng.randint(0, 59))

    def _user(self, email: str, role: str, **fields) -> User:
        return User(
            email=email,
            first_name=self.rng.choice(FIRST_NAMES),
            last_name=self.rng.choice(LAST_NAMES),
            role=role,
            password=self.password,
            language=self.rng.choices(("fr", "en"), weights=(7, 3))[0],
            **fields,
        )

    def _abroad(self) -> str:
        return self.rng.choice(list(COUNTRIES))

    # catalogue

    def _catalogue(self) -> None:
        Language.objects.bulk_create(
            [Language(code=code, name=name) for code, name in LANGUAGES.items()],
            ignore_conflicts=True,
        )
        languages = {row.code: row for row in Language.objects.filter(code__in=LANGUAGES)}
        slugs = {slugify(name): name for name in STUDY_FIELDS}
        StudyField.objects.bulk_create(
            [StudyField(slug=slug, name=name) for slug, name in slugs.items()],
            ignore_conflicts=True,
        )
        study_fields = list(StudyField.objects.filter(slug__in=slugs))
        taken = set(Partner.objects.values_list("name", "country"))
        names = [
            (pattern.format(city=city), country, city)
            for country, (cities, _languages) in COUNTRIES.items()
            for city in cities
            for pattern in PARTNER_NAMES
        ]
        self.rng.shuffle(names)
        count = max(12, min(300, self.size // 30))
        names = [entry for entry in names if entry[:2] not in taken][:count]
        partners = self._save(
            "Partners",
            Partner,
            [
                Partner(
                    name=name,
                    country=country,
                    city=city,
                    website=f"https://p{number:03d}.{SCALE_DOMAIN}/",
                    hei_id=f"p{number:03d}.{SCALE_DOMAIN}",
                )
                for number, (name, country, city) in enumerate(names)
            ],
        )
        Partner.languages.through.objects.bulk_create(
            Partner.languages.through(partner=partner, language=languages[code])
            for partner in partners
            for code in COUNTRIES[partner.country][1]
        )
        Partner.fields.through.objects.bulk_create(
            Partner.fields.through(partner=partner, studyfield=study_field)
            for partner in partners
            for study_field in self.rng.sample(study_fields, self.rng.randint(2, 4))
        )
        agreements = []
        for number, partner in enumerate(partners):
            odds = {AgreementKind.EXCHANGE: 0.95, AgreementKind.MASTER: 0.35}
            kinds = {kind for kind, odd in odds.items() if self.rng.random() < odd}
            if self.rng.random() < 0.25 or not kinds:
                kinds.add(AgreementKind.DOUBLE_DEGREE)
            # The first partners hold one agreement of each kind, however small the world.
            if number < len(AgreementKind):
                kinds.add(list(AgreementKind)[number])
            agreements += [self._agreement(partner, kind) for kind in sorted(kinds)]
        agreements = self._save("Agreements", Agreement, agreements)
        self.agreements: dict[tuple[int, str], Agreement] = {
            (agreement.partner_id, agreement.kind): agreement for agreement in agreements
        }
        self.partners_by_kind: dict[str, list[Partner]] = {kind: [] for kind in AgreementKind}
        by_pk = {partner.pk: partner for partner in partners}
        for agreement in agreements:
            self.partners_by_kind[agreement.kind].append(by_pk[agreement.partner_id])

    def _agreement(self, partner: Partner, kind: str) -> Agreement:
        first_year = self.rng.randint(2018, 2024)
        language = self.rng.choice(COUNTRIES[partner.country][1])
        return Agreement(
            partner=partner,
            kind=kind,
            seats_per_year=self.rng.randint(1, 6),
            first_year=first_year,
            last_year=None if self.rng.random() < 0.85 else first_year + self.rng.randint(4, 9),
            language_requirement=f"{LANGUAGES[language]} {self.rng.choice(('B1', 'B2', 'C1'))}",
        )

    def _calls(self) -> None:
        current = self.today.year + 1 if self.today.month >= 9 else self.today.year
        calls = [
            Call(
                name=SCALE_CALL_NAME,
                academic_year=year,
                opens_on=date(year - 1, 11, 1),
                closes_on=date(year, 1, 31),
            )
            for year in (current - 2, current - 1)
        ]
        calls.append(
            Call(
                name=SCALE_CALL_NAME,
                academic_year=current,
                opens_on=self.today - timedelta(days=30),
                closes_on=self.today + timedelta(days=60),
            )
        )
        self.calls: list[Call] = self._save("Calls", Call, calls)

    # people

    def _people(self) -> None:
        self.advisors = self._save(
            "Advisors",
            User,
            [
                self._user(staff_email("advisor", n), Role.ADVISOR)
                for n in range(1, max(3, self.size // 100) + 1)
            ],
        )
        # The first DRI officer hears of every submission, as the DRI's duty officer would.
        self.dri = self._save(
            "DRI staff",
            User,
            [
                self._user(staff_email("dri", n), Role.DRI, notify_new_applications=n == 1)
                for n in range(1, 6)
            ],
        )
        self._save("DFI staff", User, [self._user(staff_email("dfi", n), Role.DFI) for n in (1, 2)])
        self.students = self._save(
            "Students",
            User,
            [self._user(student_email(n), Role.STUDENT) for n in range(self.size)],
        )
        Filiere.objects.bulk_create(
            [Filiere(code=code, name=name) for code, name in FILIERES], ignore_conflicts=True
        )
        filieres = list(Filiere.objects.filter(code__in=[code for code, _name in FILIERES]))
        self._save(
            "Student profiles",
            StudentProfile,
            [
                StudentProfile(
                    user=student,
                    student_number=f"SC{n:06d}",
                    track=str(Track.FISEA if self.rng.random() < 0.2 else Track.FISE),
                    year=self.rng.randint(1, 3),
                    filiere=self.rng.choice(filieres),
                    advisor=self.rng.choice(self.advisors),
                )
                for n, student in enumerate(self.students)
            ],
        )

    # plans

    def _plans(self) -> None:
        """A plan per student, of 1 to 4 activities placed around the academic year of one of
        the calls; about one in seven has a flaw the engine finds."""
        self.call_index_of: dict[int, int] = {}
        plans, activities_of = [], []
        for student in self.students:
            call_index = self.rng.choices(range(3), weights=CALL_WEIGHTS)[0]
            year = self.calls[call_index].academic_year
            activities = self._activities(student.student_profile.track, year)
            validated = any(a.kind == K.EXCHANGE_SEMESTER for a in activities) and not any(
                a.kind == K.ENGINEERING_INTERNSHIP for a in activities
            )
            plan = MobilityPlan(
                student=student,
                engineering_internship_validated=validated or self.rng.random() < 0.15,
                checked_at=self.now,
            )
            plans.append(plan)
            activities_of.append(sorted(activities, key=lambda activity: activity.start))
            self.call_index_of[student.pk] = call_index
        self.plans: list[MobilityPlan] = self._save("Mobility plans", MobilityPlan, plans)
        for plan, activities in zip(self.plans, activities_of, strict=True):
            for activity in activities:
                activity.plan = plan
        self._save(
            "Activities",
            Activity,
            [activity for activities in activities_of for activity in activities],
        )
        self.activities_of = {
            plan.student_id: activities
            for plan, activities in zip(self.plans, activities_of, strict=True)
        }
        self.checks = {
            plan.student_id: plan_result(plan, self.activities_of[plan.student_id], "en")
            for plan in self.plans
        }
        # Plans share a few hundred verdicts: one update per verdict, not one per plan.
        plans_by_verdict: dict[tuple[bool, int, int], list[int]] = {}
        for plan in self.plans:
            check = self.checks[plan.student_id]
            verdict = (
                check.compliant,
                check.error_count,
                check.result.qualifying_days if check.result else 0,
            )
            plans_by_verdict.setdefault(verdict, []).append(plan.pk)
        for (compliant, error_count, qualifying_days), pks in plans_by_verdict.items():
            MobilityPlan.objects.filter(pk__in=pks).update(
                compliant=compliant, error_count=error_count, qualifying_days=qualifying_days
            )

    def _activities(self, track: str, year: int) -> list[Activity]:
        rng = self.rng
        if track == Track.FISEA:
            template = rng.choices(
                (self._summer, self._semester_and_internship, self._internships, self._summers),
                weights=(45, 25, 20, 10),
            )[0]
        else:
            template = rng.choices(
                (
                    self._semester_and_internship,
                    self._exchange_year,
                    self._double_degree,
                    self._master,
                    self._summer_then_semester,
                    self._internships,
                    self._summers,
                ),
                weights=(30, 18, 10, 10, 12, 10, 10),
            )[0]
        activities = template(year)
        if rng.random() < 0.25:
            activities.append(
                Activity(
                    kind=K.FH_INTERNSHIP,
                    start=date(year - 2, 7, 1),
                    end=date(year - 2, 8, 10),
                    country="FR",
                )
            )
        if rng.random() < 0.15:
            activities.append(self._flaw(activities, year))
        for activity in activities:
            # Plain strings, as read from the database: the engine's fast format check
            # takes nothing else (an enum member sends it to the slow jsonschema path).
            activity.kind = str(activity.kind)
        return activities

    def _study(self, kind: str, start: date, end: date, ects: int, **fields) -> Activity:
        """A study stay at a partner holding an agreement of its kind, or one time in ten
        (never for a double degree) at a host outside partnerships."""
        agreement_kind = AGREEMENT_KIND_FOR_ACTIVITY[kind]
        if kind == K.DOUBLE_DEGREE or self.rng.random() < 0.9:
            partner = self.rng.choice(self.partners_by_kind[agreement_kind])
            return Activity(
                kind=kind,
                start=start,
                end=end,
                partner=partner,
                country=partner.country,
                ects=ects,
                **fields,
            )
        return Activity(
            kind=kind,
            start=start,
            end=end,
            host_name=self.rng.choice(NON_PARTNER_HOSTS),
            country=self._abroad(),
            ects=ects,
            **fields,
        )

    def _summer_stay(self, start: date, end: date) -> Activity:
        approved = self.rng.random() < 0.75
        return Activity(
            kind=K.SUMMER_STAY,
            start=start,
            end=end,
            country=self._abroad(),
            summer_type=self.rng.choices(list(SummerType.values), weights=(4, 3, 2, 1))[0],
            approved_by_dfi=approved or self.rng.random() < 0.5,
            approved_by_dri=approved,
        )

    def _engineering_internship(self, start: date, country: str) -> Activity:
        # 168 days: the 24 weeks the regulations expect, not one day more.
        return Activity(
            kind=K.ENGINEERING_INTERNSHIP,
            start=start,
            end=start + timedelta(days=167),
            country=country,
            last_obligation=True,
        )

    def _semester_and_internship(self, year: int) -> list[Activity]:
        country = "FR" if self.rng.random() < 0.7 else self._abroad()
        return [
            self._study(K.EXCHANGE_SEMESTER, date(year, 9, 1), date(year + 1, 1, 31), 30),
            self._engineering_internship(date(year + 1, 2, 15), country),
        ]

    def _exchange_year(self, year: int) -> list[Activity]:
        return [
            self._study(
                K.EXCHANGE_YEAR, date(year, 9, 1), date(year + 1, 6, 30), 60, ects_project=30
            )
        ]

    def _double_degree(self, year: int) -> list[Activity]:
        stay = self._study(K.DOUBLE_DEGREE, date(year, 9, 1), date(year + 2, 3, 31), 120)
        if self.rng.random() < 0.3:
            stay.internship_start = date(year + 1, 10, 1)
            stay.internship_end = date(year + 2, 3, 15)
            stay.internship_country = stay.country
        return [stay]

    def _master(self, year: int) -> list[Activity]:
        return [self._study(K.MASTER, date(year, 9, 1), date(year + 1, 8, 31), 60)]

    def _summer_then_semester(self, year: int) -> list[Activity]:
        return [
            self._summer_stay(date(year, 7, 1), date(year, 8, 25)),
            self._study(K.EXCHANGE_SEMESTER, date(year, 9, 1), date(year + 1, 1, 31), 30),
        ]

    def _internships(self, year: int) -> list[Activity]:
        return [
            Activity(
                kind=K.FH_INTERNSHIP,
                start=date(year - 1, 7, 1),
                end=date(year - 1, 8, 15),
                country=self._abroad(),
            ),
            self._engineering_internship(date(year + 1, 2, 1), self._abroad()),
        ]

    def _summers(self, year: int) -> list[Activity]:
        return [
            Activity(
                kind=K.FH_INTERNSHIP,
                start=date(year - 1, 7, 1),
                end=date(year - 1, 8, 31),
                country=self._abroad(),
            ),
            self._summer_stay(date(year, 7, 1), date(year, 9, 15)),
        ]

    def _summer(self, year: int) -> list[Activity]:
        return [self._summer_stay(date(year, 6, 15), date(year, 8, 31))]

    def _flaw(self, activities: list[Activity], year: int) -> Activity:
        """An activity that makes the plan break a rule: too short, overlapping, too long."""
        flaw = self.rng.choice(("short_summer", "overlap", "long_internship"))
        if flaw == "short_summer":
            return Activity(
                kind=K.FH_INTERNSHIP,
                start=date(year - 1, 6, 1),
                end=date(year - 1, 6, 14),
                country=self._abroad(),
            )
        if flaw == "overlap":
            first = activities[0]
            return self._summer_stay(
                first.start + timedelta(days=10), first.start + timedelta(days=40)
            )
        return Activity(
            kind=K.FREE_INTERNSHIP,
            start=date(year + 2, 9, 1),
            end=date(year + 3, 4, 15),
            country=self._abroad(),
        )

    # applications

    def _applications(self) -> None:
        """Most students whose plan has a study stay apply to the call of its year. A plan
        with an error on that stay was never submitted: a draft, or withdrawn as one."""
        self.dossiers: list[Dossier] = []
        for student in self.students:
            activity = next((a for a in self.activities_of[student.pk] if a.is_study), None)
            if activity is None or self.rng.random() < 0.12:
                continue
            call_index = self.call_index_of[student.pk]
            state = self._pick(STATE_WEIGHTS[call_index])
            check = self.checks[student.pk]
            path = PATHS[state]
            if check.errors_for([activity.engine_id]):
                path = () if call_index == len(self.calls) - 1 else (S.WITHDRAWN,)
            path = self._reachable(path, activity)
            self.dossiers.append(self._dossier(student, activity, call_index, path, check))
        with explicit_timestamps(_field(Application, "created_at")):
            self._save(
                "Applications", Application, [dossier.application for dossier in self.dossiers]
            )
        choices = [
            Choice(application=dossier.application, rank=rank, activity=dossier.activity,
                   agreement=agreement, **self._own_host(dossier, agreement))
            for dossier in self.dossiers
            for rank, agreement in enumerate(dossier.agreements, start=1)
        ]  # fmt: skip
        self._save("Choices", Choice, choices)
        nominated = []
        for dossier in self.dossiers:
            self.report.states[dossier.application.state] += 1
            if NOMINATED_ONWARDS & set(dossier.path):
                nominated.append(dossier.application.pk)
        first_choice = Choice.objects.filter(application=OuterRef("pk"), rank=1).values("pk")
        Application.objects.filter(pk__in=nominated).update(
            nominated_choice=Subquery(first_choice[:1])
        )

    def _reachable(self, path: tuple[str, ...], activity: Activity) -> tuple[str, ...]:
        """Nobody has come back from a stay that has not ended yet."""
        if S.RETURNED in path and activity.end >= self.today:
            return path[: path.index(S.RETURNED)]
        return path

    def _dossier(
        self,
        student: User,
        activity: Activity,
        call_index: int,
        path: tuple[str, ...],
        check: PlanCheck,
    ) -> Dossier:
        call = self.calls[call_index]
        times = self._schedule(call, activity, path)
        submitted_at = times[path.index(S.SUBMITTED) + 1] if S.SUBMITTED in path else None
        snapshot = self._snapshot(student, check) if submitted_at else None
        reviewed = S.UNDER_REVIEW in path
        application = Application(
            student=student,
            call=call,
            state=path[-1] if path else S.DRAFT,
            motivation=self.rng.choice(MOTIVATIONS),
            snapshot=snapshot,
            snapshot_has_errors=snapshot_has_errors(snapshot) if snapshot else False,
            ranking_score=(
                Decimal(self.rng.randint(8000, 19999)) / 1000
                if reviewed and self.rng.random() < 0.7
                else None
            ),
            created_at=times[0],
            submitted_at=submitted_at,
        )
        return Dossier(
            application=application,
            activity=activity,
            path=path,
            times=times,
            agreements=self._agreements_for(activity),
        )

    @staticmethod
    def _own_host(dossier: "Dossier", agreement: Agreement | None) -> dict[str, str]:
        """A submitted choice outside partnerships keeps its host, as services do."""
        if agreement is not None or dossier.application.submitted_at is None:
            return {}
        return {"host_name": dossier.activity.host_name, "host_country": dossier.activity.country}

    def _agreements_for(self, activity: Activity) -> list[Agreement | None]:
        """The ranked destinations: the stay's own host first, then other partners holding
        an agreement of the same kind."""
        kind = AGREEMENT_KIND_FOR_ACTIVITY[activity.kind]
        first = self.agreements[(activity.partner_id, kind)] if activity.partner_id else None
        others = [p for p in self.partners_by_kind[kind] if p.pk != activity.partner_id]
        extra = self.rng.sample(others, min(len(others), self.rng.choice((0, 1, 1, 2))))
        return [first, *(self.agreements[(partner.pk, kind)] for partner in extra)]

    def _schedule(self, call: Call, activity: Activity, path: tuple[str, ...]) -> list[datetime]:
        """When the draft was started, then when each state of `path` was reached: in order,
        none in the future."""
        window = max(0, (min(call.closes_on, self.today) - call.opens_on).days - 3)
        started = self._day(call.opens_on, spread_days=window)
        times = [self._at(started)]
        call_closed = call.closes_on < self.today
        for state in path:
            if state == S.UNDER_REVIEW and call_closed:
                moment = self._day(call.closes_on, spread_days=15)
            elif state == S.IN_MOBILITY:
                moment = self._day(activity.start)
            elif state == S.RETURNED:
                moment = self._day(activity.end, spread_days=10)
            elif call_closed:
                moment = times[-1] + timedelta(days=self.rng.randint(1, 20))
            else:
                moment = times[-1] + timedelta(hours=self.rng.randint(2, 96))
            times.append(self._at(max(moment, times[-1] + timedelta(minutes=5))))
        return times

    def _snapshot(self, student: User, check_en: PlanCheck) -> dict:
        """The plan and its findings in both languages, as `services.plan_snapshot` freezes
        them, from the activities already in memory."""
        plan = student.mobility_plan
        activities = self.activities_of[student.pk]
        results = {}
        for lang in SNAPSHOT_LANGUAGES:
            with override(lang):
                check = check_en if lang == "en" else plan_result(plan, activities, lang)
            results[lang] = check.result.to_dict() if check.result else None
        return {
            "plan": plan_document(plan, student.student_profile, activities),
            "hosts": {activity.engine_id: activity.host_display for activity in activities},
            "results": results,
        }

    def _histories(self) -> None:
        transitions = []
        for dossier in self.dossiers:
            previous = S.DRAFT
            for state, moment in zip(dossier.path, dossier.times[1:], strict=True):
                actor = (
                    dossier.application.student
                    if state in STUDENT_MOVES
                    else self.rng.choice(self.dri)
                )
                transition = Transition(
                    application=dossier.application,
                    actor=actor,
                    at=moment,
                    from_state=previous,
                    to_state=state,
                    comment=STEP_COMMENTS.get(state, ""),
                )
                dossier.transitions.append(transition)
                transitions.append(transition)
                previous = state
        with explicit_timestamps(_field(Transition, "at")):
            self._save("State changes", Transition, transitions)

    def _documents(self) -> None:
        if not default_storage.exists(SAMPLE_DOCUMENT):
            default_storage.save(SAMPLE_DOCUMENT, ContentFile(SAMPLE_PDF))
        documents = []
        for dossier in self.dossiers:
            application = dossier.application
            if application.submitted_at:
                kinds = REQUIRED_DOCUMENTS[dossier.activity.kind]
            else:
                kinds = (DocumentKind.CV,) if self.rng.random() < 0.5 else ()
            documents += [
                Document(
                    application=application,
                    kind=kind,
                    file=SAMPLE_DOCUMENT,
                    original_name=f"{kind}.pdf",
                    size=len(SAMPLE_PDF),
                    uploaded_by=application.student,
                    uploaded_at=self._at(application.created_at + timedelta(minutes=10)),
                )
                for kind in kinds
            ]
        with explicit_timestamps(_field(Document, "uploaded_at")):
            self._save("Documents", Document, documents)

    # course plans

    def _course_plans(self) -> None:
        """The learning agreement of each applied-for stay: sent on submission, decided by the
        advisor line by line, a second version after rejected lines, credits on return."""
        versions: list[tuple[CoursePlan, list[CourseLine]]] = []
        for dossier in self.dossiers:
            if dossier.application.submitted_at:
                versions += self._decided_versions(dossier)
            elif self.rng.random() < 0.4:
                versions.append(self._version(dossier, 1, CoursePlanStatus.DRAFT, None, None))
        with explicit_timestamps(_field(CoursePlan, "created_at")):
            self._save("Course plans", CoursePlan, [version for version, _lines in versions])
        for course_plan, lines in versions:
            for line in lines:
                line.course_plan = course_plan
        self._save("Course lines", CourseLine, [line for _v, lines in versions for line in lines])
        self.course_plans = [course_plan for course_plan, _lines in versions]

    def _decided_versions(self, dossier: Dossier) -> list[tuple[CoursePlan, list[CourseLine]]]:
        state = dossier.application.state
        sent = dossier.application.submitted_at
        decided = self._at(sent + timedelta(days=self.rng.randint(3, 20)))
        if state in APPROVED_COURSES or (state == S.NOMINATED and self.rng.random() < 0.5):
            if self.rng.random() < 0.2:
                again = self._at(decided + timedelta(days=self.rng.randint(2, 10)))
                return [
                    self._version(dossier, 1, CoursePlanStatus.CHANGES_REQUESTED, sent, decided),
                    self._version(dossier, 2, CoursePlanStatus.APPROVED, decided, again),
                ]
            return [self._version(dossier, 1, CoursePlanStatus.APPROVED, sent, decided)]
        return [self._version(dossier, 1, CoursePlanStatus.PENDING, sent, None)]

    def _version(
        self,
        dossier: Dossier,
        version: int,
        status: str,
        sent_at: datetime | None,
        decided_at: datetime | None,
    ) -> tuple[CoursePlan, list[CourseLine]]:
        state = dossier.application.state
        advisor = dossier.application.student.student_profile.advisor
        completed = state == S.COMPLETED and status == CoursePlanStatus.APPROVED
        course_plan = CoursePlan.written_for(
            dossier.activity,
            version=version,
            status=status,
            created_at=sent_at or dossier.application.created_at,
            sent_at=sent_at,
            decided_at=decided_at,
            recognition_confirmed_by=advisor if completed else None,
            recognition_confirmed_at=dossier.times[-1] if completed else None,
        )
        credits = state in (S.RETURNED, S.COMPLETED) and status == CoursePlanStatus.APPROVED
        decisions = {
            CoursePlanStatus.APPROVED: LineDecision.APPROVED,
            CoursePlanStatus.CHANGES_REQUESTED: LineDecision.APPROVED,
        }
        line_count = 5 if dossier.activity.kind == K.EXCHANGE_SEMESTER else 8
        lines = []
        for number, title in enumerate(self.rng.sample(COURSES, line_count)):
            decision = decisions.get(status, LineDecision.PENDING)
            if status == CoursePlanStatus.CHANGES_REQUESTED and number == 0:
                decision = LineDecision.REJECTED
            lines.append(
                CourseLine(
                    code=f"{title[:3].upper()}{self.rng.randint(100, 599)}",
                    title=title,
                    ects=Decimal(6) if line_count == 5 else Decimal("7.5"),
                    semester=f"Fall {dossier.activity.start.year}",
                    home_requirement=self.rng.choice(HOME_REQUIREMENTS),
                    decision=decision,
                    decision_comment=(
                        "Too close to a course you already took."
                        if decision == LineDecision.REJECTED
                        else ""
                    ),
                    decided_by=advisor if decision != LineDecision.PENDING else None,
                    decided_at=decided_at if decision != LineDecision.PENDING else None,
                    ects_obtained=(
                        (Decimal(6) if line_count == 5 else Decimal("7.5"))
                        if credits and (completed or self.rng.random() < 0.8)
                        else None
                    ),
                )
            )
        return course_plan, lines

    # notifications

    def _notifications(self) -> None:
        """What the events above sent (see apps.notifications.events), delivered long ago and
        mostly read; a few deliveries failed."""
        rows = []
        duty_officers = [user for user in self.dri if user.notify_new_applications]
        for dossier in self.dossiers:
            application = dossier.application
            for transition in dossier.transitions:
                context = {"application": application.pk, "transition": transition.pk}
                if transition.to_state == S.SUBMITTED:
                    event, recipients = APPLICATION_SUBMITTED, duty_officers
                    link = reverse("reviews:dossier", args=[application.pk])
                elif transition.to_state in DECISION_STATES:
                    event, recipients = APPLICATION_DECISION, [application.student]
                    link = reverse("applications:application_detail", args=[application.pk])
                else:
                    continue
                values = {"student": str(application.student), "call": str(application.call)}
                rows += [
                    self._notification(
                        event,
                        f"transition:{transition.pk}",
                        recipient,
                        context,
                        link,
                        transition.at,
                        {**values, "state": ApplicationState(transition.to_state).label},
                    )
                    for recipient in recipients
                ]
        for course_plan in self.course_plans:
            rows += self._course_plan_notifications(course_plan)
        self._save("Notifications", Notification, rows)

    def _course_plan_notifications(self, course_plan: CoursePlan) -> list[Notification]:
        if course_plan.sent_at is None:
            return []
        activity = course_plan.activity
        student = activity.plan.student
        context = {"course_plan": course_plan.pk}
        values = {
            "student": str(student),
            "version": str(course_plan.version),
            "host": activity.host_display,
            "status": CoursePlanStatus(course_plan.status).label,
        }
        rows = [
            self._notification(
                COURSE_PLAN_TO_REVIEW,
                f"course_plan:{course_plan.pk}:sent",
                student.student_profile.advisor,
                context,
                reverse("reviews:advisor_course_plan", args=[course_plan.pk]),
                course_plan.sent_at,
                values,
            )
        ]
        if course_plan.decided_at:
            rows.append(
                self._notification(
                    COURSE_PLAN_DECIDED,
                    f"course_plan:{course_plan.pk}:decided",
                    student,
                    context,
                    reverse("applications:course_plan_edit", args=[activity.pk]),
                    course_plan.decided_at,
                    values,
                )
            )
        return rows

    def _notification(
        self,
        event: Event,
        key: str,
        recipient: User,
        context: dict,
        link: str,
        created_at: datetime,
        values: dict,
    ) -> Notification:
        # The subject in every language, as the outbox writes it: the in-portal list follows
        # the reader's language of the moment, the e-mail the recipient's.
        subjects = {}
        for code, _name in settings.LANGUAGES:
            with override(code):
                subjects[code] = event.subject_for(
                    {
                        name: str(value).lower() if name in ("state", "status") else str(value)
                        for name, value in values.items()
                    }
                )
        subject = subjects[recipient.language]
        failed = self.rng.random() < 0.005
        old = created_at < self.now - timedelta(days=7)
        read = not failed and self.rng.random() < (0.85 if old else 0.4)
        return Notification(
            key=f"{event.name}:{key}:{recipient.email}"[:200],
            event=event.name,
            recipient=recipient,
            email=recipient.email,
            language=recipient.language,
            context=context,
            subject=subject[:300],
            subjects={code: text[:300] for code, text in subjects.items()},
            link=link,
            created_at=created_at,
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.SENT,
            attempts=5 if failed else 1,
            next_attempt_at=created_at,
            sent_at=None if failed else created_at + timedelta(seconds=30),
            last_error="550 mailbox unavailable" if failed else "",
            read_at=created_at + timedelta(hours=self.rng.randint(1, 72)) if read else None,
        )
