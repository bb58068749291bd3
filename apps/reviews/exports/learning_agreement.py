"""The learning agreement of one study activity within an application, gathered once in plain
dataclasses that both the printable PDF and the Erasmus Without Paper export read.

The school's own name, EWP institution id and country come from the settings `SCHOOL_NAME`,
`SCHOOL_HEI_ID` and `SCHOOL_COUNTRY`, with the defaults below while a school has not set them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404
from django_countries import countries

from apps.accounts.models import StudentProfile, User
from apps.applications.access import application_for
from apps.applications.models import (
    Application,
    ApplicationState,
    Choice,
    CourseLine,
    CoursePlan,
    CoursePlanStatus,
    LineDecision,
    Transition,
    written_for_the_stays_host,
)
from apps.applications.selectors import readable_course_plans
from apps.programmes.models import academic_year_label, academic_year_of

DEFAULT_SCHOOL_NAME = "École d'ingénieurs"
DEFAULT_SCHOOL_HEI_ID = "school.example"
DEFAULT_SCHOOL_COUNTRY = "FR"
HOST_STATES = (ApplicationState.NOMINATED, ApplicationState.ACCEPTED, ApplicationState.HOST_REFUSED)


@dataclass(frozen=True)
class Person:
    name: str
    given_names: str
    family_name: str
    email: str

    @classmethod
    def of(cls, user: User) -> "Person":
        return cls(
            name=user.get_full_name() or user.email,
            given_names=user.first_name,
            family_name=user.last_name,
            email=user.email,
        )


@dataclass(frozen=True)
class Signature:
    """Who agreed, and when: a decision, a sending, a nomination."""

    person: Person
    at: datetime


@dataclass(frozen=True)
class Institution:
    name: str
    country_code: str
    country_name: str
    hei_id: str  # empty when the institution's EWP id is not known


@dataclass(frozen=True)
class Student:
    person: Person
    number: str
    filiere: str
    track: str
    year: str


@dataclass(frozen=True)
class Course:
    """A host course (component studied) and the home requirement it replaces (recognized)."""

    code: str
    title: str
    ects: Decimal
    semester: str
    home_requirement: str
    ects_obtained: Decimal | None
    decision: str
    decision_label: str
    decision_comment: str
    decided: Signature | None

    @property
    def agreed(self) -> bool:
        return self.decision != LineDecision.REJECTED


@dataclass(frozen=True)
class Version:
    number: int
    status: str
    status_label: str
    courses: tuple[Course, ...]
    student_signature: Signature | None  # the student sent this version to the advisor
    advisor_signatures: tuple[Signature, ...]  # each advisor's latest line decision, by date
    approved_at: datetime | None = None  # when its last line was decided, or it was sent

    @property
    def total_ects(self) -> Decimal:
        """The ECTS of the courses the advisor has not rejected, as the student's and the
        advisor's pages count them: a rejected course is not part of the agreement."""
        return sum((course.ects for course in self.agreed_courses), Decimal(0))

    @property
    def has_rejected(self) -> bool:
        return any(not course.agreed for course in self.courses)

    @property
    def total_obtained(self) -> Decimal | None:
        obtained = [c.ects_obtained for c in self.courses if c.ects_obtained is not None]
        return sum(obtained, Decimal(0)) if obtained else None

    @property
    def sending_signature(self) -> Signature | None:
        """The decision that completed the advisor's approval: the school's signature. A
        version whose lines were all approved before it was sent (the student removed a
        course) is signed when it was approved, never before."""
        if self.status != CoursePlanStatus.APPROVED or not self.advisor_signatures:
            return None
        last = self.advisor_signatures[-1]
        if self.approved_at is not None and self.approved_at > last.at:
            return Signature(person=last.person, at=self.approved_at)
        return last

    @property
    def agreed_courses(self) -> tuple[Course, ...]:
        return tuple(course for course in self.courses if course.agreed)


