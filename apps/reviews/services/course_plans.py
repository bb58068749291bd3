"""The study advisor's decision on each line of a course plan, each with its history row.
While a course of the version still awaits them, the advisor may change or undo a decision;
the decision on the last course decides the version (the student is told), and a decided
version is never changed: the student's edits make the next version (applications.services)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError
from apps.applications.models import (
    CourseLine,
    CoursePlan,
    CoursePlanStatus,
    LineDecision,
    LineDecisionChange,
)
from apps.applications.selectors import stay_still_wanted
from apps.applications.services import course_plan_settle_status
from apps.notifications.events import announce_advisor_assigned, announce_course_decision_changed


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


class DecidesTheVersion(ServiceError):
    """The decision asked for is on the last course awaiting the advisor: it decides the
    version and cannot be changed, so the advisor confirms it first."""


def _locked_open_line(actor: User, line: CourseLine, seen: str) -> tuple[CoursePlan, CourseLine]:
    """The line, locked with its version, if the advisor may still decide on it: the version
    is the latest and awaits them (some course is still undecided) for a stay an application
    still wants, as their queue reads it. `seen`: the decision the advisor's page showed, so
    that a page left open in another tab changes nothing it did not show."""
    course_plan = locked_course_plan_of_advisee(actor, line.course_plan_id)
    _ensure_latest(course_plan)
    if course_plan.status != CoursePlanStatus.PENDING:
        raise ServiceError(
            _("This course plan is %(status)s: its lines are no longer decided on.")
            % {"status": course_plan.get_status_display().lower()}
        )
    if not stay_still_wanted(course_plan.activity):
        # Withdrawn, refused, or nominated to another of its choices: the course plan comes
        # back to the advisor (their queue) if an application names the stay again.
        raise ServiceError(
            _(
                "No application of the student wants this stay any more: its course plan "
                "awaits no decision of yours unless an application names the stay again."
            )
        )
    line = CourseLine.objects.select_for_update().get(pk=line.pk)
    if line.decision != seen:
        if seen == LineDecision.PENDING:
            raise ServiceError(
                _("Course %(code)s is already decided: %(decision)s.")
                % {"code": line.code, "decision": line.get_decision_display().lower()}
            )
        raise ServiceError(
            _("The decision on %(code)s changed meanwhile: it is now %(decision)s.")
            % {"code": line.code, "decision": line.get_decision_display().lower()}
        )
    return course_plan, line


def _record(
    actor: User, course_plan: CoursePlan, line: CourseLine, decision: str, comment: str
) -> CourseLine:
    """Set the line's decision and write its history row; a decision changed or undone, which
    the student could read on their page, is announced to them."""
    change = LineDecisionChange.objects.create(
        line=line, actor=actor, from_decision=line.decision, to_decision=decision, comment=comment
    )
    undone = decision == LineDecision.PENDING
    line.decision = decision
    line.decision_comment = comment
    line.decided_by = None if undone else actor
    line.decided_at = None if undone else timezone.now()
    line.save(update_fields=["decision", "decision_comment", "decided_by", "decided_at"])
    announce_course_decision_changed(course_plan, change)
    return line


@transaction.atomic
def course_line_decide(
    *,
    actor: User,
    line: CourseLine,
    approve: bool,
    comment: str,
    seen: str = LineDecision.PENDING,
    final: bool = True,
) -> CourseLine:
    """Approve or reject one line of the latest version; a rejection says why. A line already
    decided (`seen` says how) may be decided again while another line of the version still
    awaits the advisor: the decision on the last one decides the version and tells the
    student, after which nothing changes (the student's edits make the next version).
    `final=False`: the advisor has not confirmed that, and such a decision is refused with
    DecidesTheVersion."""
    course_plan, line = _locked_open_line(actor, line, seen)
    comment = comment.strip()
    if not approve and not comment:
        raise ServiceError(_("Say why the course is rejected: the student reads it."))
    others_pending = (
        CourseLine.objects.filter(course_plan=course_plan, decision=LineDecision.PENDING)
        .exclude(pk=line.pk)
        .exists()
    )
    if not final and not others_pending:
        raise DecidesTheVersion(
            _("Course %(code)s is the last awaiting your decision: confirm to decide the plan.")
            % {"code": line.code}
        )
    decision = LineDecision.APPROVED if approve else LineDecision.REJECTED
    if decision == line.decision and comment == line.decision_comment:
        return line  # the same decision sent again: nothing changes, nothing to record
    _record(actor, course_plan, line, decision, comment)
    course_plan_settle_status(course_plan)
    return line


@transaction.atomic
def course_line_undo(*, actor: User, line: CourseLine, seen: str) -> CourseLine:
    """Put a decided line back among those awaiting the advisor, while the version still
    awaits them (`seen`: the decision the advisor's page showed)."""
    if seen == LineDecision.PENDING:
        raise ServiceError(_("Only a decision already taken can be undone."))
    course_plan, line = _locked_open_line(actor, line, seen)
    return _record(actor, course_plan, line, LineDecision.PENDING, "")


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
    announce_advisor_assigned(student)
    waiting = list(course_plans_to_review(advisor).filter(activity__plan__student=student))
    for course_plan in waiting:
        announce_course_plan_sent(course_plan)
    return len(waiting)
