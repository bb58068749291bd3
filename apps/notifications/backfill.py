"""The notifications written before `awaits` existed (`manage.py settle_earlier_notifications`,
once after the upgrade; running it again changes nothing): each that asks its recipient to act
gets the token its event would have given it (apps/notifications/events.py), so that the event
that does it settles it from now on; one whose action is done already is settled now (no
longer new, shown done). A stay's validation is left to the next decision of its body: whether
it came after the request is not worth reading here. A command, not a data migration: it reads
the applications' tables, and a migration depending on their latest state would hold the
applications app's migrations from ever being taken back (tests/migrations.py does).

Later upgrades settle more, and the command catches up with them too: a plan that meets the
rules again settles the notice that it no longer did (`fill_awaits`); an advisor's digest lists
the course plans it awaits (`fill_digest_items`), done with the last of them; a course plan
left out of the advisor's queue by a nomination, or replaced when the nomination moved its
stay, settles the advisor's notice of it (`settle_reviews_done`)."""

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from mobility_portal.bulk import MAX_PARAMETERS

from .events import (
    awaits_advisor,
    awaits_erasure,
    awaits_leaving,
    awaits_next_version,
    awaits_passing_plan,
    awaits_recognition,
    awaits_return_recorded,
    awaits_review,
    awaits_submission,
    awaits_validation,
)

CHUNK = 2000
ASKING = (
    "application_submitted",
    "application_resubmitted",
    "application_decision",
    "return_recorded",
    "course_plan_to_review",
    "course_plan_decided",
    "course_plan_without_advisor",
    "credits_to_recognise",
    "validation_requested",
    "erasure_requested",
    "call_closing",
    "plan_now_failing",
)
APPLICATION_EVENTS = (
    "application_submitted",
    "application_resubmitted",
    "application_decision",
    "return_recorded",
)
BODY_OF_ROLE = {"dfi": "DFI", "dri": "DRI"}


def fill_awaits() -> tuple[int, int]:
    """Returns how many rows got a token, and how many of them were settled."""
    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.filter(event__in=ASKING, awaits="").select_related("recipient")
    given, settled = 0, 0
    for chunk in _chunks(rows):
        with transaction.atomic():
            _fill(chunk)
            Notification.objects.bulk_update(chunk, ["awaits", "settled_at", "read_at"])
        given += sum(1 for row in chunk if row.awaits)
        settled += sum(1 for row in chunk if row.settled_at is not None)
    return given, settled


def _chunks(rows):
    """`rows` by CHUNK, in the order of their keys, each read after the last written."""
    last = 0
    while chunk := list(rows.filter(pk__gt=last).order_by("pk")[:CHUNK]):
        yield chunk
        last = chunk[-1].pk


def _ids(chunk, name):
    return {row.context[name] for row in chunk if isinstance(row.context.get(name), int)}


