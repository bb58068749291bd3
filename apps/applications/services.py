"""Every change of state of plans, applications, documents and course plans."""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from apps.accounts.models import User
from apps.notifications.events import (
    announce_course_plan_decided,
    announce_course_plan_replaced,
    announce_course_plan_sent,
    announce_course_plans_no_longer_wanted,
    announce_course_plans_replaced,
    announce_plans_passing_again,
)
from apps.programmes.models import Agreement, Call, academic_year_label, academic_year_of
from apps.rules import Finding
from apps.rules.published import current_regulations
from mobility_portal.bulk import rows_per_insert, update_each
from mobility_portal.dates import long_date

from .checking import VERDICT_FIELDS, PlanCheck, plan_result, record_check, set_verdict
from .erasure import has_pending_request
from .errors import (
    AlreadyApplied,
    DocumentKindTaken,
    DuplicateActivity,
    NoStayForCall,
    ServiceError,
)
from .models import (
    AGREEMENT_KIND_FOR_ACTIVITY,
    HOST_BOUND_KINDS,
    KINDS_KEPT_SIDE_BY_SIDE,
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
    LineDecision,
    MobilityPlan,
)
from .plan_format import plan_document
from .selectors import (
    chosen_hosts,
    course_plans_no_longer_wanted,
    missing_kinds,
    reusable_documents,
    stay_still_wanted,
    study_years_of,
    with_choices,
    with_host_written_for,
    written_for_hosts,
)
from .uploads import validate_pdf
from .workflow import EDITABLE_STATES, WITHDRAWABLE_STATES, move

# Documents an application must carry, by the kind of the activities it applies for.
BASE_DOCUMENTS = (DocumentKind.CV, DocumentKind.TRANSCRIPT, DocumentKind.LANGUAGE_CERTIFICATE)
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    ActivityKind.DOUBLE_DEGREE: BASE_DOCUMENTS,
    ActivityKind.MASTER: BASE_DOCUMENTS,
    ActivityKind.EXCHANGE_SEMESTER: (*BASE_DOCUMENTS, DocumentKind.LEARNING_AGREEMENT),
    ActivityKind.EXCHANGE_YEAR: (*BASE_DOCUMENTS, DocumentKind.LEARNING_AGREEMENT),
}
SNAPSHOT_LANGUAGES = ("fr", "en")

# What the student uploads; staff add the host's letter, the return adds the host transcript.
STUDENT_DOCUMENTS = frozenset(
    {
        DocumentKind.CV,
        DocumentKind.TRANSCRIPT,
        DocumentKind.LANGUAGE_CERTIFICATE,
        DocumentKind.LEARNING_AGREEMENT,
    }
)

ACTIVITY_FIELDS = (
    "kind",
    "start",
    "end",
    "partner",
    "host_name",
    "country",
    "ects",
    "ects_project",
    "internship_start",
    "internship_end",
    "internship_country",
    "summer_type",
    "last_obligation",
)


# --- plans -------------------------------------------------------------------------------


def plan_for_student(student: User) -> MobilityPlan:
    if not hasattr(student, "student_profile"):
        raise ServiceError(
            _(
                "Your student profile is not set up yet: the portal's administrators complete "
                "it (ask the international relations office if it takes long)."
            )
        )
    plan, _created = MobilityPlan.objects.get_or_create(
        student=student, defaults={"regulation": current_regulation_name}
    )
    plan.student = student  # already loaded with their profile: no second query for either
    return plan


def current_regulation_name() -> str:
    """The version a new plan is checked under: called only when a plan is created."""
    return current_regulations(fresh=True).current


def plan_recheck(plan: MobilityPlan) -> None:
    record_check(plan, plan_result(plan, plan.activities.all()))


def plans_recheck(plans: Iterable[MobilityPlan]) -> None:
    """`plan_recheck` for many plans (with their students' profiles): their activities read in
    one query, their verdicts written in one statement."""
    plans = list(plans)
    activities: dict[int, list[Activity]] = {plan.pk: [] for plan in plans}
    for activity in Activity.objects.filter(plan__in=plans).select_related("partner"):
        activities[activity.plan_id].append(activity)
    passing_again = [
        plan.student_id
        for plan in plans
        if set_verdict(plan, plan_result(plan, activities[plan.pk]))
    ]
    update_each(plans, VERDICT_FIELDS)
    announce_plans_passing_again(passing_again)


# Row locks are always taken in one order, so that two transactions never wait for each
# other: an application, then its student's plan, then an activity of the plan.


def lock_plan(plan_id: int | None = None, *, student_id: int | None = None) -> MobilityPlan:
    """The plan's row (by its id, or its student's), held until the transaction ends, as stored
    now (its regulation version included): adding, changing, removing, validating and
    submitting activities of one plan happen one after the other (a double click, a second
    tab, a decision at the same moment)."""
    lookup = {"pk": plan_id} if plan_id is not None else {"student_id": student_id}
    return (
        MobilityPlan.objects.select_for_update(of=("self",))
        .select_related("student__student_profile")
        .get(**lookup)
    )


def _ensure_owner(actor: User, plan: MobilityPlan) -> None:
    if plan.student_id != actor.pk:
        raise ServiceError(_("Only the student can change their own plan."))


@transaction.atomic
def activity_create(*, actor: User, plan: MobilityPlan, fields: dict) -> Activity:
    _ensure_owner(actor, plan)
    plan = lock_plan(plan.pk)
    activity = Activity(plan=plan, **{name: fields.get(name) for name in ACTIVITY_FIELDS})
    normalise_activity(activity)
    same = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    if plan.activities.filter(**same).exists():
        raise DuplicateActivity(_("This activity is already in your plan."))
    activity.save()
    plan_recheck(plan)
    return activity


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, fields: dict) -> Activity:
    """Change an activity of the student's plan. Once an application past the draft stage
    names it, what and where the stay is (DESTINATION_FIELDS) no longer changes: reviewers
    decided, and a nomination holds a seat, on that destination."""
    _ensure_owner(actor, activity.plan)
    activity.plan = lock_plan(activity.plan_id)
    # Compare with the row as stored: the edit form has already written into `activity`.
    stored = Activity.objects.select_for_update().get(pk=activity.pk)
    over = mobility_over_reasons(stored)
    if over:
        raise ServiceError(*over)
    for name in ACTIVITY_FIELDS:
        setattr(activity, name, fields.get(name))
    normalise_activity(activity)
    moved_destination = _destination(activity) != _destination(stored)
    moved_year = academic_year_of(activity.start) != academic_year_of(stored.start)
    blockers = activity_blockers(stored) if moved_destination or moved_year else []
    if moved_destination and blockers:
        raise ServiceError(*(_destination_frozen_reason(app) for app in blockers))
    # Its seat, or its place in the review, is counted in the call's academic year.
    other_year = [
        application
        for application in blockers
        if moved_year and academic_year_of(activity.start) != application.call.academic_year
    ]
    if other_year:
        raise ServiceError(*(_year_frozen_reason(app) for app in other_year))
    # The validations as stored, not as the caller loaded them: a decision the DFI or the
    # DRI took since (while the form was checked) is kept, or forgotten for a different stay.
    edited_activity(stored, activity)
    activity.save()
    if moved_destination:
        course_plan_follow_host(activity)
    plan_recheck(activity.plan)
    return activity


