"""Read-only queries for the student's pages, each in a fixed number of queries."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)

from apps.accounts.models import StudentProfile, User
from apps.programmes.models import Agreement, Call, academic_year_of
from apps.rules.models import PublishedRegulation
from apps.rules.published import version_named
from mobility_portal.collation import by_name
from mobility_portal.fixed_query import RowsByKey

from .access import visible_applications
from .checking import engine_language
from .models import (
    AGREEMENT_KIND_FOR_ACTIVITY,
    HOST_BOUND_KINDS,
    REUSABLE_KINDS,
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
    ErasureRequest,
    ErasureState,
    ErasureTransition,
    LineDecision,
    MobilityPlan,
    Transition,
    written_for_the_stays_host,
)
from .next_step import RejectedCourses
from .privacy import ERASURE_ENDED_STATES
from .workflow import COURSE_PLANS_SENT_STATES, IN_REVIEW_STATES

# --- plans -------------------------------------------------------------------------------


def student_profile(student: User) -> StudentProfile | None:
    """The student's profile; no query when the user was loaded with it (the auth backend
    loads the signed-in user so)."""
    return getattr(student, "student_profile", None)


def plan_activities(plan: MobilityPlan) -> list[Activity]:
    return list(plan.activities.select_related("partner"))


def in_plan_order(activities: Iterable[Activity]) -> list[Activity]:
    """The order the plan stores them in (start, then id; an unsaved one last of its day), on
    which the engine's findings depend: an overlap names the later activity of the two."""
    return sorted(activities, key=lambda activity: (activity.start, activity.pk or math.inf))


def plan_of(student: User) -> MobilityPlan | None:
    return (
        MobilityPlan.objects.select_related("student__student_profile")
        .filter(student=student)
        .first()
    )


def study_activities(plan: MobilityPlan, *, academic_year: int | None = None) -> list[Activity]:
    """The activities a student applies for through a call (of `academic_year`: those
    starting in it)."""
    activities = plan.activities.select_related("partner").filter(
        kind__in=AGREEMENT_KIND_FOR_ACTIVITY
    )
    return [
        activity
        for activity in activities
        if academic_year is None or academic_year_of(activity.start) == academic_year
    ]


def study_years(activities: Iterable[Activity]) -> set[int]:
    """The academic years in which `activities` (a plan's) hold a study stay, as
    study_activities picks them: a call of another year has no destination to offer, and Apply
    starts no application to it (services.application_start)."""
    return {
        academic_year_of(activity.start)
        for activity in activities
        if activity.kind in AGREEMENT_KIND_FOR_ACTIVITY
    }


def study_years_of(student: User) -> set[int]:
    """study_years of the student's plan, in one query."""
    return study_years(Activity.objects.filter(plan__student=student).only("kind", "start"))


# --- calls and applications --------------------------------------------------------------


def own_applications(student: User) -> QuerySet[Application]:
    return (
        visible_applications(student)
        .filter(student=student)
        .select_related(
            "call", "nominated_choice__activity", "nominated_choice__agreement__partner"
        )
    )


def _a_choice_left(application: str = "pk") -> Exists:
    """Whether the application has a choice whose host has not refused the student."""
    return Exists(
        Choice.objects.filter(application=OuterRef(application), host_refused_at__isnull=True)
    )


def dashboard_applications(student: User) -> QuerySet[Application]:
    """The student's applications with `has_choice_left`: a choice whose host has not refused
    the student (the dashboard follows a host's refusal while one is left)."""
    return own_applications(student).annotate(has_choice_left=_a_choice_left())


def still_followed(application: Application, today: date) -> bool:
    """Whether the application may still take the student abroad. A host's refusal is followed
    while the office may still nominate the student elsewhere: a choice is left (annotated
    `has_choice_left`), and the call's academic year has not passed."""
    if application.state in (ApplicationState.REFUSED, ApplicationState.WITHDRAWN):
        return False
    if application.state == ApplicationState.DRAFT:
        # Never submitted, and its call has closed: it cannot be any more.
        return application.call.closes_on >= today
    if application.state != ApplicationState.HOST_REFUSED:
        return True
    return application.has_choice_left and application.call.academic_year >= academic_year_of(today)


