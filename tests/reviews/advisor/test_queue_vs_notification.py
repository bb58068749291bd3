"""a5d870d hides from the advisor's queue a course plan of a stay the student is not nominated
to; course_plan_send still announces such a version to the advisor (COURSE_PLAN_TO_REVIEW),
who is e-mailed about a plan their queue never lists."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import Application, ApplicationState
from apps.notifications.models import Notification
from tests.applications.factories import ChoiceFactory, login, semester_for
from tests.reviews.advisor.builders import approve_all, sent_course_plan

pytestmark = pytest.mark.django_db

LINES = [
    {
        "code": "X1",
        "title": "Other course",
        "ects": Decimal(6),
        "semester": "Fall",
        "home_requirement": "Electives",
    }
]


def test_no_notification_for_a_plan_the_queue_hides(client, advisor, student):
    nominated_plan = approve_all(sent_course_plan(student), advisor)
    application = Application.objects.get(student=student)
    other = ChoiceFactory(application=application, rank=2, activity=semester_for(student))
    application.nominated_choice = application.choices.get(rank=1)
    application.state = ApplicationState.NOMINATED
    application.save()
    assert nominated_plan.activity_id != other.activity_id

    Notification.objects.all().delete()
    services.course_plan_replace_lines(actor=student, activity=other.activity, lines=LINES)

    queue = login(client, advisor).get(reverse("reviews:advisor_queue"))
    listed = list(queue.context["page"].object_list)
    told = Notification.objects.filter(event="course_plan_to_review").count()
    # Either the advisor's queue lists it, or nobody is asked to review it.
    assert listed or not told, (listed, told)
