"""Read-only queries of the advisor's, the return's and the DFI/DRI validation pages, each in
a fixed number of queries whatever the number of rows; the access helpers that find the one
object a person may see (or answer 404) live here too."""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.http import Http404
from django.utils.functional import Promise

from apps.accounts.models import User
from apps.accounts.selectors import student_search
from apps.applications.access import visible_applications
from apps.applications.models import (
    Activity,
    ActivityValidation,
    Application,
    ApplicationState,
    Choice,
    CourseLine,
    CoursePlan,
    CoursePlanStatus,
    Document,
    LineDecision,
    ValidationBody,
    written_for_the_stays_host,
)
from apps.applications.selectors import course_plan_stay_still_wanted
from apps.rules.plan import HOME_COUNTRY, INTERNSHIP_KINDS

S = ApplicationState

# While abroad and once back, the student records the return; after completion it is read-only.
RETURN_STATES = frozenset({S.IN_MOBILITY, S.RETURNED})
RETURN_VISIBLE_STATES = RETURN_STATES | {S.COMPLETED}

StrOrPromise = str | Promise

APPROVAL_FLAG = {ValidationBody.DFI: "approved_by_dfi", ValidationBody.DRI: "approved_by_dri"}


# --- course plans, as the advisor sees them -------------------------------------------------


def _newer_version_exists():
    return Exists(
        CoursePlan.objects.filter(activity=OuterRef("activity"), version__gt=OuterRef("version"))
    )


def course_plans_awaiting_advisors() -> QuerySet[CoursePlan]:
    """The latest versions awaiting a decision for a stay an application still wants, whoever
    advises their student: what `course_plans_to_review` narrows to one advisor, and what the
    reminders to advisors (apps.notifications.reminders) read for all of them at once."""
    return CoursePlan.objects.filter(
        course_plan_stay_still_wanted(), status=CoursePlanStatus.PENDING
    ).exclude(_newer_version_exists())


def course_plans_to_review(advisor: User) -> QuerySet[CoursePlan]:
    """The latest versions awaiting the advisor for a stay an application still wants, oldest
    sent first, with their line counts."""
    return (
        course_plans_awaiting_advisors()
        .filter(activity__plan__student__student_profile__advisor=advisor)
        .select_related("activity__plan__student", "activity__partner")
        .annotate(
            line_count=Count("lines"),
            pending_count=Count("lines", filter=Q(lines__decision=LineDecision.PENDING)),
        )
        .order_by("sent_at", "pk")
    )


def _decider_name():
    """The name of whoever decided the version's last course: after the student was given
    another advisor, the new one reads the versions their predecessor decided."""
    name = Trim(Concat("decided_by__first_name", Value(" "), "decided_by__last_name"))
    return Subquery(
        CourseLine.objects.filter(course_plan=OuterRef("pk"), decided_by__isnull=False)
        .order_by("-decided_at", "-pk")
        .annotate(
            name=Coalesce(NullIf(name, Value("")), "decided_by__email", output_field=CharField())
        )
        .values("name")[:1]
    )


def course_plans_decided(advisor: User) -> QuerySet[CoursePlan]:
    """The latest versions decided for the advisor's students, for a stay an application still
    wants (approved, or with courses rejected), the latest decided first, with who decided
    (`decided_by_name`): the advisor reads them again while the stay is prepared or lived."""
    return (
        CoursePlan.objects.annotate(decided_by_name=_decider_name())
        .filter(
            course_plan_stay_still_wanted(),
            status__in=(CoursePlanStatus.APPROVED, CoursePlanStatus.CHANGES_REQUESTED),
            activity__plan__student__student_profile__advisor=advisor,
        )
        .exclude(_newer_version_exists())
        .select_related("activity__plan__student", "activity__partner")
        .order_by("-decided_at", "-pk")
    )


def advised_course_plan(advisor: User, pk: int) -> CoursePlan:
    """A version sent to `advisor` by one of their students, or 404 (drafts stay private),
    with whether an application still wants its stay (`still_wanted`, as the queue reads it)."""
    course_plan = (
        CoursePlan.objects.annotate(still_wanted=course_plan_stay_still_wanted())
        .select_related(
            "activity__plan__student__student_profile",
            "activity__partner",
            "partner",
            "recognition_confirmed_by",
        )
        .filter(pk=pk, activity__plan__student__student_profile__advisor=advisor)
        .exclude(status=CoursePlanStatus.DRAFT)
        .first()
    )
    if course_plan is None:
        raise Http404
    return course_plan


