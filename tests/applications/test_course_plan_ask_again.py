"""The student puts the courses their advisor rejected to the advisor again, as they are (they
sent the syllabus asked for): keeping a rejected course unchanged carried its rejection, and
saving the same lines changed nothing, so a rejection could never be reconsidered."""

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import CoursePlanStatus, LineDecision
from apps.notifications.models import Notification
from apps.reviews.services.course_plans import course_line_decide
from tests.applications.factories import login, messages_of
from tests.reviews.advisor.builders import sent_course_plan

pytestmark = pytest.mark.django_db


def rejected_one_of_two(student, advisor):
    course_plan = sent_course_plan(student)
    first, second = course_plan.lines.order_by("pk")
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    course_line_decide(actor=advisor, line=second, approve=False, comment="Send the syllabus.")
    course_plan.refresh_from_db()
    assert course_plan.status == CoursePlanStatus.CHANGES_REQUESTED
    return course_plan


def test_the_rejected_courses_go_back_to_the_advisor_as_they_are(client, student, advisor):
    rejected = rejected_one_of_two(student, advisor)
    url = reverse("applications:course_plan_ask_again", args=[rejected.activity_id])
    page = login(client, student).get(
        reverse("applications:course_plan_edit", args=[rejected.activity_id])
    )
    assert url in page.content.decode()

    response = client.post(url)

    assert response.status_code == 302
    assert "put to your study advisor again" in messages_of(response)[-1]
    newer = rejected.activity.course_plans.order_by("-version").first()
    assert (newer.version, newer.status) == (rejected.version + 1, CoursePlanStatus.PENDING)
    assert [line.decision for line in newer.lines.order_by("pk")] == [
        LineDecision.APPROVED,
        LineDecision.PENDING,
    ]
    assert [line.title for line in newer.lines.order_by("pk")] == [
        line.title for line in rejected.lines.order_by("pk")
    ]
    rejected.refresh_from_db()
    assert rejected.status == CoursePlanStatus.CHANGES_REQUESTED  # never overwritten
    assert Notification.objects.filter(
        event="course_plan_to_review", recipient=advisor, key__contains=f":{newer.pk}:"
    ).exists()
    # The advisor now approves what they rejected: the plan settles approved.
    course_line_decide(
        actor=advisor, line=newer.lines.get(decision=LineDecision.PENDING), approve=True, comment=""
    )
    newer.refresh_from_db()
    assert newer.status == CoursePlanStatus.APPROVED


@pytest.mark.parametrize("status", [CoursePlanStatus.PENDING, CoursePlanStatus.APPROVED])
def test_only_a_plan_with_rejected_courses_is_put_again(student, status):
    course_plan = sent_course_plan(student, status=status)
    with pytest.raises(ServiceError):
        services.course_plan_ask_again(actor=student, activity=course_plan.activity)
    assert course_plan.activity.course_plans.count() == 1


def test_only_the_student_puts_them_again(student, other_student, advisor):
    rejected = rejected_one_of_two(student, advisor)
    with pytest.raises(ServiceError):
        services.course_plan_ask_again(actor=other_student, activity=rejected.activity)


def test_the_advisor_reads_which_courses_are_put_again_and_what_they_said(client, advisor, student):
    """The advisor's page said only 'The courses are the same as in the previous version': not
    why the version was back, nor which courses and what they had asked."""
    rejected = rejected_one_of_two(student, advisor)
    newer = services.course_plan_ask_again(actor=student, activity=rejected.activity)
    page = (
        login(client, advisor)
        .get(reverse("reviews:advisor_course_plan", args=[newer.pk]))
        .content.decode()
    )
    assert f"look again at the courses you rejected in version {rejected.version}" in page
    assert "Comment: Send the syllabus." in page
    assert "The courses are the same as in the previous version." not in page


def test_courses_listed_in_another_order_are_not_said_to_be_put_again(client, advisor, student):
    """Saved in another order, the courses keep their decisions: the rejected one stays
    rejected, and the advisor is not told the student asks them to look at it again."""
    rejected = rejected_one_of_two(student, advisor)
    lines = [
        {name: getattr(line, name) for name in services.LINE_CONTENT}
        for line in rejected.lines.order_by("-pk")
    ]
    newer = services.course_plan_replace_lines(
        actor=student, activity=rejected.activity, lines=lines
    )
    assert newer.status == CoursePlanStatus.CHANGES_REQUESTED
    response = login(client, advisor).get(reverse("reviews:advisor_course_plan", args=[newer.pk]))
    assert response.context["put_again"] == []
    page = response.content.decode()
    assert "look again at the courses you rejected" not in page
    assert "The courses are the same as in the previous version." in page


def test_the_student_is_not_told_the_advisor_has_it_when_no_application_wants_the_stay(
    client, student, advisor
):
    from apps.applications.models import Application, ApplicationState

    rejected = rejected_one_of_two(student, advisor)
    Application.objects.filter(student=student).update(state=ApplicationState.WITHDRAWN)
    response = login(client, student).post(
        reverse("applications:course_plan_ask_again", args=[rejected.activity_id])
    )
    assert "put to your study advisor again" not in messages_of(response)[-1]
    assert "no application of yours wants this stay now" in messages_of(response)[-1]


def test_a_version_saved_while_no_application_wanted_the_stay_is_announced_on_submission(
    student, advisor
):
    """Withdrawn from one call, the student changes the stay's courses (the advisor is not
    told: no application wants it) and applies to another call with it: the version reached
    the advisor's queue again without a word."""
    from apps.applications.models import Application, ApplicationState
    from tests.applications.factories import (
        ApplicationFactory,
        ChoiceFactory,
        DocumentFactory,
        complete_application,
    )
    from tests.factories import CallFactory

    first = complete_application(student)
    activity = first.choices.get().activity
    services.course_plan_replace_lines(
        actor=student,
        activity=activity,
        lines=[
            {
                "code": "A1",
                "title": "Robotics",
                "ects": 30,
                "semester": "Fall",
                "home_requirement": "S7",
            }
        ],
    )
    services.application_submit(actor=student, application=first)
    services.application_withdraw(actor=student, application=Application.objects.get(pk=first.pk))
    changed = services.course_plan_replace_lines(
        actor=student,
        activity=activity,
        lines=[
            {
                "code": "A2",
                "title": "Vision",
                "ects": 30,
                "semester": "Fall",
                "home_requirement": "S7",
            }
        ],
    )
    assert changed.status == CoursePlanStatus.PENDING
    told = Notification.objects.filter(
        event="course_plan_to_review", recipient=advisor, key__contains=f":{changed.pk}:"
    )
    assert not told.exists()

    second = ApplicationFactory(
        student=student, call=CallFactory(academic_year=first.call.academic_year)
    )
    ChoiceFactory(application=second, rank=1, activity=activity)
    for document in first.documents.all():
        DocumentFactory(application=second, kind=document.kind)
    services.application_submit(actor=student, application=second)
    assert Application.objects.get(pk=second.pk).state == ApplicationState.SUBMITTED
    assert told.count() == 1