VALIDATED_FACTS = ("kind", "start", "end", "country", "partner_id", "host_name", "summer_type")


def _validated_facts(activity: Activity) -> tuple:
    return tuple(str(getattr(activity, name)) for name in VALIDATED_FACTS)


def _forget_validation(activity: Activity) -> None:
    # The DFI and the DRI validated a stay as it was; a different stay asks again.
    activity.approved_by_dfi = activity.approved_by_dri = False
    activity.validation_requested_at = None


def edited_activity(stored: Activity, activity: Activity) -> Activity:
    """`activity`, the edit of `stored`, with the validations `stored` had while it is the same
    stay: what saving it keeps, and so what the live check must look at."""
    activity.approved_by_dfi = stored.approved_by_dfi
    activity.approved_by_dri = stored.approved_by_dri
    activity.validation_requested_at = stored.validation_requested_at
    if _validated_facts(activity) != _validated_facts(stored):
        _forget_validation(activity)
    return activity


# What and where a stay is: what an application past the draft stage was decided on.
DESTINATION_FIELDS = ("kind", "partner_id", "host_name", "country")


def _destination(activity: Activity) -> tuple:
    return tuple(str(getattr(activity, name) or "") for name in DESTINATION_FIELDS)


def _destination_frozen_reason(application: Application) -> str:
    return _(
        "Your application to %(call)s is %(state)s and names this activity: its kind, host "
        "institution and country can no longer change."
    ) % {"call": application.call, "state": application.get_state_display().lower()}


def activity_follow_nomination(choice: Choice) -> None:
    """The plan's activity becomes the stay the student is nominated to. A choice ranks a
    destination for one activity of the plan, any partner of its kind: nominated elsewhere than
    the host the activity named, the plan, its check, its timeline and the course plan's page
    would otherwise go on naming a host the student is not going to. A choice outside
    partnerships is the activity's own host: the one it named when the application was
    submitted, should an earlier nomination (refused by that host) have moved it to a partner."""
    activities_follow_nominations([choice])


def activities_follow_nominations(choices: Sequence[Choice]) -> None:
    """`activity_follow_nomination` for one nomination or many at once (a seat allocation's),
    each of another student: the plans locked together (in id order), the activities saved in one
    statement, their course plan versions read in one query (a course plan that must follow
    is written as `course_plan_follow_host` writes it), and the plans checked again with their
    verdicts saved in one statement. The choices come with their activities, and their
    agreements with partners."""
    moving = [choice for choice in choices if _moves_to_nominated_host(choice)]
    if not moving:
        return
    plans = {
        plan.pk: plan
        for plan in MobilityPlan.objects.select_for_update(of=("self",))
        .select_related("student__student_profile")
        .filter(pk__in={choice.activity.plan_id for choice in moving})
        .order_by("pk")
    }
    activities = []
    for choice in moving:
        activity = choice.activity
        activity.plan = plans[activity.plan_id]
        _to_nominated_host(choice)
        activities.append(activity)
    update_each(activities, ["partner", "country", "host_name"])
    course_plans_follow_hosts(activities)
    plans_recheck(plans.values())


def _moves_to_nominated_host(choice: Choice) -> bool:
    """Whether the nomination to `choice` moves its activity to another host."""
    activity = choice.activity
    if choice.agreement_id is None:
        return activity.partner_id is not None and bool(choice.host_name)
    return activity.partner_id != choice.agreement.partner_id


def _to_nominated_host(choice: Choice) -> None:
    """The choice's activity (in memory) names the host of the choice: its agreement's
    partner, or outside partnerships the host the choice names."""
    activity = choice.activity
    if choice.agreement_id is None:
        activity.partner = None
        activity.host_name, activity.country = choice.host_name, choice.host_country
    else:
        activity.partner = choice.agreement.partner
    normalise_activity(activity)


# The mobility happened: its dates, ECTS and host are the record its credits were recognised on.
MOBILITY_OVER = (ApplicationState.RETURNED, ApplicationState.COMPLETED)


def mobility_over_reasons(activity: Activity) -> list[str]:
    """Why the activity no longer changes: the mobilities to it that are over (none: it may)."""
    over = (
        Application.objects.filter(nominated_choice__activity=activity, state__in=MOBILITY_OVER)
        .select_related("call")
        .order_by("pk")
    )
    return [
        _(
            "Your mobility of %(call)s is over (%(state)s): this activity is its record and can "
            "no longer change."
        )
        % {"call": application.call, "state": application.get_state_display().lower()}
        for application in over
    ]


def _year_frozen_reason(application: Application) -> str:
    return _(
        "Your application to %(call)s is %(state)s and names this activity: it must start in "
        "%(year)s, the call's academic year."
    ) % {
        "call": application.call,
        "state": application.get_state_display().lower(),
        "year": academic_year_label(application.call.academic_year),
    }


def normalise_activity(activity: Activity) -> None:
    """Blank the fields another kind carries, and take a partner's country."""
    if activity.partner_id:
        activity.country = activity.partner.country
        activity.host_name = ""
    study = activity.kind in AGREEMENT_KIND_FOR_ACTIVITY
    if not study:
        activity.partner = None
        activity.ects = None
    if activity.kind != ActivityKind.EXCHANGE_YEAR:
        activity.ects_project = None
    if activity.kind != ActivityKind.DOUBLE_DEGREE or not activity.internship_start:
        activity.internship_start = activity.internship_end = None
        activity.internship_country = ""
    if activity.kind != ActivityKind.SUMMER_STAY:
        activity.summer_type = ""
    if activity.kind != ActivityKind.ENGINEERING_INTERNSHIP or activity.last_obligation is None:
        activity.last_obligation = True
    activity.host_name = activity.host_name or ""


# Applications whose stays the student may remove (their choices go with them): a refused
# one is over too, and its stay, which will not take place, would otherwise stay in the plan
# for good, checked under each new regulation version and counted as time abroad.
REMOVABLE_FROM_STATES = (
    ApplicationState.DRAFT,
    ApplicationState.WITHDRAWN,
    ApplicationState.REFUSED,
)