@dataclass(frozen=True)
class HostAppliedFor:
    """A host an application's choice named for a stay: its key (`NamesItsHost.host_key`)
    and its name."""

    key: tuple
    name: str


def _host_applied_for(choice: Choice, activity: Activity) -> HostAppliedFor:
    """The host of `choice` (with its agreement's partner), a choice of `activity`: outside
    partnerships, the one it kept when submitted, else (a draft) the activity's."""
    if choice.agreement_id is not None:
        partner = choice.agreement.partner
        return HostAppliedFor(key=(partner.pk, ""), name=partner.name)
    if choice.host_name:
        return HostAppliedFor(key=(None, choice.host_name), name=choice.host_name)
    return HostAppliedFor(key=activity.host_key, name=activity.host_display)


def stays_that_did_not_happen(
    student: User, activities: Iterable[Activity], today: date
) -> dict[int, Application]:
    """The study stays of the plan that the student applied for, every application ending
    without taking them there (refused, withdrawn, refused by every host, a draft left when its
    call closed), each with the latest of those applications. They still count toward the time
    abroad until the student removes them. Each application carries `hosts_applied_for`, the
    hosts (`HostAppliedFor`) its choices of the stay named, in their rank order (only the one
    it was nominated to, if any): the stay may have moved since, to a host it never chose.
    One query."""
    stays = {activity.pk: activity for activity in activities if activity.is_study}
    if not stays:
        return {}
    choices = (
        Choice.objects.filter(activity_id__in=stays, application__student=student)
        .select_related("application__call", "agreement__partner")
        .annotate(application_has_choice_left=_a_choice_left("application"))
        .order_by("application__created_at", "application_id", "rank")
    )
    latest: dict[int, Application] = {}
    followed: set[int] = set()
    hosts: dict[tuple[int, int], list[tuple[int, HostAppliedFor]]] = {}
    for choice in choices:
        application = choice.application
        application.has_choice_left = choice.application_has_choice_left
        latest[choice.activity_id] = application
        host = _host_applied_for(choice, stays[choice.activity_id])
        hosts.setdefault((choice.activity_id, application.pk), []).append((choice.pk, host))
        if still_followed(application, today):
            followed.add(choice.activity_id)
    ended = {pk: application for pk, application in latest.items() if pk not in followed}
    for pk, application in ended.items():
        chosen = hosts[(pk, application.pk)]
        nominated = [host for choice, host in chosen if choice == application.nominated_choice_id]
        application.hosts_applied_for = nominated or [host for _choice, host in chosen]
    return ended


@dataclass(frozen=True)
class CallRow:
    """A call as a student sees it: open now or later, and their application to it if any."""

    call: Call
    application: Application | None
    is_open: bool
    # Whether the plan has a study stay in the call's academic year (study_years).
    has_stay: bool

    @property
    def can_apply(self) -> bool:
        return self.is_open and self.application is None and self.has_stay

    @property
    def needs_a_stay(self) -> bool:
        """Open, not applied to, and Apply would start nothing: the plan has no stay for it."""
        return self.is_open and self.application is None and not self.has_stay

    @property
    def will_need_a_stay(self) -> bool:
        """Not open yet, and the plan has no stay for it: said now, while there is time."""
        return not self.is_open and self.application is None and not self.has_stay

    @property
    def can_start_again(self) -> bool:
        """A draft withdrawn before it was submitted, while the call is open."""
        return self.is_open and self.application is not None and self.application.restartable


def call_rows(
    applications: list[Application], today: date, *, years_with_a_stay: set[int]
) -> list[CallRow]:
    """Calls open today or opening later, each with the student's application to it, and
    whether their plan has a stay for it (`years_with_a_stay`: study_years of the plan)."""
    by_call = {application.call_id: application for application in applications}
    calls = Call.objects.filter(closes_on__gte=today).order_by("opens_on", "closes_on")
    return [
        CallRow(
            call=call,
            application=by_call.get(call.pk),
            is_open=call.is_open_on(today),
            has_stay=call.academic_year in years_with_a_stay,
        )
        for call in calls
    ]


def agreements_in_force(academic_year: int) -> QuerySet[Agreement]:
    return (
        Agreement.objects.select_related("partner")
        .filter(Agreement.in_force_q(academic_year))
        .order_by(by_name("partner__name"))
    )