def advisee_for(advisor: User, pk: int) -> User:
    """A student `advisor` advises now, with their profile, or 404: a former advisor, and any
    other, learns nothing of them."""
    student = (
        User.objects.select_related("student_profile__filiere")
        .filter(pk=pk, student_profile__advisor=advisor)
        .first()
    )
    if student is None:
        raise Http404
    return student


def advisee_course_plans(student: User) -> QuerySet[CoursePlan]:
    """The latest version sent of each of the student's course plans (what the advisor may
    open; drafts stay private), with their line counts, the most recently sent first, and
    whether an application still wants the stay (`still_wanted`): a pending version of a stay
    none wants awaits nothing of the advisor, as their queue reads it."""
    newer_sent = CoursePlan.objects.filter(
        activity=OuterRef("activity"), version__gt=OuterRef("version")
    ).exclude(status=CoursePlanStatus.DRAFT)
    return (
        CoursePlan.objects.filter(activity__plan__student=student)
        .exclude(status=CoursePlanStatus.DRAFT)
        .exclude(Exists(newer_sent))
        .select_related("activity__partner", "partner")
        .annotate(
            line_count=Count("lines"),
            pending_count=Count("lines", filter=Q(lines__decision=LineDecision.PENDING)),
            still_wanted=course_plan_stay_still_wanted(),
        )
        .order_by("-sent_at", "-pk")
    )


def advisee_applications(advisor: User, student: User) -> QuerySet[Application]:
    """The student's applications the advisor may see (visible_applications), the newest
    first, with their call and each choice's stay and partner."""
    return (
        visible_applications(advisor)
        .filter(student=student)
        .select_related("call")
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.select_related("activity__partner"))
        )
        .order_by("-created_at", "-pk")
    )


def sent_versions(course_plan: CoursePlan) -> list[CoursePlan]:
    """Every version of the same course plan the advisor has received, newest first."""
    return list(
        CoursePlan.objects.filter(activity_id=course_plan.activity_id)
        .exclude(status=CoursePlanStatus.DRAFT)
        .select_related("partner")
        .order_by("-version")
    )


# --- what changed between two versions ------------------------------------------------------

COMPARED_FIELDS = ("title", "ects", "semester", "home_requirement")


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: StrOrPromise
    before: object
    after: object


@dataclass(frozen=True)
class LineChange:
    previous: CourseLine
    current: CourseLine
    fields: list[FieldChange]


@dataclass(frozen=True)
class CoursePlanDiff:
    added: list[CourseLine]
    removed: list[CourseLine]
    changed: list[LineChange]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _comparable(value: object) -> object:
    return value.strip().casefold() if isinstance(value, str) else value


def _field_changes(previous: CourseLine, current: CourseLine) -> list[FieldChange]:
    return [
        FieldChange(
            name=name,
            label=CourseLine._meta.get_field(name).verbose_name,
            before=getattr(previous, name),
            after=getattr(current, name),
        )
        for name in COMPARED_FIELDS
        if _comparable(getattr(previous, name)) != _comparable(getattr(current, name))
    ]


def course_plan_diff(
    previous_lines: Sequence[CourseLine], current_lines: Sequence[CourseLine]
) -> CoursePlanDiff:
    """Lines added, removed and changed, matched by host course code (a code listed twice is
    matched in order of appearance)."""
    unmatched: dict[object, list[int]] = {}
    for index, line in enumerate(previous_lines):
        unmatched.setdefault(_comparable(line.code), []).append(index)
    added: list[CourseLine] = []
    changed: list[LineChange] = []
    for line in current_lines:
        candidates = unmatched.get(_comparable(line.code))
        if not candidates:
            added.append(line)
            continue
        previous = previous_lines[candidates.pop(0)]
        fields = _field_changes(previous, line)
        if fields:
            changed.append(LineChange(previous=previous, current=line, fields=fields))
    left = {index for indexes in unmatched.values() for index in indexes}
    removed = [line for index, line in enumerate(previous_lines) if index in left]
    return CoursePlanDiff(added=added, removed=removed, changed=changed)


