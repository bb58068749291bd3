"""What the staff dossier page shows, each part in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import User
from apps.applications.access import sees_every_application, visible_applications
from apps.applications.checking import PlanCheck, plan_result
from apps.applications.models import (
    Activity,
    Application,
    CourseLine,
    CoursePlan,
    CoursePlanStatus,
    MobilityPlan,
)
from apps.applications.plan_format import plan_document
from apps.applications.selectors import readable_course_plans
from apps.applications.timeline import Timeline, build_timeline
from apps.rules import Finding
from mobility_portal.fixed_query import RowByKey, RowsByKey

from .models import InternalComment

DOSSIER_RELATED = (
    "call",
    "student__student_profile__filiere",
    "student__student_profile__advisor",
)
# The same application and related rows, for staff who see every dossier: its SQL, five
# tables joined, compiled once rather than on every page (a millisecond of the dossier's time).
_any_dossier = RowByKey(lambda: Application.objects.select_related(*DOSSIER_RELATED))


def dossier_for(user: User, pk: int) -> Application:
    """The application with its student's profile, through the one access rule (404 else)."""
    if sees_every_application(user):
        application = _any_dossier.get(pk)
    else:
        application = (
            visible_applications(user).select_related(*DOSSIER_RELATED).filter(pk=pk).first()
        )
    if application is None:
        raise Http404
    return application


@dataclass(frozen=True)
class CurrentPlan:
    """The student's plan as it stands now, checked in the reader's language."""

    activities: list[Activity]
    check: PlanCheck
    timeline: Timeline
    changed_since_submission: bool

    @property
    def findings_by_activity(self) -> list[tuple[Activity, list[Finding]]]:
        return [
            (activity, self.check.by_activity[activity.engine_id])
            for activity in self.activities
            if activity.engine_id in self.check.by_activity
        ]


# The plan and its activities, and the internal comments, with their SQL compiled once.
_student_plan = RowByKey(lambda: MobilityPlan.objects.all(), "student")
_plan_activities = RowsByKey(lambda: Activity.objects.select_related("partner"), "plan")
_internal_comments = RowsByKey(
    lambda: InternalComment.objects.select_related("author"), "application"
)


def current_plan(application: Application) -> CurrentPlan | None:
    """Two queries (the plan, its activities); None when the student has no plan or profile."""
    student = application.student
    profile = getattr(student, "student_profile", None)
    plan = _student_plan.get(student.pk)
    if plan is None or profile is None:
        return None
    plan.student = student  # plan_result reads plan.student.student_profile: already loaded
    activities = _plan_activities.of(plan)
    check = plan_result(plan, activities)
    snapshot = application.snapshot
    return CurrentPlan(
        activities=activities,
        check=check,
        timeline=build_timeline(activities, check, profile.year, timezone.localdate()),
        changed_since_submission=snapshot is not None
        and plan_document(plan, profile, activities) != snapshot.get("plan"),
    )


@dataclass(frozen=True)
class CoursePlanHistory:
    activity: Activity
    versions: list[CoursePlan]  # newest first, each with its lines

    @property
    def sent(self) -> bool:
        """Whether the student has sent a version for the stay's host: the learning agreement
        prints from then."""
        return any(
            version.status != CoursePlanStatus.DRAFT and version.is_for_host_of(self.activity)
            for version in self.versions
        )


def course_plan_histories(activities: list[Activity]) -> list[CoursePlanHistory]:
    """Every version of each activity's course plan the student has sent, with the advisor's
    decision per line: two queries whatever the number of versions and lines. A version not
    sent yet is the student's alone, as on the application page and in the export."""
    versions = (
        readable_course_plans(CoursePlan.objects.all(), by_student=False)
        .filter(activity__in=activities)
        .select_related("recognition_confirmed_by", "partner")
        .prefetch_related(
            Prefetch("lines", queryset=CourseLine.objects.select_related("decided_by"))
        )
    )
    by_activity: dict[int, list[CoursePlan]] = {}
    for version in versions.order_by("activity_id", "-version"):
        by_activity.setdefault(version.activity_id, []).append(version)
    return [
        CoursePlanHistory(activity=activity, versions=by_activity.get(activity.pk, []))
        for activity in activities
    ]


def internal_comments(application: Application) -> list[InternalComment]:
    """application.internal_comments with their authors (one query)."""
    return _internal_comments.of(application)
