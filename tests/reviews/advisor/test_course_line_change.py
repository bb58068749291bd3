"""A wrong click on a course line: the advisor changes or undoes a decision while another
course of the version still awaits them, each change with its history row; the decision on
the last course decides the version, is confirmed first, and is final."""

import pytest

from apps.applications.errors import ServiceError
from apps.applications.models import CoursePlanStatus, LineDecision, LineDecisionChange
from apps.notifications.models import Notification
from apps.reviews.services.course_plans import (
    DecidesTheVersion,
    course_line_decide,
    course_line_undo,
)
from tests.reviews.advisor.builders import sent_course_plan

A, R, P = LineDecision.APPROVED, LineDecision.REJECTED, LineDecision.PENDING


@pytest.fixture
def course_plan(student):
    return sent_course_plan(student, lines=2)


def lines_of(course_plan):
    return list(course_plan.lines.order_by("pk"))


def history(line):
    return list(
        LineDecisionChange.objects.filter(line=line).values_list(
            "from_decision", "to_decision", "comment", "actor__email"
        )
    )


def test_every_decision_writes_a_history_row(advisor, course_plan):
    first, _second = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=False, comment="Taken in 2A")
    assert history(first) == [(P, R, "Taken in 2A", advisor.email)]


def test_a_decision_is_changed_while_another_course_awaits_the_advisor(advisor, course_plan):
    first, _second = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    course_line_decide(actor=advisor, line=first, approve=False, comment="Wrong click", seen=A)
    first.refresh_from_db()
    assert (first.decision, first.decision_comment, first.decided_by) == (
        R,
        "Wrong click",
        advisor,
    )
    assert history(first) == [
        (P, A, "", advisor.email),
        (A, R, "Wrong click", advisor.email),
    ]
    course_plan.refresh_from_db()
    assert course_plan.status == CoursePlanStatus.PENDING
    # Not decided: the student is told of the change only (tests/notifications/
    # test_decisions_changed.py), not of a decision on the version.
    assert list(
        Notification.objects.filter(recipient=course_plan.activity.plan.student).values_list(
            "event", flat=True
        )
    ) == ["course_decisions_changed"]


def test_a_decision_is_undone_back_to_awaiting_the_advisor(advisor, course_plan):
    first, _second = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=False, comment="Taken in 2A")
    course_line_undo(actor=advisor, line=first, seen=R)
    first.refresh_from_db()
    assert (first.decision, first.decision_comment, first.decided_by, first.decided_at) == (
        P,
        "",
        None,
        None,
    )
    assert [row[:2] for row in history(first)] == [(P, R), (R, P)]


def test_a_line_awaiting_the_advisor_has_nothing_to_undo(advisor, course_plan):
    first, _second = lines_of(course_plan)
    with pytest.raises(ServiceError, match="Only a decision already taken"):
        course_line_undo(actor=advisor, line=first, seen=P)
    assert history(first) == []


def test_a_page_left_open_changes_nothing_it_did_not_show(advisor, course_plan):
    """Approved in one tab, rejected in another, then undone from the first tab's page that
    still shows it approved: refused, the rejection stays."""
    first, _second = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    course_line_decide(actor=advisor, line=first, approve=False, comment="No", seen=A)
    with pytest.raises(ServiceError, match="changed meanwhile: it is now rejected"):
        course_line_undo(actor=advisor, line=first, seen=A)
    first.refresh_from_db()
    assert first.decision == R


def test_the_last_course_is_not_decided_unconfirmed(advisor, course_plan):
    first, second = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="", final=False)
    with pytest.raises(DecidesTheVersion):
        course_line_decide(actor=advisor, line=second, approve=True, comment="", final=False)
    second.refresh_from_db()
    course_plan.refresh_from_db()
    assert (second.decision, course_plan.status) == (P, CoursePlanStatus.PENDING)
    assert history(second) == []


def test_once_the_last_course_is_decided_nothing_changes(advisor, course_plan):
    first, second = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    course_line_decide(actor=advisor, line=second, approve=False, comment="No")
    course_plan.refresh_from_db()
    assert course_plan.status == CoursePlanStatus.CHANGES_REQUESTED
    with pytest.raises(ServiceError, match="no longer decided on"):
        course_line_undo(actor=advisor, line=first, seen=A)
    with pytest.raises(ServiceError, match="no longer decided on"):
        course_line_decide(actor=advisor, line=second, approve=True, comment="", seen=R)
    assert [(line.decision) for line in lines_of(course_plan)] == [A, R]


@pytest.mark.parametrize("who", ["other_advisor", "student", "dri"])
def test_only_the_students_own_advisor_changes_or_undoes(request, advisor, course_plan, who):
    first, _second = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    actor = request.getfixturevalue(who)
    with pytest.raises(ServiceError):
        course_line_undo(actor=actor, line=first, seen=A)
    with pytest.raises(ServiceError):
        course_line_decide(actor=actor, line=first, approve=False, comment="No", seen=A)
    first.refresh_from_db()
    assert (first.decision, len(history(first))) == (A, 1)


def test_a_former_advisor_no_longer_undoes(advisor, other_advisor, student, course_plan):
    first, _second = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    profile = student.student_profile
    profile.advisor = other_advisor
    profile.save(update_fields=["advisor"])
    with pytest.raises(ServiceError, match="own study advisor"):
        course_line_undo(actor=advisor, line=first, seen=A)
    first.refresh_from_db()
    assert first.decision == A