@dataclass(frozen=True)
class LearningAgreement:
    reference: str  # the mobility's id: one application, one study activity
    student: Student
    sending: Institution
    receiving: Institution
    host_languages: tuple[str, ...]  # ISO 639-1 codes of the host's languages of instruction
    language_requirement: str  # as the agreement words it, e.g. "English B2"
    activity_kind: str
    start: date
    end: date
    academic_year: int
    version: Version  # the one asked for
    versions: tuple[Version, ...]  # every version up to the one asked for, oldest first
    nomination: Signature | None  # the DRI's nomination to this host, for this activity
    host_acceptance: Signature | None  # the host's decision as the DRI recorded it
    withdrawn: bool = False  # the application was withdrawn: no mobility, whatever came before

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)


def school() -> Institution:
    country = settings.SCHOOL_COUNTRY
    return Institution(
        name=settings.SCHOOL_NAME,
        country_code=country,
        country_name=str(countries.name(country)),
        hei_id=settings.SCHOOL_HEI_ID,
    )


def learning_agreement_for(
    user: User, *, application_pk: int, activity_pk: int, version: int | None = None
) -> LearningAgreement:
    """The learning agreement of a study activity the application chose, as `user` may see it
    (404 otherwise): version `version` of its course plan, the latest when None. It is made
    with the host that version lists courses of, and lists only the versions written for that
    host: a nomination to another of the activity's choices moves the stay to that host, and
    the courses of the host it left are not that host's."""
    application = application_for(user, application_pk)
    choices = list(
        Choice.objects.filter(application=application, activity_id=activity_pk)
        .select_related("activity__partner", "agreement__partner")
        .order_by("rank")
    )
    if not choices or not choices[0].activity.is_study:
        raise Http404
    course_plans = readable_course_plans(
        CoursePlan.objects.filter(activity_id=activity_pk),
        by_student=user.pk == application.student_id,
    )
    if version is not None:
        course_plans = course_plans.filter(version__lte=version)
    else:
        # The latest: of the host the stay names (a version of another host is asked by number).
        course_plans = course_plans.filter(written_for_the_stays_host())
    course_plans = list(
        course_plans.select_related("partner")
        .prefetch_related(
            Prefetch("lines", queryset=CourseLine.objects.select_related("decided_by"))
        )
        .order_by("version")
    )
    if not course_plans or (version is not None and course_plans[-1].version != version):
        raise Http404
    host = course_plans[-1].host_key
    course_plans = [version for version in course_plans if version.host_key == host]
    return _gather(application, choices, course_plans)


def _host_of_choice(choice: Choice) -> tuple:
    if choice.agreement_id:
        return (choice.agreement.partner_id, "")
    return (None, choice.destination)


def _gather(
    application: Application, choices: list[Choice], course_plans: list[CoursePlan]
) -> LearningAgreement:
    """The agreement of the courses' host: through the application's choice of that host (the
    nominated one first), else, when no choice names it (the stay moved there through another
    application), with the host as the course plan names it."""
    latest = course_plans[-1]
    named = [choice for choice in choices if _host_of_choice(choice) == latest.host_key]
    choice = next(
        (c for c in named if c.pk == application.nominated_choice_id),
        named[0] if named else None,
    )
    nominated = choice is not None and choice.pk == application.nominated_choice_id
    activity = choices[0].activity
    if choice is None:
        partner = latest.partner
    else:
        partner = choice.agreement.partner if choice.agreement_id else None
    if partner is not None:
        receiving = _institution(partner.name, partner.country.code, partner.hei_id)
        # In the order the catalogue lists them: the first is the default language of study.
        host_languages = tuple(language.code for language in partner.languages_by_name())
    elif choice is not None:
        # Its own host, as submitted: a nomination elsewhere may have moved the activity since.
        receiving = _institution(choice.destination, choice.own_host_country.code, "")
        host_languages = ()
    else:
        receiving = _institution(latest.host_name, activity.country.code, "")
        host_languages = ()
    nomination, acceptance = _host_signatures(application) if nominated else (None, None)
    student = _student(application.student)
    versions = tuple(_version(course_plan, student.person) for course_plan in course_plans)
    return LearningAgreement(
        reference=f"{application.pk}-{activity.pk}",
        student=student,
        sending=school(),
        receiving=receiving,
        host_languages=host_languages,
        language_requirement=(
            choice.agreement.language_requirement if choice and choice.agreement_id else ""
        ),
        activity_kind=activity.get_kind_display(),
        start=activity.start,
        end=activity.end,
        academic_year=academic_year_of(activity.start),
        version=versions[-1],
        versions=versions,
        nomination=nomination,
        host_acceptance=acceptance,
        withdrawn=application.state == ApplicationState.WITHDRAWN,
    )


