"""course_line_decide: the advisor's decision on one line, and the version's status after it."""

import pytest

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import CoursePlan, CoursePlanStatus, LineDecision
from apps.applications.services import course_plan_status_for
from apps.notifications.models import Notification
from apps.reviews.services.course_plans import course_line_decide
from tests.reviews.advisor.builders import sent_course_plan

A, R, P = LineDecision.APPROVED, LineDecision.REJECTED, LineDecision.PENDING


@pytest.mark.parametrize(
    ("decisions", "status"),
    [
        ([A, A], CoursePlanStatus.APPROVED),
        ([A, R], CoursePlanStatus.CHANGES_REQUESTED),
        ([R, R], CoursePlanStatus.CHANGES_REQUESTED),
        ([A, P], CoursePlanStatus.PENDING),
        ([R, P], CoursePlanStatus.PENDING),
        ([], CoursePlanStatus.PENDING),
    ],
)
def test_status_follows_the_lines(decisions, status):
    assert course_plan_status_for(decisions) == status


@pytest.fixture
def course_plan(student):
    return sent_course_plan(student, lines=2)


def lines_of(course_plan):
    return list(course_plan.lines.order_by("pk"))


def test_approval_is_recorded_and_the_plan_waits_for_the_other_line(advisor, course_plan):
    first, _second = lines_of(course_plan)
    line = course_line_decide(actor=advisor, line=first, approve=True, comment=" Fine. ")
    line.refresh_from_db()
    assert (line.decision, line.decision_comment, line.decided_by) == (A, "Fine.", advisor)
    assert line.decided_at is not None
    course_plan.refresh_from_db()
    assert (course_plan.status, course_plan.decided_at) == (CoursePlanStatus.PENDING, None)


def test_every_line_approved_approves_the_plan_and_tells_the_student(advisor, student, course_plan):
    for line in lines_of(course_plan):
        course_line_decide(actor=advisor, line=line, approve=True, comment="")
    course_plan.refresh_from_db()
    assert course_plan.status == CoursePlanStatus.APPROVED
    assert course_plan.decided_at is not None
    assert Notification.objects.filter(recipient=student, event="course_plan_decided").exists()


def test_a_rejected_line_once_all_are_decided_requests_changes(advisor, course_plan):
    first, second = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=False, comment="Too close to 1A.")
    course_plan.refresh_from_db()
    assert course_plan.status == CoursePlanStatus.PENDING
    course_line_decide(actor=advisor, line=second, approve=True, comment="")
    course_plan.refresh_from_db()
    assert course_plan.status == CoursePlanStatus.CHANGES_REQUESTED
    assert course_plan.decided_at is not None


def test_rejection_without_a_comment_is_refused(advisor, course_plan):
    first, _second = lines_of(course_plan)
    with pytest.raises(ServiceError, match="Say why"):
        course_line_decide(actor=advisor, line=first, approve=False, comment="  ")
    first.refresh_from_db()
    assert first.decision == P


@pytest.mark.parametrize("who", ["other_advisor", "student", "dfi", "dri", "admin_user"])
def test_only_the_students_own_advisor_decides(request, course_plan, who):
    actor = request.getfixturevalue(who)
    first, _second = lines_of(course_plan)
    with pytest.raises(ServiceError):
        course_line_decide(actor=actor, line=first, approve=True, comment="")
    first.refresh_from_db()
    assert first.decision == P


def test_a_decided_line_is_not_decided_again(advisor, course_plan):
    first, _second = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    with pytest.raises(ServiceError, match="already decided"):
        course_line_decide(actor=advisor, line=first, approve=False, comment="Changed my mind")


@pytest.mark.parametrize("status", [CoursePlanStatus.DRAFT, CoursePlanStatus.APPROVED])
def test_lines_of_a_version_not_awaiting_the_advisor_are_refused(advisor, student, status):
    course_plan = sent_course_plan(student, lines=1, status=status)
    with pytest.raises(ServiceError, match="no longer decided"):
        course_line_decide(actor=advisor, line=course_plan.lines.get(), approve=True, comment="")


def test_lines_of_a_replaced_version_are_refused(advisor, student, course_plan):
    old_line = lines_of(course_plan)[0]
    services.course_plan_replace_lines(
        actor=student,
        activity=course_plan.activity,
        lines=[
            {"code": "NEW", "title": "New", "ects": 6, "semester": "Fall", "home_requirement": "X"}
        ],
    )
    with pytest.raises(ServiceError, match="newer one"):
        course_line_decide(actor=advisor, line=old_line, approve=True, comment="")
    assert CoursePlan.objects.get(pk=course_plan.pk).status == CoursePlanStatus.PENDING