def activity_blockers(activity: Activity, *, removing: bool = False) -> list[Application]:
    """Applications past the draft stage that name this activity: what and where it is no
    longer changes; removing it, only those still under way (or done) keep it."""
    free = (
        REMOVABLE_FROM_STATES if removing else (ApplicationState.DRAFT, ApplicationState.WITHDRAWN)
    )
    return list(
        Application.objects.filter(choices__activity=activity)
        .exclude(state__in=free)
        .select_related("call")
        .distinct()
        .order_by("pk")
    )


def applications_received_naming(activity: Activity) -> list[Application]:
    """The applications the office has received that name this activity (neither a draft nor
    withdrawn or refused), with their call, in one query: removing the activity is refused
    while one does; changing it, the office is shown the change in their dossiers."""
    return activity_blockers(activity, removing=True)


@dataclass(frozen=True)
class ActivityRemoval:
    """What removing an activity would do: refused while `blockers` name it; otherwise the
    choices of `losing` (drafts, withdrawn applications) and its course plan versions go too."""

    blockers: list[Application]
    losing: list[Application]
    course_plan_versions: int

    @property
    def withdrawable(self) -> list[Application]:
        return [
            application for application in self.blockers if application.state in WITHDRAWABLE_STATES
        ]

    @property
    def kept(self) -> list[Application]:
        return [
            application
            for application in self.blockers
            if application.state not in WITHDRAWABLE_STATES
        ]


def activity_removal(activity: Activity) -> ActivityRemoval:
    blockers = applications_received_naming(activity)
    losing = (
        Application.objects.filter(choices__activity=activity)
        .exclude(pk__in=[application.pk for application in blockers])
        .select_related("call")
        .distinct()
        .order_by("pk")
    )
    return ActivityRemoval(
        blockers=blockers,
        losing=list(losing),
        course_plan_versions=activity.course_plans.count(),
    )


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    _ensure_owner(actor, activity.plan)
    # The applications nominated to this stay first, then the plan (the one order of row
    # locks): a withdrawn one loses its nomination below, while the office undoing that
    # withdrawal holds it and then waits for the plan.
    list(
        Application.objects.select_for_update()
        .filter(nominated_choice__activity=activity)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    plan = lock_plan(activity.plan_id)
    if applications_received_naming(activity):
        raise ServiceError(
            _("This activity is part of a submitted application: withdraw it first.")
        )
    # A withdrawn application once nominated to this stay: its nomination goes with the
    # choice, as its other choices do (the history keeps the nomination); it protected the
    # choice, and the removal failed.
    Application.objects.filter(
        nominated_choice__activity=activity, state__in=REMOVABLE_FROM_STATES
    ).update(nominated_choice=None)
    activity.delete()
    plan_recheck(plan)


@transaction.atomic
def plan_update_student_facts(
    *,
    actor: User,
    plan: MobilityPlan,
    engineering_internship_validated: bool,
    full_year_internship_before_departure: bool,
) -> MobilityPlan:
    _ensure_owner(actor, plan)
    plan.engineering_internship_validated = engineering_internship_validated
    plan.full_year_internship_before_departure = full_year_internship_before_departure
    plan.save(
        update_fields=[
            "engineering_internship_validated",
            "full_year_internship_before_departure",
            "updated_at",
        ]
    )
    plan_recheck(plan)
    return plan


# --- applications ------------------------------------------------------------------------


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _ensure_editable(actor: User, application: Application) -> None:
    if application.student_id != actor.pk:
        raise ServiceError(_("Only the student can change their own application."))
    if application.state not in EDITABLE_STATES:
        raise ServiceError(
            _("This application is %(state)s: it can no longer be changed.")
            % {"state": application.get_state_display().lower()}
        )


@transaction.atomic
def application_start(*, actor: User, call: Call, today: date | None = None) -> Application:
    today = today or timezone.localdate()
    # The student's row, locked as an erasure locks it: an erasure carried out at the same
    # moment either sees this application (and stops) or has closed the account first. No key
    # lock: rows that name the student (their notifications) are still written meanwhile.
    locked = User.objects.select_for_update(no_key=True).filter(pk=actor.pk, is_active=True)
    if not locked.exists():
        raise ServiceError(_("Your account is closed."))
    if has_pending_request(actor):
        raise ServiceError(
            _(
                "You have asked for your data to be erased: cancel that request first, from "
                "My data, to apply."
            )
        )
    plan_for_student(actor)
    if not call.is_open_on(today):
        dates = {"opens": long_date(call.opens_on), "closes": long_date(call.closes_on)}
        if today > call.closes_on:
            raise ServiceError(_("This call closed on %(closes)s.") % dates)
        raise ServiceError(_("This call opens on %(opens)s and closes on %(closes)s.") % dates)
    # Without a study stay of the call's year the draft could choose no destination: none is
    # written (an application the student already has to the call is theirs to open, below).
    if (
        call.academic_year not in study_years_of(actor)
        and not Application.objects.filter(student=actor, call=call).exists()
    ):
        raise NoStayForCall(
            _(
                "Your plan has no study stay in %(year)s, the academic year of this call: add "
                "one to your plan, then apply."
            )
            % {"year": call.academic_year_label}
        )
    try:
        # The unique constraint on (student, call) refuses a second application, a double
        # click's included; the savepoint keeps an enclosing transaction usable.
        with transaction.atomic():
            return Application.objects.create(student=actor, call=call)
    except IntegrityError:
        return _start_again(actor, call)


def _start_again(actor: User, call: Call) -> Application:
    """The student's application to this call exists: a draft they withdrew before ever
    submitting it becomes their draft again, with its choices, motivation and documents (the
    office never saw it); one withdrawn after submission stays withdrawn; any other is the one
    application of the call, which the refusal carries for the page to open."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().filter(student=actor, call=call).first()
        )
        if application is None:
            raise _already_applied()
        if application.state == ApplicationState.WITHDRAWN and not application.restartable:
            raise ServiceError(
                _(
                    "You withdrew your application to this call after submitting it: you "
                    "cannot apply to this call again."
                )
            )
        if not application.restartable:
            raise AlreadyApplied(application, *_already_applied().reasons)
        move(application, actor=actor, to_state=ApplicationState.DRAFT)
        return application


def _already_applied() -> ServiceError:
    return ServiceError(_("You already have an application for this call."))


@dataclass(frozen=True)
class ChoiceInput:
    activity: Activity
    agreement: Agreement | None


def choice_problems(choices: list[ChoiceInput], plan: MobilityPlan, call: Call) -> list[str]:
    problems = []
    if len(choices) > call.max_choices:
        problems.append(
            ngettext("At most %(count)d choice.", "At most %(count)d choices.", call.max_choices)
            % {"count": call.max_choices}
        )
    seen = set()
    for rank, choice in enumerate(choices, start=1):
        activity = choice.activity
        if activity.plan_id != plan.pk:
            problems.append(_("Choice %(rank)s is not an activity of your plan.") % {"rank": rank})
            continue
        problems.extend(_other_year_problems(rank, activity, call))
        problems.extend(kind_problems(rank, activity, choice.agreement))
        key = (activity.pk, choice.agreement.pk if choice.agreement else None)
        if key in seen:
            problems.append(_("Choice %(rank)s repeats an earlier choice.") % {"rank": rank})
        seen.add(key)
    return problems


def kind_problems(rank: int, activity: Activity, agreement: Agreement | None) -> list[str]:
    """Whether the stay is one a call applies for, under an agreement of its kind."""
    expected_kind = AGREEMENT_KIND_FOR_ACTIVITY.get(activity.kind)
    if expected_kind is None:
        return [
            _("Choice %(rank)s: only study stays are applied for through a call.") % {"rank": rank}
        ]
    if agreement is None and activity.kind == ActivityKind.DOUBLE_DEGREE:
        return [
            _("Choice %(rank)s: a double degree exists only under an agreement.") % {"rank": rank}
        ]
    if agreement is not None and agreement.kind != expected_kind:
        return [
            _("Choice %(rank)s: this agreement is not for a %(kind)s.")
            % {"rank": rank, "kind": activity.get_kind_display().lower()}
        ]
    return []


def _other_year_problems(rank: int, activity: Activity, call: Call) -> list[str]:
    """A call is for one academic year: a stay starting in another is applied for in its own
    year's call (seats are counted per academic year)."""
    year = academic_year_of(activity.start)
    if year == call.academic_year:
        return []
    return [
        _(
            "Choice %(rank)s: this stay starts in %(year)s, and the call is for %(call_year)s. "
            "Apply for it through a call of its own academic year."
        )
        % {
            "rank": rank,
            "year": academic_year_label(year),
            "call_year": academic_year_label(call.academic_year),
        }
    ]


@transaction.atomic
def application_update(
    *, actor: User, application: Application, motivation: str, choices: list[ChoiceInput]
) -> Application:
    application = _locked(application)
    _ensure_editable(actor, application)
    plan = plan_for_student(actor)
    problems = choice_problems(choices, plan, application.call)
    if problems:
        raise ServiceError(*problems)
    application.motivation = motivation.strip()
    application.save(update_fields=["motivation"])
    application.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(application=application, rank=rank, activity=c.activity, agreement=c.agreement)
        for rank, c in enumerate(choices, start=1)
    )
    return application