def with_choices(application: Application) -> Application:
    """Prefetch the choices with their activities and agreements, as
    `services.required_documents` and `services.submission_readiness` read them."""
    prefetch_related_objects(
        [application],
        Prefetch("choices", queryset=Choice.objects.select_related("activity", "agreement")),
    )
    return application


def _page_choices() -> QuerySet[Choice]:
    return Choice.objects.select_related(
        "activity__plan", "activity__partner", "agreement__partner"
    )


def _page_history() -> QuerySet[Transition]:
    return Transition.objects.select_related("actor")


# What the application page prefetches, each with its SQL compiled once (RowsByKey): the
# compilation of these three statements was the costliest part of loading the page.
PAGE_LISTS = (
    ("choices", _page_choices, RowsByKey(_page_choices, "application")),
    ("documents", Document.objects.all, RowsByKey(Document.objects.all, "application")),
    ("history", _page_history, RowsByKey(_page_history, "application")),
)


def load_application_page(application: Application) -> Application:
    """Fetch the choices, documents and history the application page shows: three queries.
    What prefetch_related_objects does with the same querysets: each list kept as
    `application.<name>.all()`, each row knowing its application."""
    if not hasattr(application, "_prefetched_objects_cache"):
        application._prefetched_objects_cache = {}
    for name, queryset, rows_by_key in PAGE_LISTS:
        rows = rows_by_key.of(application)
        manager = getattr(application, name)
        kept = manager._apply_rel_filters(queryset())
        kept._result_cache = rows
        kept._prefetch_done = True
        application._prefetched_objects_cache[manager.field.remote_field.cache_name] = kept
    return application


@dataclass(frozen=True)
class Resubmission:
    """A dossier sent back for changes and submitted again: the student's move (its comment is
    what they say they changed) and the office's request it answers (None: not recorded)."""

    submitted: Transition
    asked: Transition | None


def awaited_resubmission(application: Application) -> Resubmission | None:
    """While the application awaits review after the student submitted it again following a
    request for changes: that resubmission. From the history `load_application_page`
    prefetched: no query."""
    if application.state not in IN_REVIEW_STATES:
        return None
    history = sorted(application.history.all(), key=lambda transition: transition.pk)
    # The student's own submissions: a withdrawal the office undid is none.
    submissions = [
        transition
        for transition in history
        if transition.to_state == ApplicationState.SUBMITTED
        and transition.from_state in (ApplicationState.DRAFT, ApplicationState.CHANGES_REQUESTED)
    ]
    if not submissions or submissions[-1].from_state != ApplicationState.CHANGES_REQUESTED:
        return None
    latest = submissions[-1]
    asked = [
        transition
        for transition in history
        if transition.asks_for_changes and transition.pk < latest.pk
    ]
    return Resubmission(submitted=latest, asked=asked[-1] if asked else None)


def nominated_activity_id(application: Application) -> int | None:
    """The stay the (prefetched) choices say the student is nominated to: the only one an EWP
    mobility, hence its export, exists for."""
    choice = application.nominated_among_choices()
    return choice.activity_id if choice is not None else None


def chosen_study_activities(application: Application) -> list[Activity]:
    """Each study activity the (prefetched) choices name, once, in rank order."""
    activities: dict[int, Activity] = {}
    for choice in application.choices.all():
        if choice.activity.is_study:
            activities.setdefault(choice.activity_id, choice.activity)
    return list(activities.values())


@dataclass(frozen=True)
class DocumentRow:
    kind: str
    label: str
    document: Document | None
    required: bool
    # Where missing: the student's own document of this kind in another of their
    # applications, which they may use again (reusable_documents).
    reusable: Document | None = None