def _fill(chunk):
    Application = apps.get_model("applications", "Application")
    Transition = apps.get_model("applications", "Transition")
    CoursePlan = apps.get_model("applications", "CoursePlan")
    ErasureRequest = apps.get_model("applications", "ErasureRequest")
    StudentProfile = apps.get_model("accounts", "StudentProfile")

    applications = dict(
        Application.objects.filter(pk__in=_ids(chunk, "application")).values_list("pk", "state")
    )
    changes_requested = set(
        Transition.objects.filter(
            pk__in=_ids(chunk, "transition"), to_state="changes_requested"
        ).values_list("pk", flat=True)
    )
    course_plans = {
        plan["pk"]: plan
        for plan in CoursePlan.objects.filter(pk__in=_ids(chunk, "course_plan")).values(
            "pk",
            "activity_id",
            "version",
            "status",
            "recognition_confirmed_at",
            "activity__plan__student_id",
        )
    }
    latest = dict(
        CoursePlan.objects.filter(
            activity_id__in={plan["activity_id"] for plan in course_plans.values()}
        )
        .values("activity_id")
        .annotate(latest=Max("version"))
        .values_list("activity_id", "latest")
    )
    erasures = dict(
        ErasureRequest.objects.filter(pk__in=_ids(chunk, "erasure_request")).values_list(
            "pk", "state"
        )
    )
    students = {plan["activity__plan__student_id"] for plan in course_plans.values()}
    with_advisor = set(
        StudentProfile.objects.filter(
            user_id__in=students, advisor__isnull=False, advisor__is_active=True
        ).values_list("user_id", flat=True)
    )
    MobilityPlan = apps.get_model("applications", "MobilityPlan")
    passing = set(
        MobilityPlan.objects.filter(
            student_id__in={row.recipient_id for row in chunk if row.event == "plan_now_failing"},
            compliant=True,
        ).values_list("student_id", flat=True)
    )
    calls = _ids(chunk, "call")
    drafts = set(
        Application.objects.filter(call_id__in=calls, state="draft").values_list(
            "call_id", "student_id"
        )
    )
    now = timezone.now()
    for row in chunk:
        token, done = _token(
            row,
            applications=applications,
            changes_requested=changes_requested,
            course_plans=course_plans,
            latest=latest,
            erasures=erasures,
            with_advisor=with_advisor,
            drafts=drafts,
            passing=passing,
        )
        row.awaits = token
        if token and done:
            row.settled_at = now
            row.read_at = row.read_at or now


def _token(row, *, applications, changes_requested, course_plans, latest, **found):
    """(token, done already) of one row; ("", False) when it asks nothing, or no longer names
    what it asked about."""
    context, event = row.context, row.event
    application = context.get("application")
    if event in APPLICATION_EVENTS and application is None:
        return "", False
    if event in ("application_submitted", "application_resubmitted"):
        state = applications.get(application)
        return awaits_leaving(application, "submitted"), state != "submitted"
    if event == "application_decision":
        if context.get("transition") not in changes_requested:
            return "", False
        state = applications.get(application)
        return (
            awaits_leaving(application, "changes_requested"),
            state != "changes_requested",
        )
    if event == "return_recorded":
        state = applications.get(application)
        return awaits_return_recorded(application), state != "returned"
    if event == "call_closing":
        call, student = context.get("call"), row.recipient_id
        if call is None or student is None:
            return "", False
        return awaits_submission(call, student), (call, student) not in found["drafts"]
    if event == "plan_now_failing":
        student = row.recipient_id
        if student is None:
            return "", False
        return awaits_passing_plan(student), student in found["passing"]
    if event == "erasure_requested":
        request = context.get("erasure_request")
        return awaits_erasure(request), found["erasures"].get(request) != "pending"
    if event == "validation_requested":
        body = BODY_OF_ROLE.get(getattr(row.recipient, "role", None))
        if body is None or context.get("activity") is None:
            return "", False
        return awaits_validation(context["activity"], body), False
    plan = course_plans.get(context.get("course_plan"))
    if plan is None:
        return "", False
    replaced = latest.get(plan["activity_id"], plan["version"]) > plan["version"]
    if event == "course_plan_to_review":
        return awaits_review(plan["pk"]), plan["status"] != "pending" or replaced
    if event == "course_plan_decided":
        if plan["status"] != "changes_requested":
            return "", False
        return awaits_next_version(plan["pk"]), replaced
    if event == "course_plan_without_advisor":
        student = plan["activity__plan__student_id"]
        return awaits_advisor(student), student in found["with_advisor"]
    if event == "credits_to_recognise":
        confirmed = plan["recognition_confirmed_at"] is not None
        return awaits_recognition(plan["pk"]), confirmed
    return "", False


def _in_chunks(values: set[int]):
    ordered = sorted(values)
    for start in range(0, len(ordered), MAX_PARAMETERS):
        yield ordered[start : start + MAX_PARAMETERS]