def required_documents(application: Application) -> list[str]:
    kinds: list[str] = []
    for choice in application.choices.all():  # callers prefetch choices and their activities
        for kind in REQUIRED_DOCUMENTS.get(choice.activity.kind, ()):
            if kind not in kinds:
                kinds.append(kind)
    return kinds


@transaction.atomic
def document_upload(*, actor: User, application: Application, kind: str, upload) -> Document:
    application = _locked(application)
    _ensure_editable(actor, application)
    if kind not in STUDENT_DOCUMENTS:
        raise ServiceError(_("Unknown kind of document."))
    return document_store(application=application, kind=kind, upload=upload, actor=actor)


@transaction.atomic
def document_delete(*, actor: User, document: Document) -> None:
    """The student removes a document they uploaded (a wrong file, one their destinations no
    longer ask for) while they may change the application; its file is removed once the
    transaction commits. The office's documents (a host's letter) are not theirs to remove."""
    application = _locked(document.application)
    _ensure_editable(actor, application)
    document = Document.objects.filter(pk=document.pk, application=application).first()
    if document is None:  # removed by a first click
        return
    if document.kind not in STUDENT_DOCUMENTS or document.uploaded_by_id != actor.pk:
        raise ServiceError(_("Only the documents you uploaded can be removed."))
    stored = document.file
    document.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


@transaction.atomic
def document_reuse(*, actor: User, application: Application, document_id: int) -> Document:
    """The student uses again, in this application, a document they uploaded to another of
    theirs: the stored file is copied under a new name, never shared, since each
    application's files are deleted with it (a replacement, a removal, an erasure). The copy
    is checked and recorded as an upload of the student's, now: their quota counts it.

    A document written for one host (a learning agreement draft) is taken only by an
    application that chooses that host (selectors.written_for_hosts). A second click finds
    the copy of the first and returns it."""
    application = _locked(application)
    _ensure_editable(actor, application)
    # Only the student's own: another student's id reads as one that no longer exists.
    source = (
        with_host_written_for(
            Document.objects.filter(pk=document_id, application__student_id=actor.pk)
        )
        .exclude(application_id=application.pk)
        .first()
    )
    if source is None:
        raise ServiceError(_("This document is no longer available: upload the file instead."))
    if source.kind not in REUSABLE_KINDS or source.uploaded_by_id != actor.pk:
        raise ServiceError(_("Only the documents you uploaded to apply can be used again."))
    if source.kind in HOST_BOUND_KINDS and not written_for_hosts(
        source, chosen_hosts(with_choices(application))
    ):
        raise ServiceError(
            _(
                "This document was written for a host this application does not choose: "
                "upload one written for its destinations."
            )
        )
    present = _reused_already(application, source)
    if present is not None:
        return present
    try:
        with source.file.open("rb") as stored:
            content = ContentFile(stored.read(), name=source.original_name)
    except OSError:
        raise ServiceError(
            _("The file of this document cannot be found: upload it instead.")
        ) from None
    try:
        return document_store(
            application=application, kind=source.kind, upload=content, actor=actor, replace=False
        )
    except ValidationError as invalid:
        raise ServiceError(*invalid.messages) from None
    except DocumentKindTaken:
        # A copy made meanwhile by a click the application's lock did not hold back (SQLite
        # locks no row): the second click finds it, as it would have before copying.
        present = _reused_already(application, source)
        if present is None:
            raise
        return present


@dataclass(frozen=True)
class ReuseRefused:
    """A document `document_reuse_all` could not bring: its kind and the reasons why."""

    kind: str
    reasons: list[str]


@dataclass(frozen=True)
class ReuseOutcome:
    reused: list[Document]
    refused: list[ReuseRefused]