def _institution(name: str, country_code: str, hei_id: str) -> Institution:
    return Institution(
        name=name,
        country_code=country_code,
        country_name=str(countries.name(country_code)),
        hei_id=hei_id.strip(),
    )


def _student(user: User) -> Student:
    profile = StudentProfile.objects.select_related("filiere").filter(user=user).first()
    return Student(
        person=Person.of(user),
        number=profile.student_number if profile else "",
        filiere=profile.filiere.name if profile and profile.filiere_id else "",
        track=profile.get_track_display() if profile else "",
        year=profile.get_year_display() if profile else "",
    )


def _host_signatures(application: Application) -> tuple[Signature | None, Signature | None]:
    """The nomination in force and the host's acceptance that followed it; a host's refusal
    ends the nomination. A withdrawal leaves them as they were (they happened) and sets
    `LearningAgreement.withdrawn`: the seat is given up and there is no mobility; undoing it
    (a move from the withdrawn state) restores them as they were."""
    nomination = acceptance = None
    history = application.history.filter(
        Q(to_state__in=HOST_STATES) | Q(undoes__isnull=False)
    ).select_related("actor")
    for transition in history:
        if transition.undoes_id is not None:
            # The office undid a step: a nomination undone was never signed; a departure or a
            # return undone leaves the signatures as they were.
            if transition.from_state == ApplicationState.NOMINATED:
                nomination = acceptance = None
            continue
        if transition.from_state == ApplicationState.WITHDRAWN:
            # The office undid the withdrawal: back to where it was, nobody signed anew.
            continue
        if transition.to_state == ApplicationState.NOMINATED:
            nomination, acceptance = _signature(transition), None
        elif transition.to_state == ApplicationState.ACCEPTED:
            acceptance = _signature(transition)
        else:
            nomination = acceptance = None
    return nomination, acceptance


def _signature(transition: Transition) -> Signature:
    return Signature(person=Person.of(transition.actor), at=transition.at)


def _version(course_plan: CoursePlan, student: Person) -> Version:
    courses = tuple(_course(line) for line in course_plan.lines.all())
    sent = Signature(person=student, at=course_plan.sent_at) if course_plan.sent_at else None
    return Version(
        number=course_plan.version,
        status=course_plan.status,
        status_label=course_plan.get_status_display(),
        courses=courses,
        student_signature=sent,
        advisor_signatures=_advisor_signatures(courses),
        approved_at=course_plan.decided_at,
    )


def _course(line: CourseLine) -> Course:
    decided = None
    if line.decided_by_id and line.decided_at:
        decided = Signature(person=Person.of(line.decided_by), at=line.decided_at)
    return Course(
        code=line.code,
        title=line.title,
        ects=line.ects,
        semester=line.semester,
        home_requirement=line.home_requirement,
        ects_obtained=line.ects_obtained,
        decision=line.decision,
        decision_label=line.get_decision_display(),
        decision_comment=line.decision_comment,
        decided=decided,
    )


def _advisor_signatures(courses: Iterable[Course]) -> tuple[Signature, ...]:
    latest: dict[str, Signature] = {}
    for course in courses:
        if course.decided is None:
            continue
        known = latest.get(course.decided.person.email)
        if known is None or course.decided.at > known.at:
            latest[course.decided.person.email] = course.decided
    return tuple(sorted(latest.values(), key=lambda signature: signature.at))
