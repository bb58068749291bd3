"""The study advisor's decision on each line of a course plan. A decided version is never
changed: the student's edits make the next version (applications.services)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError
from apps.applications.models import CourseLine, CoursePlan, CoursePlanStatus, LineDecision
from apps.applications.services import course_plan_settle_status


def locked_course_plan_of_advisee(actor: User, course_plan_pk: int) -> CoursePlan:
    """Lock a course plan of one of `actor`'s advisees, or refuse anybody else."""
    if not user_can(actor, Capability.APPROVE_COURSE_PLANS):
        raise ServiceError(_("Only study advisors decide on course plans."))
    course_plan = (
        CoursePlan.objects.select_for_update(of=("self",))
        .filter(pk=course_plan_pk, activity__plan__student__student_profile__advisor=actor)
        .first()
    )
    if course_plan is None:
        raise ServiceError(_("Only the student's own study advisor decides on this course plan."))
    return course_plan


def _ensure_latest(course_plan: CoursePlan) -> None:
    newer = CoursePlan.objects.filter(
        activity_id=course_plan.activity_id, version__gt=course_plan.version
    )
    if newer.exists():
        raise ServiceError(
            _("Version %(version)s has been replaced by a newer one: decide on the newest.")
            % {"version": course_plan.version}
        )


@transaction.atomic
def course_line_decide(*, actor: User, line: CourseLine, approve: bool, comment: str) -> CourseLine:
    """Approve or reject one line of the latest version; a rejection says why."""
    course_plan = locked_course_plan_of_advisee(actor, line.course_plan_id)
    _ensure_latest(course_plan)
    if course_plan.status != CoursePlanStatus.PENDING:
        raise ServiceError(
            _("This course plan is %(status)s: its lines are no longer decided on.")
            % {"status": course_plan.get_status_display().lower()}
        )
    line = CourseLine.objects.select_for_update().get(pk=line.pk)
    if line.decision != LineDecision.PENDING:
        raise ServiceError(
            _("Course %(code)s is already decided: %(decision)s.")
            % {"code": line.code, "decision": line.get_decision_display().lower()}
        )
    comment = comment.strip()
    if not approve and not comment:
        raise ServiceError(_("Say why the course is rejected: the student reads it."))
    line.decision = LineDecision.APPROVED if approve else LineDecision.REJECTED
    line.decision_comment = comment
    line.decided_by = actor
    line.decided_at = timezone.now()
    line.save(update_fields=["decision", "decision_comment", "decided_by", "decided_at"])
    course_plan_settle_status(course_plan)
    return line


def course_plans_announce_to_new_advisor(*, student: User) -> int:
    """After the student's study advisor changed: the course plans awaiting a decision are
    announced to the new advisor, in whose queue they now are; the previous advisor's queue
    no longer lists them. Returns how many were announced."""
    from apps.notifications.events import announce_course_plan_sent

    from ..selectors_advisor import course_plans_to_review

    profile = getattr(student, "student_profile", None)
    advisor = profile.advisor if profile is not None else None
    if advisor is None or not advisor.is_active:
        return 0
    waiting = list(course_plans_to_review(advisor).filter(activity__plan__student=student))
    for course_plan in waiting:
        announce_course_plan_sent(course_plan)
    return len(waiting)