@transaction.atomic
def document_reuse_all(*, actor: User, application: Application) -> ReuseOutcome:
    """Every document the documents step offers at once: for each required kind still
    missing, the latest document the student uploaded to another of their applications
    (selectors.reusable_documents), each copied through `document_reuse` in this one
    transaction. One it refuses (its file gone, the quota reached) is rolled back alone and
    said why; the others are kept. Nothing left to bring is a refusal."""
    application = _locked(application)
    _ensure_editable(actor, application)
    with_choices(application)
    missing = missing_kinds(application, required_documents(application))
    offers = reusable_documents(application, missing)
    if not offers:
        raise ServiceError(_("No document of your other applications is left to use here."))
    reused: list[Document] = []
    refused: list[ReuseRefused] = []
    try:
        for kind in missing:
            if kind not in offers:
                continue
            try:  # document_reuse's own atomic block: a refusal rolls back that copy alone
                document = document_reuse(
                    actor=actor, application=application, document_id=offers[kind].pk
                )
            except ServiceError as error:
                refused.append(ReuseRefused(kind=kind, reasons=error.reasons))
            else:
                reused.append(document)
    except BaseException:
        # Any other failure (the storage full) rolls back every copy's row: their files, written
        # already, go too rather than stay in the storage with no row naming them. Each was
        # written here: the kinds were missing under the application's lock.
        for document in reused:
            document.file.storage.delete(document.file.name)
        raise
    return ReuseOutcome(reused=reused, refused=refused)


def _reused_already(application: Application, source: Document) -> Document | None:
    """The application's document of `source`'s kind when it is the copy of `source` (a
    second click); a refusal when it is another file, which the student removes first."""
    present = Document.objects.filter(application=application, kind=source.kind).first()
    if present is None:
        return None
    if (present.original_name, present.size, present.uploaded_by_id) == (
        source.original_name,
        source.size,
        source.uploaded_by_id,
    ):
        return present
    raise _kind_taken(present.kind)


def _kind_taken(kind: str) -> DocumentKindTaken:
    return DocumentKindTaken(
        _("This application already has a document of this kind (%(kind)s): remove it first.")
        % {"kind": DocumentKind(kind).label}
    )


def check_upload_quota(*, actor: User, application: Application, extra_bytes: int) -> None:
    """The quota limits what the student uploads, over all their applications. The office's
    uploads (a host's letter) neither are refused by it nor count in it: the student cannot
    remove them, and could no longer upload what their dossier still needs (the transcript
    on return) once an office's large scan filled their quota."""
    student_id = application.student_id
    if actor.pk != student_id:
        return
    documents = Document.objects.filter(
        application__student_id=student_id, uploaded_by_id=student_id
    )
    used = documents.aggregate(total=Sum("size"))["total"] or 0
    quota = settings.UPLOAD_QUOTA_BYTES
    if used + extra_bytes > quota:
        sizes = {"quota": filesizeformat(quota), "used": filesizeformat(used)}
        raise ServiceError(
            _("This file would take you past your upload quota of %(quota)s (%(used)s used).")
            % sizes
        )


def document_store(
    *, application: Application, kind: str, upload, actor: User, replace: bool = True
) -> Document:
    """Keep a checked PDF as the application's document of this kind, replacing any earlier
    one (its file is removed once the transaction commits), or beside it for the kinds kept
    side by side (host letters). With `replace=False` an earlier one stays: the constraint of
    one document per kind refuses the new row, whose file is removed at once, and
    DocumentKindTaken says so. Callers check permissions."""
    validate_pdf(upload)
    previous = (
        None
        if not replace or kind in KINDS_KEPT_SIDE_BY_SIDE
        else Document.objects.filter(application=application, kind=kind).first()
    )
    check_upload_quota(
        actor=actor,
        application=application,
        extra_bytes=upload.size - (previous.size if previous else 0),
    )
    document = Document(
        application=application,
        kind=kind,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=actor,
    )
    document.file.save(upload.name, upload, save=False)
    if previous is not None:
        old_file = previous.file
        previous.delete()
        transaction.on_commit(lambda: old_file.storage.delete(old_file.name))
    if replace:
        document.save()
        return document
    try:
        with transaction.atomic():  # the refused row only is rolled back
            document.save()
    except IntegrityError:
        document.file.storage.delete(document.file.name)
        raise _kind_taken(kind) from None
    return document


@dataclass(frozen=True)
class Readiness:
    """What stands between an application and its submission (`problems`, in plain words),
    and the plan-level goal still to reach that does not block it (`still_to_complete`)."""

    problems: list[str]
    still_to_complete: list[Finding]
    # Some of the problems are the plan's errors, fixed in the plan rather than here.
    plan_has_errors: bool = False


def submission_readiness(
    application: Application, today: date, check: PlanCheck | None = None
) -> Readiness:
    """`check` is the student's current plan check when the caller already ran it. The call's
    dates bind a first submission only: an application the office sent back for changes (most
    often while it reviews, after the call has closed) can be submitted again at any time."""
    problems: list[str] = []
    call = application.call
    if application.state == ApplicationState.DRAFT and not call.is_open_on(today):
        dates = {"opens": long_date(call.opens_on), "closes": long_date(call.closes_on)}
        if today > call.closes_on:
            problems.append(_("The call closed on %(closes)s.") % dates)
        else:  # the office moved its opening later, after this draft was started
            problems.append(_("This call opens on %(opens)s and closes on %(closes)s.") % dates)
    choices = list(application.choices.all())
    if not choices:
        problems.append(_("Choose at least one destination."))
    if len(choices) > call.max_choices:  # the office lowered it since the choices were saved
        problems.append(
            ngettext(
                "This call now takes at most %(count)d choice: remove the extra ones before "
                "submitting.",
                "This call now takes at most %(count)d choices: remove the extra ones before "
                "submitting.",
                call.max_choices,
            )
            % {"count": call.max_choices}
        )
    for choice in choices:  # its dates, or its kind while a draft, may have moved since
        problems.extend(_other_year_problems(choice.rank, choice.activity, application.call))
        problems.extend(kind_problems(choice.rank, choice.activity, choice.agreement))
    if not application.motivation.strip():
        problems.append(_("Write your motivation."))
    if check is None:
        plan = plan_for_student(application.student)
        check = plan_result(plan, plan.activities.select_related("partner"))
    if not check.valid:
        problems.extend(check.problems)
    # Any activity's error, not only the chosen ones': "no submission while the plan has an
    # error". The plan's overall goals (time abroad still to plan) do not block it.
    plan_errors = _activity_errors(application, choices, check)
    problems.extend(plan_errors)
    present = {document.kind for document in application.documents.all()}
    for kind in required_documents(application):
        if kind not in present:
            problems.append(_("Missing document: %(kind)s.") % {"kind": DocumentKind(kind).label})
    return Readiness(
        problems=problems,
        still_to_complete=check.plan_findings,
        plan_has_errors=not check.valid or bool(plan_errors),
    )


