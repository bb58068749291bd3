"""The notifications written before `awaits` existed: `settle_earlier_notifications` gives
each that asks to act its token, and settles at once those whose action is done already."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.applications import services
from apps.notifications.models import Notification
from apps.reviews.services.course_plans import course_line_decide
from apps.reviews.services.decisions import application_take_for_review
from tests.applications.factories import complete_application
from tests.reviews.advisor.builders import sent_course_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def as_before_the_upgrade():
    Notification.objects.update(awaits="", settled_at=None, read_at=None)


def state_of(event, **filters):
    return [
        (row.awaits, row.settled_at is not None, row.read_at is not None)
        for row in Notification.objects.filter(event=event, **filters).order_by("pk")
    ]


def test_earlier_rows_get_their_token_and_those_done_are_settled(
    student, other_student, advisor, dri
):
    out = StringIO()
    taken = services.application_submit(actor=student, application=complete_application(student))
    waiting = services.application_submit(
        actor=other_student, application=complete_application(other_student)
    )
    application_take_for_review(actor=dri, application=taken)
    decided = sent_course_plan(student, lines=1)
    open_plan = sent_course_plan(student, lines=1)
    services.course_plans_before_the_advisor([decided.activity, open_plan.activity])
    course_line_decide(actor=advisor, line=decided.lines.get(), approve=True, comment="")
    as_before_the_upgrade()

    call_command("settle_earlier_notifications", stdout=out)
    assert out.getvalue().strip() == (
        "4 earlier notifications now settle once done; 2 done already."
    )

    assert state_of("application_submitted", context__application=taken.pk) == [
        (f"application:{taken.pk}:submitted", True, True)
    ]
    assert state_of("application_submitted", context__application=waiting.pk) == [
        (f"application:{waiting.pk}:submitted", False, False)
    ]
    assert state_of("course_plan_to_review", context__course_plan=decided.pk) == [
        (f"course_plan:{decided.pk}:review", True, True)
    ]
    assert state_of("course_plan_to_review", context__course_plan=open_plan.pk) == [
        (f"course_plan:{open_plan.pk}:review", False, False)
    ]
    # News only: an approved course plan asks the student nothing.
    assert state_of("course_plan_decided") == [("", False, False)]


def test_running_it_again_changes_nothing(student, dri):
    services.application_submit(actor=student, application=complete_application(student))
    as_before_the_upgrade()
    call_command("settle_earlier_notifications", stdout=StringIO())
    out = StringIO()
    call_command("settle_earlier_notifications", stdout=out)
    assert out.getvalue().startswith("0 earlier notifications")
