"""The student hears when their advisor changes or undoes a decision they could read on their
course plan page: one notice (portal and e-mail, in their language) naming the course and what
changed; the changes of a few minutes are told together, and a notice whose e-mail has not gone
when the advisor decides the version is left to the decision's own e-mail."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications.models import LineDecision
from apps.notifications.delivery import deliver, relay_pending
from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.rendering import render_message
from apps.reviews.services.course_plans import course_line_decide, course_line_undo
from tests.applications.factories import login, messages_of
from tests.reviews.advisor.builders import sent_course_plan

pytestmark = pytest.mark.django_db

A, R, P = LineDecision.APPROVED, LineDecision.REJECTED, LineDecision.PENDING
EVENT = "course_decisions_changed"


@pytest.fixture
def english_student(student):
    student.language = "en"
    student.save(update_fields=["language"])
    return student


@pytest.fixture
def course_plan(english_student):
    return sent_course_plan(english_student, lines=3)


def lines_of(course_plan):
    return list(course_plan.lines.order_by("pk"))


def notices(student=None):
    rows = Notification.objects.filter(event=EVENT).order_by("pk")
    return list(rows.filter(recipient=student) if student is not None else rows)


def due_now(notification):
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())


def test_first_decisions_are_no_change(advisor, course_plan):
    first, second, _third = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    course_line_decide(actor=advisor, line=second, approve=False, comment="Syllabus?")
    assert notices() == []


def test_a_changed_decision_is_told_with_the_course_and_its_decision_now(
    advisor, english_student, course_plan, django_capture_on_commit_callbacks, mailoutbox
):
    first, _second, _third = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    with django_capture_on_commit_callbacks(execute=True):
        course_line_decide(actor=advisor, line=first, approve=False, comment="Taken in 2A", seen=A)
    (notice,) = notices(english_student)
    assert notice.subject == (
        f"Your study advisor changed their decision on {first.code} {first.title}: now rejected"
    )
    assert notice.subjects["fr"] != notice.subject
    assert notice.link == reverse("applications:course_plan_edit", args=[course_plan.activity_id])
    assert notice.read_at is None and notice.awaits == ""
    # Its e-mail waits for other changes: not handed over at commit, sent by the relay once due.
    assert notice.next_attempt_at > timezone.now() + timedelta(minutes=14)
    assert mailoutbox == []
    assert relay_pending() == 0
    due_now(notice)
    assert relay_pending() == 1
    (email,) = mailoutbox
    assert email.to == [english_student.email]
    assert email.subject == notice.subject
    assert f"{first.code} — {first.title}: approved before, now rejected — Taken in 2A" in (
        email.body
    )


def test_the_changes_of_a_few_minutes_make_one_notice(advisor, english_student, course_plan):
    first, second, _third = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    course_line_decide(actor=advisor, line=second, approve=True, comment="")
    course_line_decide(actor=advisor, line=first, approve=False, comment="No", seen=A)
    course_line_undo(actor=advisor, line=second, seen=A)
    course_line_decide(actor=advisor, line=first, approve=True, comment="", seen=R)

    (notice,) = notices(english_student)
    assert notice.subject == (
        "Your study advisor changed their decisions on 2 courses of your course plan for "
        f"{course_plan.host_display}"
    )
    assert len(notice.context["decision_changes"]) == 3
    text = render_message(notice).text
    assert f"{first.code} — {first.title}: approved, as before" in text
    assert f"{second.code} — {second.title}: approved before, now awaiting decision" in text


def test_a_change_after_the_notice_went_out_or_was_read_makes_another(
    advisor, english_student, course_plan
):
    first, _second, _third = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    course_line_decide(actor=advisor, line=first, approve=False, comment="No", seen=A)
    (sent,) = notices(english_student)
    due_now(sent)
    assert deliver(sent.pk) == "sent"

    course_line_decide(actor=advisor, line=first, approve=True, comment="", seen=R)
    sent_then, read = notices(english_student)
    assert sent_then.pk == sent.pk and len(sent_then.context["decision_changes"]) == 1
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())

    course_line_undo(actor=advisor, line=first, seen=A)
    assert len(notices(english_student)) == 3


def test_an_undone_decision_is_told(advisor, english_student, course_plan):
    first, _second, _third = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=False, comment="No")
    course_line_undo(actor=advisor, line=first, seen=R)
    (notice,) = notices(english_student)
    assert notice.subject.endswith(f"{first.code} {first.title}: now awaiting decision")


def test_a_course_decided_again_after_its_undo_is_told_as_it_now_stands(
    advisor, english_student, course_plan
):
    """Undone, then decided again within the minutes: the subject says the decision now, as
    the e-mail does, not 'now awaiting decision'."""
    first, second, _third = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    course_line_undo(actor=advisor, line=first, seen=A)
    course_line_decide(actor=advisor, line=first, approve=False, comment="Taken in 2A")
    course_line_decide(actor=advisor, line=second, approve=True, comment="")  # a first one

    (notice,) = notices(english_student)
    assert notice.subject.endswith(f"{first.code} {first.title}: now rejected")
    assert len(notice.context["decision_changes"]) == 2
    text = render_message(notice).text
    assert f"{first.code} — {first.title}: approved before, now rejected — Taken in 2A" in text
    assert second.code not in text


def test_a_notice_still_waiting_when_the_version_is_decided_is_not_e_mailed(
    advisor, english_student, course_plan, mailoutbox
):
    first, second, third = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    course_line_decide(actor=advisor, line=first, approve=False, comment="No", seen=A)
    course_line_decide(actor=advisor, line=second, approve=True, comment="")
    course_line_decide(actor=advisor, line=third, approve=True, comment="")

    (notice,) = notices(english_student)
    assert notice.status == DeliveryStatus.SKIPPED
    assert Notification.objects.filter(recipient=english_student, event="course_plan_decided")
    due_now(notice)
    assert deliver(notice.pk) == "skipped"
    assert mailoutbox == []


def test_another_students_course_plan_and_another_version_are_apart(
    advisor, other_advisor, english_student, other_student, course_plan
):
    other_version = sent_course_plan(english_student, lines=2)
    theirs = sent_course_plan(other_student, lines=2)
    for version, who in ((course_plan, advisor), (other_version, advisor), (theirs, other_advisor)):
        line = lines_of(version)[0]
        course_line_decide(actor=who, line=line, approve=True, comment="")
        course_line_decide(actor=who, line=line, approve=False, comment="No", seen=A)
    mine = notices(english_student)
    assert [notice.context["course_plan"] for notice in mine] == [
        course_plan.pk,
        other_version.pk,
    ]
    assert [notice.context["course_plan"] for notice in notices(other_student)] == [theirs.pk]


def test_without_grouping_each_change_goes_at_once(
    settings, advisor, english_student, course_plan, django_capture_on_commit_callbacks, mailoutbox
):
    settings.COURSE_DECISION_CHANGES_GROUPED_MINUTES = 0
    first, _second, _third = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    with django_capture_on_commit_callbacks(execute=True):
        course_line_decide(actor=advisor, line=first, approve=False, comment="No", seen=A)
    assert len(mailoutbox) == 1


def test_the_advisor_reads_that_the_student_is_told_of_a_change_only(
    client, advisor, english_student, course_plan
):
    first, _second, _third = lines_of(course_plan)
    url = reverse("reviews:advisor_course_plan", args=[course_plan.pk])
    told = "The student is told of this change, with any other you make within 15 minutes."
    login(client, advisor)

    decided = client.post(url, {"line": first.pk, "decision": "approve", "comment": ""})
    assert told not in messages_of(decided)
    client.get(url)  # the messages are read
    again = client.post(
        url, {"line": first.pk, "decision": "approve", "comment": "", "seen": "approved"}
    )
    assert told not in messages_of(again)
    client.get(url)
    changed = client.post(
        url, {"line": first.pk, "decision": "reject", "comment": "No", "seen": "approved"}
    )
    assert messages_of(changed)[-1] == told
    assert len(notices(english_student)) == 1


def test_a_new_reason_for_the_same_rejection_is_told_with_it(advisor, english_student, course_plan):
    first, _second, _third = lines_of(course_plan)
    course_line_decide(actor=advisor, line=first, approve=False, comment="Taken in 2A")
    course_line_decide(actor=advisor, line=first, approve=False, comment="Overlaps INF101", seen=R)
    (notice,) = notices(english_student)
    text = render_message(notice).text
    assert f"{first.code} — {first.title}: rejected, as before — Overlaps INF101" in text