def document_rows(
    application: Application,
    required_kinds: list[str],
    reusable: dict[str, Document] | None = None,
) -> list[DocumentRow]:
    """The required documents first, uploaded or not, then any other uploaded document (one
    row each: a dossier may hold several host letters). A missing one carries the document of
    its kind `reusable` offers, if any."""
    reusable = reusable or {}
    uploaded: dict[str, list[Document]] = {}
    for document in application.documents.all():
        uploaded.setdefault(document.kind, []).append(document)
    kinds = [*required_kinds, *(kind for kind in uploaded if kind not in required_kinds)]
    return [
        DocumentRow(
            kind=kind,
            label=DocumentKind(kind).label,
            document=document,
            required=kind in required_kinds,
            reusable=reusable.get(kind) if document is None else None,
        )
        for kind in kinds
        for document in uploaded.get(kind) or [None]
    ]


def missing_kinds(application: Application, required_kinds: list[str]) -> list[str]:
    """The required kinds the (prefetched) documents do not hold yet."""
    present = {document.kind for document in application.documents.all()}
    return [kind for kind in required_kinds if kind not in present]


def reusable_documents(application: Application, kinds: Iterable[str]) -> dict[str, Document]:
    """For each of `kinds` the student may bring from another of their applications, the
    latest document of that kind they uploaded themselves there (never one the office added);
    of a kind written for one host (a learning agreement draft), the latest one written for a
    host this application chooses (`written_for_hosts`). One query however many applications
    the student has, none when no kind can be brought: this application's choices are read as
    prefetched. An erased dossier has no document rows left, so it offers nothing."""
    wanted = [kind for kind in kinds if kind in REUSABLE_KINDS]
    if not wanted:
        return {}
    hosts = chosen_hosts(application) if HOST_BOUND_KINDS.intersection(wanted) else set()
    student_id = application.student_id
    documents = (
        with_host_written_for(
            Document.objects.filter(
                application__student_id=student_id, uploaded_by_id=student_id, kind__in=wanted
            )
        )
        .exclude(application_id=application.pk)
        .select_related("application__call")
        .order_by("-uploaded_at", "-pk")
    )
    latest: dict[str, Document] = {}
    for document in documents:
        if document.kind not in latest and written_for_hosts(document, hosts):
            latest[document.kind] = document
    return latest


def choice_host_key(choice: Choice) -> tuple:
    """The host `choice` names, as `NamesItsHost.host_key`: its agreement's partner; outside
    partnerships the host it kept when submitted, else (a draft) its activity's."""
    if choice.agreement_id is not None:
        return (choice.agreement.partner_id, "")
    if choice.host_name:
        return (None, choice.host_name)
    return choice.activity.host_key


NO_HOST = (None, "")


def chosen_hosts(application: Application) -> set[tuple]:
    """The hosts the application's (prefetched) choices name, whatever their rank."""
    return {choice_host_key(choice) for choice in application.choices.all()} - {NO_HOST}


