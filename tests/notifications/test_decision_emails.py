"""What the student reads when the advisor decided: the courses rejected with the advisor's
comment and what to do about them; the credits recognised when the dossier is completed."""

import pytest

from apps.notifications.models import Notification
from apps.notifications.rendering import render_message
from apps.reviews.services.course_plans import course_line_decide
from apps.reviews.services.returns import course_plan_confirm_recognition
from tests.reviews.advisor.builders import (
    dossier_abroad,
    record_all,
    sent_course_plan,
    with_transcript,
)


def message_of(student, event):
    notification = Notification.objects.filter(recipient=student, event=event).get()
    return render_message(notification, "en")


@pytest.mark.django_db
def test_rejected_courses_are_named_with_the_comment_and_what_to_do(student, advisor):
    course_plan = sent_course_plan(student, lines=2)
    kept, rejected = course_plan.lines.order_by("pk")
    course_line_decide(actor=advisor, line=kept, approve=True, comment="")
    course_line_decide(
        actor=advisor, line=rejected, approve=False, comment="Too close to <INF101>."
    )
    message = message_of(student, "course_plan_decided")
    for body in (message.text, message.html):
        assert "Courses rejected, with your advisor's comment:" in body
        assert rejected.code in body and rejected.title in body
        assert kept.code not in body
        assert "Change or remove them in your course plan and save it" in body
    assert "Too close to <INF101>." in message.text
    assert "Too close to &lt;INF101&gt;." in message.html


@pytest.mark.django_db
def test_an_approved_course_plan_lists_no_rejection(student, advisor):
    course_plan = sent_course_plan(student, lines=1)
    course_line_decide(actor=advisor, line=course_plan.lines.get(), approve=True, comment="")
    message = message_of(student, "course_plan_decided")
    assert "rejected" not in message.text


@pytest.mark.django_db
def test_completion_says_the_credits_are_recognised(student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    with_transcript(application)
    record_all(course_plan, obtained=4)
    course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)
    message = message_of(student, "application_decision")
    for body in (message.text, message.html):
        assert "Your study advisor confirmed the recognition of the credits you obtained" in body
        assert "There is a decision" not in body