# --- credits obtained abroad ---------------------------------------------------------------


@dataclass(frozen=True)
class LineCredits:
    line: CourseLine
    planned: Decimal
    obtained: Decimal | None

    @property
    def missing(self) -> Decimal | None:
        """Credits of this course not obtained; a surplus does not make up for another course."""
        if self.obtained is None:
            return None
        return max(self.planned - self.obtained, Decimal(0))


@dataclass(frozen=True)
class MissingCredits:
    lines: list[LineCredits]

    @property
    def planned(self) -> Decimal:
        return sum((row.planned for row in self.lines), Decimal(0))

    @property
    def obtained(self) -> Decimal:
        return sum((row.obtained for row in self.lines if row.obtained is not None), Decimal(0))

    @property
    def missing(self) -> Decimal:
        """Missing credits over the lines entered so far."""
        return sum((row.missing for row in self.lines if row.missing is not None), Decimal(0))

    @property
    def lines_not_entered(self) -> int:
        return sum(1 for row in self.lines if row.obtained is None)

    @property
    def complete(self) -> bool:
        return self.lines_not_entered == 0

    @property
    def recorded(self) -> bool:
        """Whether the student has entered anything yet."""
        return any(row.obtained is not None for row in self.lines)


def missing_credits(course_plan: CoursePlan) -> MissingCredits:
    """Planned minus obtained ECTS per line of `course_plan`, and in total: one query, none
    when its lines are prefetched."""
    return MissingCredits(
        lines=[
            LineCredits(line=line, planned=line.ects, obtained=line.ects_obtained)
            for line in course_plan.lines.all()
        ]
    )


def credits_stamp(lines: Iterable[CourseLine], transcript: Document | None) -> str:
    """What the advisor's recognition page shows of the student's return, in a few characters:
    the credits entered per course and which transcript. Either changing changes it."""
    entered = sorted((line.pk, str(line.ects_obtained)) for line in lines)
    shown = repr((entered, transcript.pk if transcript else None))
    return hashlib.sha256(shown.encode()).hexdigest()[:32]


# --- the return ----------------------------------------------------------------------------


def recognition_course_plan(activity: Activity | None) -> CoursePlan | None:
    """The version the credits are recognised against: the latest approved one of the host
    the student went to, its lines prefetched."""
    if activity is None:
        return None
    return (
        CoursePlan.objects.filter(activity=activity, status=CoursePlanStatus.APPROVED)
        .filter(written_for_the_stays_host())
        .select_related("recognition_confirmed_by")
        .prefetch_related("lines")
        .order_by("-version")
        .first()
    )


def nominated_activity(application: Application) -> Activity | None:
    choice = application.nominated_choice
    return choice.activity if choice is not None else None


def returning_application(course_plan: CoursePlan) -> Application | None:
    """The application that took the student to this course plan's stay, once they left."""
    return (
        Application.objects.filter(
            nominated_choice__activity_id=course_plan.activity_id,
            state__in=RETURN_VISIBLE_STATES,
        )
        .select_related("nominated_choice__activity")
        .prefetch_related("documents")
        .order_by("-created_at")
        .first()
    )


def recognitions_to_confirm(advisor: User) -> QuerySet[Application]:
    """The advisees abroad or back whose credits are still to recognise, each with the pk of
    the course plan version to recognise (`recognition_plan_pk`, None if none is approved)."""
    approved = (
        CoursePlan.objects.filter(
            activity=OuterRef("nominated_choice__activity"), status=CoursePlanStatus.APPROVED
        )
        .filter(written_for_the_stays_host())
        .order_by("-version")
    )
    return (
        Application.objects.filter(
            state__in=RETURN_STATES, student__student_profile__advisor=advisor
        )
        .select_related("student", "call", "nominated_choice__activity__partner")
        .annotate(recognition_plan_pk=Subquery(approved.values("pk")[:1]))
        .order_by("state", "student__last_name", "pk")
    )


# --- validation of summer stays and internships abroad -------------------------------------


