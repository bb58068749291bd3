"""The notifications written before `awaits` existed: `settle_earlier_notifications` gives
each that asks to act its token, and settles at once those whose action is done already."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from apps.applications import services
from apps.applications.models import Application, ApplicationState, MobilityPlan
from apps.notifications.events import COURSE_PLANS_WAITING, PLAN_NOW_FAILING
from apps.notifications.models import AwaitedItem, Notification
from apps.notifications.reminders import remind_advisors
from apps.reviews.services.course_plans import course_line_decide
from apps.reviews.services.decisions import application_nominate, application_take_for_review
from tests.applications.factories import ApplicationFactory, ChoiceFactory, complete_application
from tests.factories import CallFactory
from tests.notifications.test_course_plan_reminders import waiting_since
from tests.notifications.test_settling import two_stays_before_the_advisor
from tests.reviews.advisor.builders import approve_all, sent_course_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def in_english():
    """A command speaks the active language: English here, whatever a test before left."""
    with translation.override("en"):
        yield


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


# --- what later upgrades settle ----------------------------------------------------------------


def test_a_plan_that_meets_the_rules_again_settles_its_earlier_notice(student, other_student):
    for someone in (student, other_student):
        MobilityPlan.objects.create(student=someone, compliant=someone == student)
        Notification.objects.create(
            key=f"plan_now_failing:regulation:2025:{someone.email}",
            event=PLAN_NOW_FAILING.name,
            recipient=someone,
            email=someone.email,
            language="fr",
            context={"regulation": "2025"},
        )
    as_before_the_upgrade()

    call_command("settle_earlier_notifications", stdout=StringIO())

    assert state_of(PLAN_NOW_FAILING.name, recipient=student) == [
        (f"student:{student.pk}:plan_passes", True, True)
    ]
    assert state_of(PLAN_NOW_FAILING.name, recipient=other_student) == [
        (f"student:{other_student.pk}:plan_passes", False, False)
    ]


def test_an_earlier_digest_lists_what_it_awaits_and_is_settled_once_all_is_done(
    student, advisor, settings
):
    settings.COURSE_PLAN_REMINDER_DAYS = 7
    decided = waiting_since(student, 10)
    remind_advisors(timezone.localdate())
    waiting = waiting_since(student, 10)
    remind_advisors(timezone.localdate() + timedelta(days=7))
    approve_all(decided, advisor)
    AwaitedItem.objects.all().delete()  # as written before digests listed what they await
    as_before_the_upgrade()
    out = StringIO()

    call_command("settle_earlier_notifications", stdout=out)

    done, still = Notification.objects.filter(event=COURSE_PLANS_WAITING.name).order_by("pk")
    assert done.settled_at is not None and still.settled_at is None
    assert {
        token: at is not None
        for token, at in still.awaited_items.values_list("token", "settled_at")
    } == {f"course_plan:{decided.pk}:review": True, f"course_plan:{waiting.pk}:review": False}
    # The last plan decided, the digest is done.
    for line in waiting.lines.order_by("pk"):
        course_line_decide(actor=advisor, line=line, approve=True, comment="")
    still.refresh_from_db()
    assert still.settled_at is not None
    assert out.getvalue().strip().endswith("1 done already.")


def test_a_notice_of_a_stay_an_earlier_nomination_left_out_is_settled(student, advisor, dri):
    application, nominated_stay, left_out = two_stays_before_the_advisor(student)
    application_nominate(actor=dri, application=application, choice=application.choices.get(rank=1))
    # Written before nominations settled them: still asking, with its token.
    Notification.objects.filter(event="course_plan_to_review").update(settled_at=None, read_at=None)

    call_command("settle_earlier_notifications", stdout=StringIO())

    assert state_of("course_plan_to_review", context__course_plan=left_out.pk) == [
        (f"course_plan:{left_out.pk}:review", True, True)
    ]
    assert state_of("course_plan_to_review", context__course_plan=nominated_stay.pk) == [
        (f"course_plan:{nominated_stay.pk}:review", False, False)
    ]


@pytest.mark.parametrize(
    "state", [ApplicationState.WITHDRAWN, ApplicationState.REFUSED, ApplicationState.HOST_REFUSED]
)
def test_a_notice_of_a_stay_an_earlier_withdrawal_or_refusal_left_out_is_settled(
    student, advisor, state
):
    application, first, second = two_stays_before_the_advisor(student)
    # Ended before withdrawals and refusals settled them: still asking, with their tokens.
    Application.objects.filter(pk=application.pk).update(state=state)

    call_command("settle_earlier_notifications", stdout=StringIO())

    assert state_of("course_plan_to_review") == [
        (f"course_plan:{first.pk}:review", True, True),
        (f"course_plan:{second.pk}:review", True, True),
    ]


def test_a_notice_of_a_stay_another_live_application_wants_keeps_asking(student, advisor):
    application, first, second = two_stays_before_the_advisor(student)
    elsewhere = ApplicationFactory(
        student=student, state=ApplicationState.SUBMITTED, call=CallFactory()
    )
    ChoiceFactory(application=elsewhere, rank=1, activity=second.activity)
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.WITHDRAWN)

    call_command("settle_earlier_notifications", stdout=StringIO())

    assert state_of("course_plan_to_review") == [
        (f"course_plan:{first.pk}:review", True, True),
        (f"course_plan:{second.pk}:review", False, False),
    ]


def test_a_notice_of_a_stay_only_a_draft_names_is_left_as_it_is(student, advisor):
    """Never in the queue through an application, it was never taken out of it."""
    course_plan = sent_course_plan(student, lines=1)
    Application.objects.filter(choices__activity=course_plan.activity).update(
        state=ApplicationState.DRAFT
    )
    services.course_plans_before_the_advisor([course_plan.activity])

    call_command("settle_earlier_notifications", stdout=StringIO())

    assert state_of("course_plan_to_review") == [
        (f"course_plan:{course_plan.pk}:review", False, False)
    ]