def _activity_errors(
    application: Application, choices: list[Choice], check: PlanCheck
) -> list[str]:
    """Each activity error, named by the stay it is about (the student may not think of a
    stay they did not choose); the plan's activities are read only when one is needed."""
    errors = check.activity_errors
    if not errors:
        return []
    stays = {choice.activity.engine_id: choice.activity for choice in choices}
    if any(finding.activity not in stays for finding in errors):
        plan = plan_for_student(application.student)
        stays.update((activity.engine_id, activity) for activity in plan.activities.all())
    return [
        _("%(stay)s: %(problem)s") % {"stay": stays[finding.activity], "problem": finding.message}
        if finding.activity in stays
        else finding.message
        for finding in errors
    ]


# What a student may write, submitting again, about the changes the office asked for.
RESUBMISSION_MESSAGE_MAX_LENGTH = 2000


@transaction.atomic
def application_submit(
    *, actor: User, application: Application, today: date | None = None, message: str = ""
) -> Application:
    """Submit the application, frozen as it stands; `message` is what the student says they
    changed when they submit it again after the office asked for changes: the comment of the
    audit row, quoted to the office."""
    application = _locked(application)
    _ensure_editable(actor, application)
    if message and application.state != ApplicationState.CHANGES_REQUESTED:
        raise ServiceError(
            _(
                "Only an application sent back for changes can be submitted with a message "
                "about what changed."
            )
        )
    lock_plan(student_id=application.student_id)  # no activity is removed while it is read
    problems = submission_readiness(application, today or timezone.localdate()).problems
    if problems:
        raise ServiceError(*problems)
    application.snapshot = plan_snapshot(application.student.mobility_plan)
    application.snapshot_has_errors = snapshot_has_errors(application.snapshot)
    application.submitted_at = timezone.now()
    move(
        application,
        actor=actor,
        to_state=ApplicationState.SUBMITTED,
        comment=message,
        update_fields=("snapshot", "snapshot_has_errors", "submitted_at"),
    )
    _keep_own_hosts(application)
    course_plans_before_the_advisor(chosen_study_activities(application))
    return application


def course_plans_before_the_advisor(activities: Iterable[Activity]) -> None:
    """Each stay's course plan before its advisor, who is told, as a submission puts them: a
    draft with lines is sent; a version saved while no application wanted the stay (after a
    withdrawal, a refusal) reaches the advisor's queue now, and is announced now (a version
    announced already is not announced twice: its notice, settled when the stay stopped being
    wanted, asks again)."""
    for activity in activities:
        course_plan = course_plan_for(activity)
        if course_plan.status == CoursePlanStatus.PENDING:
            announce_course_plan_sent(course_plan, again=True)
        else:
            course_plan_send(course_plan)  # announces what it sends


def _keep_own_hosts(application: Application) -> None:
    """Each choice outside partnerships keeps the host and country its activity names now, as
    submitted: a nomination to another choice of the activity may move the activity later.
    An activity a nomination (of another application) moved to a partner names no host of its
    own: a choice submitted before keeps the one it has."""
    choices = list(
        application.choices.filter(
            agreement__isnull=True, activity__partner__isnull=True
        ).select_related("activity")
    )
    for choice in choices:
        choice.host_name, choice.host_country = choice.activity.host_name, choice.activity.country
    Choice.objects.bulk_update(choices, ["host_name", "host_country"])


def snapshot_has_errors(snapshot: dict) -> bool:
    result = snapshot["results"]["en"] or {}
    return any(finding["severity"] == "error" for finding in result.get("findings", []))


def chosen_study_activities(application: Application) -> list[Activity]:
    activities: dict[int, Activity] = {}
    for choice in application.choices.select_related("activity"):
        if choice.activity.is_study:
            activities.setdefault(choice.activity_id, choice.activity)
    return list(activities.values())


def plan_snapshot(plan: MobilityPlan) -> dict:
    """The plan and its findings as they stand, in both languages, frozen for the reviewers."""
    activities = list(plan.activities.select_related("partner"))
    document = plan_document(plan, plan.student.student_profile, activities)
    results = {}
    for lang in SNAPSHOT_LANGUAGES:
        with override(lang):
            check = plan_result(plan, activities, lang)
        results[lang] = check.result.to_dict() if check.result else None
    hosts = {activity.engine_id: activity.host_display for activity in activities}
    return {"plan": document, "hosts": hosts, "results": results}


@transaction.atomic
def application_withdraw(
    *, actor: User, application: Application, comment: str = "", seen_state: str = ""
) -> None:
    """`seen_state` is the state the confirmation page showed (empty: no check): a decision
    taken since (a nomination, whose seat withdrawing gives up) is read before withdrawing."""
    application = _locked(application)
    if application.student_id != actor.pk:
        raise ServiceError(_("Only the student can withdraw their own application."))
    if application.state not in WITHDRAWABLE_STATES:
        raise ServiceError(
            _("This application is %(state)s: it can no longer be withdrawn.")
            % {"state": application.get_state_display().lower()}
        )
    if seen_state and seen_state != application.state:
        raise ServiceError(
            _(
                "Your application is now %(state)s: read what withdrawing it means now, then "
                "confirm again."
            )
            % {"state": application.get_state_display().lower()}
        )
    move(application, actor=actor, to_state=ApplicationState.WITHDRAWN, comment=comment)
    course_plans_left_out([application])


def course_plans_left_out(applications: Iterable[Application]) -> None:
    """After these applications moved (in the caller's transaction), the course plans awaiting
    a decision of the stays they chose that no live application wants any more (withdrawn,
    refused, refused by the host, or nominated to another stay) left their advisor's queue: the
    advisor's notices of them ask nothing more (one query, then `outbox.settle`'s UPDATEs, none
    when nothing was left out). One rule for every such move: the nomination, the withdrawals,
    the refusals, an undone nomination back to the host's refusal. They ask again when the
    stay comes back (`course_plans_before_the_advisor`)."""
    announce_course_plans_no_longer_wanted(course_plans_no_longer_wanted(applications))


# --- course plans ------------------------------------------------------------------------


def course_plan_for(activity: Activity) -> CoursePlan:
    """The latest version of the activity's course plan, created empty when there is none."""
    _lock_course_plan_versions(activity)
    course_plan = activity.course_plans.order_by("-version").first()
    if course_plan is None:
        course_plan = _new_version(activity, version=1)
    return course_plan


def _new_version(activity: Activity, **fields) -> CoursePlan:
    course_plan = CoursePlan.written_for(activity, **fields)
    course_plan.save()
    return course_plan


def course_plan_follow_host(activity: Activity) -> None:
    """After the activity moved to another host (a nomination to another of its choices, or
    the student's edit of a draft stay), its course plan lists that host's courses: those of
    the host it leaves stay in the history and do not follow. The latest version becomes the
    last one written for this host when the stay comes back to it (with the advisor's
    decisions on it, and before the advisor again if it awaits them), else an empty draft. The
    caller holds the plan's lock, which every change of a course plan takes first."""
    course_plans_follow_hosts([activity])