def with_host_written_for(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Each document with the host its application's documents were written for, as the two
    halves of a host key (`written_for_partner`, `written_for_host_name`; both None when the
    application has no choice): the host of the choice the student was nominated to, else of
    their first choice, the one a draft of several ranked choices is written for. In the
    documents' own query: no query of its own."""
    choices = Choice.objects.filter(application=OuterRef("application")).order_by(
        Case(
            When(pk=F("application__nominated_choice_id"), then=Value(0)),
            default=Value(1),
        ),
        "rank",
    )
    # What choice_host_key reads, in SQL.
    partner = Case(
        When(agreement__isnull=False, then=F("agreement__partner_id")),
        When(host_name="", then=F("activity__partner_id")),
        default=None,
        output_field=IntegerField(),
    )
    host_name = Case(
        When(agreement__isnull=False, then=Value("")),
        When(~Q(host_name=""), then=F("host_name")),
        When(activity__partner__isnull=False, then=Value("")),
        default=F("activity__host_name"),
        output_field=CharField(),
    )
    return documents.annotate(
        written_for_partner=Subquery(choices.values_list(partner)[:1]),
        written_for_host_name=Subquery(choices.values_list(host_name)[:1]),
    )


def written_for_hosts(document: Document, hosts: set[tuple]) -> bool:
    """Whether `document` (read through `with_host_written_for`) may serve an application
    choosing `hosts`: any document of a kind not bound to a host; one bound to a host (a
    learning agreement draft) when the host it was written for is among them, at any rank: the
    office may nominate the student to any of them."""
    if document.kind not in HOST_BOUND_KINDS:
        return True
    written_for = (document.written_for_partner, document.written_for_host_name)
    return written_for != NO_HOST and written_for in hosts


# --- course plans ------------------------------------------------------------------------


def latest_course_plan(activity: Activity) -> CoursePlan | None:
    """The latest version, with whether an application wants its stay (`still_wanted`, by the
    rule of the advisor's queue): what the student's page says of where the version stands."""
    return (
        activity.course_plans.annotate(still_wanted=course_plan_stay_still_wanted())
        .order_by("-version")
        .first()
    )


def course_plan_left_behind(
    activity: Activity, course_plan: CoursePlan | None, lines: list[CourseLine]
) -> CoursePlan | None:
    """The version just before an empty `course_plan`, when it listed courses of the host the
    stay has left (a nomination elsewhere): the student has that host's courses to list."""
    if course_plan is None or lines or course_plan.version == 1:
        return None
    previous = (
        activity.course_plans.filter(version=course_plan.version - 1)
        .select_related("partner")
        .first()
    )
    if previous is None or previous.is_for_host_of(activity):
        return None
    return previous


def course_plan_waits_for_an_application(course_plan: CoursePlan | None) -> bool:
    """A version sent to the advisor and not settled (pending, or with courses rejected) whose
    stay no application wants now (`still_wanted`, annotated by course_plan_stay_still_wanted):
    it is not before the advisor; it goes to them once an application with the stay is
    submitted. The advisor's queue leaves it out by the same rule."""
    return (
        course_plan is not None
        and course_plan.status in (CoursePlanStatus.PENDING, CoursePlanStatus.CHANGES_REQUESTED)
        and not course_plan.still_wanted
    )


def course_lines(course_plan: CoursePlan | None) -> list[CourseLine]:
    return list(course_plan.lines.all()) if course_plan else []


def required_course_ects(activity: Activity) -> int | None:
    """The ECTS a course plan should reach: the regulation's minimum for an exchange, the
    planned ECTS for a double degree or a master."""
    version = version_named(activity.plan.regulation)
    if activity.kind == ActivityKind.EXCHANGE_SEMESTER:
        return version.semester_minimum_ects
    if activity.kind == ActivityKind.EXCHANGE_YEAR:
        return version.year_minimum_ects
    return activity.ects


@dataclass(frozen=True)
class CourseTotal:
    activity: Activity
    total: Decimal
    required: int | None
    # The version the total is of, where course_totals found one (what the reader may open).
    course_plan_id: int | None = None

    @property
    def reached(self) -> bool:
        return self.required is not None and self.total >= self.required


def agreed_ects(lines: Iterable[CourseLine]) -> Decimal:
    """The ECTS of the lines the advisor has not rejected: a rejected course does not count."""
    return sum((line.ects for line in lines if line.decision != LineDecision.REJECTED), Decimal(0))


def course_total(activity: Activity, lines: list[CourseLine]) -> CourseTotal:
    return CourseTotal(
        activity=activity, total=agreed_ects(lines), required=required_course_ects(activity)
    )


def readable_course_plans(
    course_plans: QuerySet[CoursePlan], *, by_student: bool
) -> QuerySet[CoursePlan]:
    """The versions a reader sees: a version the student has not sent yet is theirs alone."""
    return course_plans if by_student else course_plans.exclude(status=CoursePlanStatus.DRAFT)


@dataclass(frozen=True)
class CoursePlanVersion:
    """One version of a stay's course plan as its student reads it."""

    course_plan: CoursePlan
    lines: list[CourseLine]
    total: CourseTotal
    is_latest: bool

    @property
    def was_sent(self) -> bool:
        """Sent to the advisor: their decisions on its lines are the student's to read (a
        draft is the student's alone, decided by nobody)."""
        return self.course_plan.status != CoursePlanStatus.DRAFT

    @property
    def replaced_before_a_decision(self) -> bool:
        """Sent, then replaced by a later version before the advisor decided on every line:
        it no longer awaits them, whatever status it was left with (as on their page)."""
        return self.course_plan.status == CoursePlanStatus.PENDING and not self.is_latest

    @property
    def awaits_an_application(self) -> bool:
        """The latest version, pending, of a stay no application wants now: not before the
        advisor until one with the stay is submitted (course_plan_waits_for_an_application)."""
        return (
            self.is_latest
            and self.course_plan.status == CoursePlanStatus.PENDING
            and course_plan_waits_for_an_application(self.course_plan)
        )


def course_plan_versions(
    activity: Activity, *, number: int | None = None, earlier_only: bool = False
) -> list[CoursePlanVersion]:
    """The versions of the stay's course plan its student reads, newest first, each with its
    lines and its total: version `number` alone, or those before the latest. Two queries
    whatever the number of versions and lines (the activity must come with its plan)."""
    later = CoursePlan.objects.filter(
        activity=OuterRef("activity"), version__gt=OuterRef("version")
    )
    versions = readable_course_plans(activity.course_plans.all(), by_student=True)
    if number is not None:
        versions = versions.filter(version=number)
    if earlier_only:
        versions = versions.filter(Exists(later))
    versions = (
        versions.select_related("partner")
        .annotate(replaced=Exists(later), still_wanted=course_plan_stay_still_wanted())
        .prefetch_related("lines")
        .order_by("-version")
    )
    required = required_course_ects(activity)
    rows = []
    for version in versions:
        lines = list(version.lines.all())
        total = CourseTotal(activity=activity, total=agreed_ects(lines), required=required)
        rows.append(
            CoursePlanVersion(
                course_plan=version, lines=lines, total=total, is_latest=not version.replaced
            )
        )
    return rows


def course_totals(activities: list[Activity], *, by_student: bool = True) -> list[CourseTotal]:
    """ECTS of each activity's latest course plan (as the reader sees it: `by_student` or
    not), in one query whatever the number of rows. The activities must come with their plan
    (select_related)."""
    totals: dict[int, tuple[Decimal, int]] = {}
    visible = readable_course_plans(
        CoursePlan.objects.filter(written_for_the_stays_host()), by_student=by_student
    )
    rows = (
        visible.filter(activity__in=activities)
        .annotate(total=Sum("lines__ects", filter=~Q(lines__decision=LineDecision.REJECTED)))
        .order_by("activity_id", "-version")
        .values_list("activity_id", "total", "pk")
    )
    for activity_id, total, course_plan_id in rows:
        totals.setdefault(activity_id, (total or Decimal(0), course_plan_id))
    return [
        CourseTotal(
            activity=activity,
            total=totals.get(activity.pk, (Decimal(0), None))[0],
            required=required_course_ects(activity),
            course_plan_id=totals.get(activity.pk, (Decimal(0), None))[1],
        )
        for activity in activities
    ]


def snapshot_result(snapshot: dict | None) -> dict | None:
    """The frozen check in the reader's language, each finding with its activity's host."""
    result = (snapshot or {}).get("results", {}).get(engine_language())
    if not result:
        return None
    hosts = snapshot.get("hosts", {})
    findings = [
        {**finding, "host": hosts.get(finding["activity"])} for finding in result["findings"]
    ]
    return {**result, "findings": findings}


def choices_still_wanted() -> QuerySet[Choice]:
    """The choices whose stay a live application still wants: not one nominated to another
    of its choices (the advisor's queue and the student's dashboard read the same)."""
    return Choice.objects.filter(application__state__in=COURSE_PLANS_SENT_STATES).filter(
        Q(application__nominated_choice__isnull=True) | Q(application__nominated_choice=F("pk"))
    )


def published_regulation(name: str) -> PublishedRegulation | None:
    """The version the DRI published under this name (with what it changes); None for a
    built-in one."""
    return PublishedRegulation.objects.filter(name=name).first()


def course_plan_stay_still_wanted() -> Exists:
    """Whether a live application wants a course plan's stay (a condition on CoursePlan rows):
    the one rule by which a version awaits the advisor. Their queue, their reminders and the
    student's course plan page read it, so that what the student is told awaits the advisor is
    what the advisor has before them. The course plan of a stay the student withdrew from, was
    refused or nominated elsewhere, or only names in a draft, asks nothing of the advisor."""
    return Exists(choices_still_wanted().filter(activity=OuterRef("activity")))


def course_plans_no_longer_wanted(applications: Iterable[Application]) -> list[int]:
    """The versions awaiting a decision, of the stays these applications chose, that no live
    application wants any more (their application nominated to another stay): what left the
    advisor's queue undecided. One query."""
    return list(
        CoursePlan.objects.filter(
            activity__choices__application__in=list(applications),
            status=CoursePlanStatus.PENDING,
        )
        .exclude(course_plan_stay_still_wanted())
        .values_list("pk", flat=True)
        .distinct()
    )


def stay_still_wanted(activity: Activity) -> bool:
    """Whether the advisor has this stay's course plan before them (as their queue reads it)."""
    return choices_still_wanted().filter(activity=activity).exists()


def application_choosing(activity_id: int) -> Application | None:
    """The application a stay's learning agreement is printed through, among those that chose
    the stay: one still wanting it (the one nominated to it first), else the one nominated to
    it (a withdrawal or a completed mobility), else the latest. A later draft or a withdrawn
    application of another call naming the same stay carries no nomination."""
    nominated_here = Choice.objects.filter(pk=OuterRef("nominated_choice"), activity_id=activity_id)
    wanted = choices_still_wanted().filter(application=OuterRef("pk"), activity_id=activity_id)
    return (
        Application.objects.filter(choices__activity_id=activity_id)
        .annotate(still_wanted=Exists(wanted), nominated_here=Exists(nominated_here))
        .order_by("-still_wanted", "-nominated_here", "-created_at", "-pk")
        .first()
    )


def rejected_courses(student: User) -> RejectedCourses | None:
    """The student's first course plan whose latest version has rejected lines: one query."""
    later = CoursePlan.objects.filter(
        activity=OuterRef("activity"), version__gt=OuterRef("version")
    )
    rejected = Count("lines", filter=Q(lines__decision=LineDecision.REJECTED))
    # Only a stay a live application still wants: the others' course plans no longer matter.
    live = choices_still_wanted().filter(activity=OuterRef("activity"))
    course_plan = (
        CoursePlan.objects.filter(
            activity__plan__student=student, status=CoursePlanStatus.CHANGES_REQUESTED
        )
        .filter(Exists(live))
        .exclude(Exists(later))
        .select_related("activity__partner")
        .annotate(rejected=rejected)
        .order_by("activity__start", "activity_id")
        .first()
    )
    if course_plan is None:
        return None
    return RejectedCourses(
        activity_pk=course_plan.activity_id,
        host=course_plan.activity.host_display,
        count=course_plan.rejected,
    )


def pending_erasure_asked_at(student: User) -> datetime | None:
    """When the student's pending erasure request was made, if one is pending."""
    return (
        ErasureRequest.objects.filter(student=student, state=ErasureState.PENDING)
        .values_list("created_at", flat=True)
        .first()
    )


def own_erasure_requests(student: User) -> list[ErasureRequest]:
    """The student's erasure requests, newest first, each with its history (the refusal's
    reason): two queries."""
    return list(ErasureRequest.objects.filter(student=student).prefetch_related("history"))


def erasure_requests_queue() -> QuerySet[ErasureRequest]:
    """Every erasure request for the administrators' list: pending ones first (oldest first:
    the longest waiting on top), then the others, newest first; each with its student, and
    whether they have an application under way, in the page's one query."""
    under_way = Application.objects.filter(student=OuterRef("student")).exclude(
        state__in=ERASURE_ENDED_STATES
    )
    pending = Q(state=ErasureState.PENDING)
    return (
        ErasureRequest.objects.select_related("student")
        .annotate(
            has_application_under_way=Exists(under_way),
            waiting=Case(When(pending, then=Value(0)), default=Value(1)),
            # Among pending requests, the oldest first; the others all equal here.
            asked_order=Case(When(pending, then=F("created_at")), default=Value(None)),
        )
        .order_by("waiting", "asked_order", "-created_at", "-pk")
    )


def erasure_request_page(request: ErasureRequest) -> ErasureRequest:
    """The request with its history and actors, and the student's applications under way."""
    prefetch_related_objects(
        [request],
        Prefetch("history", queryset=ErasureTransition.objects.select_related("actor")),
    )
    request.applications_under_way = list(
        Application.objects.filter(student=request.student_id)
        .exclude(state__in=ERASURE_ENDED_STATES)
        .select_related("call")
    )
    return request