def needs_validation(activity: Activity) -> bool:
    """Summer stays and internships abroad are validated by the DFI and the DRI."""
    return activity.kind in INTERNSHIP_KINDS and str(activity.country) != HOME_COUNTRY


def latest_decisions(
    validations: Iterable[ActivityValidation],
) -> dict[str, ActivityValidation]:
    """Each body's latest decision, from validations in the order they were taken."""
    return {validation.body: validation for validation in validations}


def awaiting_bodies(activity: Activity, validations: Iterable[ActivityValidation]) -> list[str]:
    """The bodies that have neither validated the activity nor decided since the request."""
    requested = activity.validation_requested_at
    if requested is None:
        return []
    decided = {v.body for v in validations if v.decided_at >= requested}
    return [
        body
        for body in ValidationBody.values
        if not getattr(activity, APPROVAL_FLAG[body]) and body not in decided
    ]


def lacking_approvals(activity: Activity) -> list[str]:
    """The bodies (DFI, DRI) whose validation the stay lacks as it now stands."""
    return [body for body, flag in APPROVAL_FLAG.items() if not getattr(activity, flag)]


def fully_validated(activity: Activity) -> bool:
    return not lacking_approvals(activity)


@dataclass(frozen=True)
class ValidationState:
    activity: Activity
    validations: list[ActivityValidation]

    @property
    def latest(self) -> dict[str, ActivityValidation]:
        return latest_decisions(self.validations)

    @property
    def bodies(self) -> list[tuple[str, str, ActivityValidation | None]]:
        """(body, its label, its latest decision) for both bodies, DFI first."""
        latest = self.latest
        return [(body, label, latest.get(body)) for body, label in ValidationBody.choices]

    @property
    def awaiting(self) -> list[str]:
        return awaiting_bodies(self.activity, self.validations)

    @property
    def last_decision_id(self) -> int | None:
        """What a decision page shows it was taken on: any later decision makes it stale."""
        return max((validation.pk for validation in self.validations), default=None)

    @property
    def can_request(self) -> bool:
        return (
            needs_validation(self.activity)
            and not fully_validated(self.activity)
            and not self.awaiting
        )


def validation_state(activity: Activity) -> ValidationState:
    """An activity with its decisions (prefetched or one query)."""
    return ValidationState(activity=activity, validations=list(activity.validations.all()))


def _decisions() -> Prefetch:
    return Prefetch("validations", queryset=ActivityValidation.objects.select_related("decided_by"))


def _validated_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(kind__in=INTERNSHIP_KINDS).exclude(country=HOME_COUNTRY)


def validation_queue(awaiting_body: str | None = None, *, search: str = "") -> QuerySet[Activity]:
    """Requested validations, oldest request first; with a body, only those awaiting it; with
    `search`, only those of the students it names (name, e-mail or student number)."""
    activities = (
        _validated_activities()
        .filter(validation_requested_at__isnull=False)
        .select_related("plan__student", "partner")
        .prefetch_related(_decisions())
        .order_by("validation_requested_at", "pk")
    )
    if awaiting_body:
        decided_since_request = ActivityValidation.objects.filter(
            activity=OuterRef("pk"),
            body=awaiting_body,
            decided_at__gte=OuterRef("validation_requested_at"),
        )
        activities = activities.filter(**{APPROVAL_FLAG[awaiting_body]: False}).exclude(
            Exists(decided_since_request)
        )
    if search:
        activities = student_search(activities, search, student="plan__student")
    return activities


def validation_activity(pk: int) -> Activity:
    """A requested validation, for the DFI and the DRI, or 404."""
    activity = (
        _validated_activities()
        .filter(pk=pk, validation_requested_at__isnull=False)
        .select_related("plan__student__student_profile", "partner")
        .prefetch_related(_decisions())
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def validation_no_longer_requested(pk: int, *, shown_request: bool) -> bool:
    """Whether the activity was asked for and no longer is: the student changed the stay since
    (which forgets the request) and has not asked again. `shown_request`: a page showed its
    request (a decision was posted from it); else a body's decision on it tells it was asked."""
    activities = _validated_activities().filter(pk=pk, validation_requested_at__isnull=True)
    if not shown_request:
        activities = activities.filter(validations__isnull=False)
    return activities.exists()