def course_plans_follow_hosts(activities: Sequence[Activity]) -> None:
    """`course_plan_follow_host` for one activity or many (a seat allocation's nominations):
    their versions read in one query, the empty drafts relabelled in one statement and the new
    versions inserted in another; a version that comes back to its host is restored one by
    one."""
    study = [activity for activity in activities if activity.is_study]
    versions: dict[int, list[CoursePlan]] = {}
    for version in (
        CoursePlan.objects.filter(activity__in=study)
        .select_related("partner")
        .annotate(has_lines=Exists(CourseLine.objects.filter(course_plan=OuterRef("pk"))))
        .order_by("activity_id", "-version")
    ):
        versions.setdefault(version.activity_id, []).append(version)
    relabelled, created, replaced, following = [], [], [], []
    for activity in study:
        mine = versions.get(activity.pk)
        if not mine or mine[0].is_for_host_of(activity):
            continue
        latest = mine[0]
        earlier = _earlier_version_for_host(activity, mine)
        if latest.status == CoursePlanStatus.DRAFT and not latest.has_lines:
            again = _relabelled(latest, activity)
            relabelled.append(again)
        else:
            again = CoursePlan.written_for(activity, version=latest.version + 1)
            created.append(again)
            replaced.append(latest)
        following.append((activity, again, earlier))
    update_each(relabelled, ["partner", "host_name"])
    CoursePlan.objects.bulk_create(created, batch_size=rows_per_insert(CoursePlan))
    # The host left: its version asks the advisor (or the student) nothing more.
    announce_course_plans_replaced(
        latest for latest in replaced if latest.status != CoursePlanStatus.DRAFT
    )
    for activity, again, earlier in following:
        _bring_back(activity, again, earlier)


def _earlier_version_for_host(activity: Activity, versions: list[CoursePlan]) -> CoursePlan | None:
    """The latest of `versions` (latest first) written for the host the activity names now."""
    return next((version for version in versions if version.is_for_host_of(activity)), None)


def _relabelled(latest: CoursePlan, activity: Activity) -> CoursePlan:
    """An empty draft of the host left holds nothing: its number serves the host come to."""
    latest.partner_id, latest.host_name = activity.partner_id, activity.host_name
    return latest


def _bring_back(activity: Activity, again: CoursePlan, earlier: CoursePlan | None) -> None:
    """`again` (empty, for the activity's host now) takes what `earlier` held for this host,
    and goes before the advisor again if it awaits them."""
    if earlier is None:
        return
    _restore(again, earlier)
    if stay_still_wanted(activity):
        if again.status == CoursePlanStatus.PENDING:
            announce_course_plan_sent(again)
        else:
            course_plan_send(again)  # a draft with courses, as a submission sends it


def _restore(course_plan: CoursePlan, earlier: CoursePlan) -> None:
    """`course_plan` (empty) becomes a copy of `earlier`: its courses, the advisor's decisions
    and its status."""
    course_plan.status, course_plan.decided_at = earlier.status, earlier.decided_at
    course_plan.sent_at = timezone.now() if earlier.sent_at else None
    course_plan.save(update_fields=["status", "decided_at", "sent_at"])
    CourseLine.objects.bulk_create(
        CourseLine(course_plan=course_plan, **{name: getattr(line, name) for name in LINE_CARRIED})
        for line in earlier.lines.all()
    )


def _lock_course_plan_versions(activity: Activity) -> None:
    """Lock the activity's row (after its plan's: the one order of row locks), so that of two
    saves of its course plan at once (a double click, two tabs) the second waits and then sees
    the versions the first made: locking the versions alone cannot hold back a version that
    does not exist yet, and both would make it. `activity` takes the host the row names: a
    nomination may have moved the stay while the caller waited for the lock."""
    lock_plan(activity.plan_id)
    stored = Activity.objects.select_for_update().only("pk", "partner", "host_name")
    stored = stored.get(pk=activity.pk)
    activity.partner_id, activity.host_name = stored.partner_id, stored.host_name


def _ensure_same_host(activity: Activity, host_seen: str | None) -> None:
    """Courses listed on a page of the host the stay has left are not this host's courses."""
    if host_seen is not None and host_seen != activity.host_token:
        raise ServiceError(
            _(
                "Your stay has moved to %(host)s since you opened this page: your courses were "
                "not saved. List the courses you will follow there."
            )
            % {"host": activity.host_display}
        )


LINE_CONTENT = ("code", "title", "ects", "semester", "home_requirement")
# The advisor's decision on a line.
LINE_DECISION = ("decision", "decision_comment", "decided_by_id", "decided_at")
# What a line brings back when its stay returns to a host it had a course plan for.
LINE_CARRIED = (*LINE_CONTENT, *LINE_DECISION, "ects_obtained")


def line_key(line: CourseLine | dict) -> tuple:
    """What identifies a line's content across versions (6 and 6.0 ECTS are the same)."""
    get = line.get if isinstance(line, dict) else lambda name: getattr(line, name)
    return tuple(
        str(Decimal(get(name)).normalize()) if name == "ects" else str(get(name)).strip().lower()
        for name in LINE_CONTENT
    )


def course_plan_send(course_plan: CoursePlan) -> CoursePlan:
    """Put a draft with lines before the advisor; anything else stays as it is."""
    if course_plan.status == CoursePlanStatus.DRAFT and course_plan.lines.exists():
        course_plan.status = CoursePlanStatus.PENDING
        course_plan.sent_at = timezone.now()
        course_plan.save(update_fields=["status", "sent_at"])
        announce_course_plan_sent(course_plan)
    return course_plan


def course_plan_status_for(decisions: Iterable[str]) -> str:
    """Approved when every line is, lines rejected when every line is decided and one is
    rejected, else still awaiting the advisor."""
    found = set(decisions)
    if not found or LineDecision.PENDING in found:
        return CoursePlanStatus.PENDING
    if LineDecision.REJECTED in found:
        return CoursePlanStatus.CHANGES_REQUESTED
    return CoursePlanStatus.APPROVED


def course_plan_settle_status(course_plan: CoursePlan) -> CoursePlan:
    """Bring a sent (locked) version's status in line with its lines' decisions, and tell the
    student once every line is decided."""
    if course_plan.status == CoursePlanStatus.DRAFT:
        return course_plan
    status = course_plan_status_for(course_plan.lines.values_list("decision", flat=True))
    if status != course_plan.status:
        course_plan.status = status
        course_plan.decided_at = None if status == CoursePlanStatus.PENDING else timezone.now()
        course_plan.save(update_fields=["status", "decided_at"])
        if status == CoursePlanStatus.APPROVED:
            _carry_credits_obtained(course_plan)
        if status != CoursePlanStatus.PENDING:
            announce_course_plan_decided(course_plan)
    return course_plan