def fill_digest_items() -> tuple[int, int]:
    """The advisors' digests written before they listed what they await: each gets an item
    per course plan it listed, done already when the plan no longer awaits a decision
    (decided, replaced, out of the advisor's queue, deleted), and is settled when all are.
    Returns how many digests got their items, and how many of them were settled."""
    from apps.reviews.selectors_advisor import course_plans_awaiting_advisors

    Notification = apps.get_model("notifications", "Notification")
    AwaitedItem = apps.get_model("notifications", "AwaitedItem")
    rows = Notification.objects.filter(event="course_plans_waiting").exclude(
        Exists(AwaitedItem.objects.filter(notification=OuterRef("pk")))
    )
    given, settled = 0, 0
    for chunk in _chunks(rows):
        listed = {
            row.pk: [
                entry["course_plan"]
                for entry in row.context.get("waiting_plans", [])
                if isinstance(entry, dict) and isinstance(entry.get("course_plan"), int)
            ]
            for row in chunk
        }
        awaiting = {
            pk
            for pks in _in_chunks({pk for pks in listed.values() for pk in pks})
            for pk in course_plans_awaiting_advisors()
            .filter(pk__in=pks)
            .values_list("pk", flat=True)
        }
        now = timezone.now()
        items, done = [], []
        for row in chunk:
            if not listed[row.pk]:
                continue
            items += [
                AwaitedItem(
                    notification_id=row.pk,
                    token=awaits_review(pk),
                    settled_at=None if pk in awaiting else now,
                )
                for pk in dict.fromkeys(listed[row.pk])
            ]
            given += 1
            if row.settled_at is None and not awaiting.intersection(listed[row.pk]):
                row.settled_at = now
                row.read_at = row.read_at or now
                done.append(row)
        with transaction.atomic():
            AwaitedItem.objects.bulk_create(items, ignore_conflicts=True, batch_size=500)
            Notification.objects.bulk_update(done, ["settled_at", "read_at"])
        settled += len(done)
    return given, settled


def settle_reviews_done() -> int:
    """The advisors' notices of a course plan that still ask though the plan asks them nothing
    more: decided, replaced by a later version (the student's, or one a nomination started
    for the host it moved the stay to), or left out of their queue by a nomination of its
    application to another stay, or by its withdrawal, refusal or the host's refusal.
    Settled as `outbox.settle` settles (with the digests whose last plan it was). Returns how
    many notifications were settled."""
    from apps.applications.models import ApplicationState, Choice, CoursePlan
    from apps.applications.selectors import choices_still_wanted

    from .outbox import settle

    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.filter(
        event="course_plan_to_review", settled_at__isnull=True
    ).exclude(awaits="")
    newer = CoursePlan.objects.filter(
        activity=OuterRef("activity"), version__gt=OuterRef("version")
    )
    nominated_elsewhere = Choice.objects.filter(
        activity=OuterRef("activity"), application__nominated_choice__isnull=False
    ).exclude(application__nominated_choice__activity=OuterRef("activity"))
    # Withdrawn, refused or refused by the host: as a nomination elsewhere, it took the stay
    # out of the queue (a stay only a draft names never was in it, and keeps what it has).
    ended = Choice.objects.filter(
        activity=OuterRef("activity"),
        application__state__in=(
            ApplicationState.WITHDRAWN,
            ApplicationState.REFUSED,
            ApplicationState.HOST_REFUSED,
        ),
    )
    wanted = choices_still_wanted().filter(activity=OuterRef("activity"))
    settled = 0
    for chunk in _chunks(rows.only("pk", "context")):
        plans = _ids(chunk, "course_plan")
        done = [
            plan["pk"]
            for pks in _in_chunks(plans)
            for plan in CoursePlan.objects.filter(pk__in=pks)
            .annotate(
                replaced=Exists(newer),
                nominated_elsewhere=Exists(nominated_elsewhere),
                ended=Exists(ended),
                wanted=Exists(wanted),
            )
            .values("pk", "status", "replaced", "nominated_elsewhere", "ended", "wanted")
            if plan["status"] != "pending"
            or plan["replaced"]
            or ((plan["nominated_elsewhere"] or plan["ended"]) and not plan["wanted"])
        ]
        with transaction.atomic():
            settled += settle(awaits_review(pk) for pk in done)
    return settled