def _carry_credits_obtained(course_plan: CoursePlan) -> None:
    """Credits are entered on the latest approved version. Those entered on the previous one
    follow the lines this version kept unchanged (from a version of the same host: another
    host's courses are other courses), as they stand now: what this version copied when it
    was sent is older than what the student entered, corrected or cleared there while it
    awaited the advisor."""
    previous = (
        CoursePlan.objects.filter(
            activity_id=course_plan.activity_id,
            version__lt=course_plan.version,
            status=CoursePlanStatus.APPROVED,
            partner_id=course_plan.partner_id,
            host_name=course_plan.host_name,
        )
        .order_by("-version")
        .first()
    )
    if previous is None:
        return
    obtained = {line_key(line): line.ects_obtained for line in previous.lines.all()}
    carried = []
    for line in course_plan.lines.all():
        key = line_key(line)
        if key in obtained and line.ects_obtained != obtained[key]:
            line.ects_obtained = obtained[key]
            carried.append(line)
    CourseLine.objects.bulk_update(carried, ["ects_obtained"])


def _drops_an_approved_course_and_asks_nothing(saved: list[CourseLine], lines: list[dict]) -> bool:
    """Whether `lines` leave out a course the advisor approved and every line they keep was
    decided: carried as they are, the approvals would settle the version as approved at once,
    signed in the advisor's name, without the advisor ever seeing what it drops."""
    kept = Counter(line_key(line) for line in lines)
    decided = {line_key(line) for line in saved if line.decision != LineDecision.PENDING}
    dropped = Counter(line_key(line) for line in saved) - kept
    return (
        any(line.decision == LineDecision.APPROVED and dropped[line_key(line)] for line in saved)
        and set(kept) <= decided
    )


def course_plan_unchanged(saved: Iterable[CourseLine], lines: list[dict]) -> bool:
    """Whether `lines` are the saved lines as they are, in the same order."""
    return [line_key(line) for line in saved] == [line_key(line) for line in lines]


@transaction.atomic
def course_plan_ask_again(
    *, actor: User, activity: Activity, host_seen: str | None = None
) -> CoursePlan:
    """The courses the advisor rejected, put to them again as they are (the student sent the
    syllabus they asked for, or explained): a new version, the approved courses kept approved
    and the rejected ones awaiting a decision. Editing a rejected course made it pending too,
    but keeping it as it was carried the rejection, so it could never be reconsidered."""
    _ensure_owner(actor, activity.plan)
    _lock_course_plan_versions(activity)
    _ensure_same_host(activity, host_seen)
    current = activity.course_plans.order_by("-version").first()
    if current is None or current.status != CoursePlanStatus.CHANGES_REQUESTED:
        raise ServiceError(
            _("Only a course plan with courses your advisor rejected can be put to them again.")
        )
    lines = [
        {
            **{name: getattr(line, name) for name in LINE_CONTENT},
            "ects_obtained": line.ects_obtained,
            **(_decision_of(line) if line.decision == LineDecision.APPROVED else {}),
        }
        for line in current.lines.all()
    ]
    return _send_next_version(activity, current, lines)


def _send_next_version(activity: Activity, current: CoursePlan, lines: list[dict]) -> CoursePlan:
    """The version after `current`, sent with `lines` (each with what it carries from before)
    and settled; announced while it awaits the advisor, for a stay an application still wants
    (their queue lists no other: it comes back there, and to them, once one names it again)."""
    new_version = _new_version(
        activity,
        version=current.version + 1,
        status=CoursePlanStatus.PENDING,
        sent_at=timezone.now(),
    )
    CourseLine.objects.bulk_create(CourseLine(course_plan=new_version, **line) for line in lines)
    announce_course_plan_replaced(current)
    course_plan_settle_status(new_version)
    if new_version.status == CoursePlanStatus.PENDING and stay_still_wanted(activity):
        announce_course_plan_sent(new_version)
    return new_version


def _decision_of(line: CourseLine) -> dict[str, object]:
    return {name: getattr(line, name) for name in LINE_DECISION}


@transaction.atomic
def course_plan_replace_lines(
    *, actor: User, activity: Activity, lines: list[dict], host_seen: str | None = None
) -> CoursePlan:
    """A draft is edited in place; a version already sent to the advisor is never changed:
    the new lines become the next version, sent at once, keeping the advisor's decisions and
    the credits obtained on lines that did not change (but a version that only drops courses
    the advisor approved goes back to them: its courses are to approve again, so that nobody
    signs in the advisor's name a plan they never saw). Saving the lines as they are changes
    nothing, and once the advisor has confirmed the recognition of the credits the course plan
    is closed. `host_seen` is the host (`Activity.host_token`) the student's page showed:
    the courses listed there are not saved for another one (None: no check)."""
    _ensure_owner(actor, activity.plan)
    if not activity.is_study:
        raise ServiceError(_("Only study stays have a course plan."))
    _lock_course_plan_versions(activity)
    _ensure_same_host(activity, host_seen)
    # Every version is locked: the recognition may be confirmed on one older than the latest.
    versions = list(
        CoursePlan.objects.select_for_update().filter(activity=activity).order_by("-version")
    ) or [_new_version(activity, version=1)]
    if any(version.recognition_confirmed_at is not None for version in versions):
        raise ServiceError(
            _(
                "Your advisor has confirmed the recognition of your credits: the course plan "
                "can no longer be changed."
            )
        )
    current = versions[0]
    current_lines = list(current.lines.all())
    if course_plan_unchanged(current_lines, lines):
        return current
    if not lines and current.status != CoursePlanStatus.DRAFT:
        # The advisor would get a version with nothing to approve, which never settles.
        raise ServiceError(
            _(
                "Your advisor has this course plan: a new version needs at least one course. "
                "To leave this stay, change your plan or withdraw the application."
            )
        )
    if current.status == CoursePlanStatus.DRAFT:
        current.lines.all().delete()
        CourseLine.objects.bulk_create(CourseLine(course_plan=current, **line) for line in lines)
        if stay_still_wanted(activity):
            # Submitted before it had lines: the advisor gets it as soon as it has some.
            course_plan_send(current)
        return current
    previous_lines = {line_key(line): line for line in current_lines}
    reopened = _drops_an_approved_course_and_asks_nothing(current_lines, lines)
    new_lines = []
    for line in lines:
        previous = previous_lines.get(line_key(line))
        carried = {}
        if previous is not None:
            carried["ects_obtained"] = previous.ects_obtained
            if previous.decision == LineDecision.REJECTED or (
                previous.decision == LineDecision.APPROVED and not reopened
            ):
                carried |= _decision_of(previous)
        new_lines.append({**line, **carried})
    return _send_next_version(activity, current, new_lines)
