"""Study advisors are reminded of the course plans waiting for their decision: one digest per
advisor, listing each plan that has waited COURSE_PLAN_REMINDER_DAYS days or more, at most once
in as many days, and again after that while plans still wait."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from apps.applications.models import CoursePlan
from apps.notifications import delivery
from apps.notifications.models import Notification
from apps.notifications.reminders import remind_advisors
from tests.factories import StudentProfileFactory, UserFactory
from tests.reviews.advisor.builders import approve_all, sent_course_plan

pytestmark = pytest.mark.django_db

EVENT = "course_plans_waiting"


def waiting_since(student, days: int, **fields) -> CoursePlan:
    """A course plan the student sent `days` days ago (at noon), still pending."""
    course_plan = sent_course_plan(student, **fields)
    sent_on = timezone.localdate() - timedelta(days=days)
    course_plan.sent_at = timezone.make_aware(datetime.combine(sent_on, time(12)))
    course_plan.save(update_fields=["sent_at"])
    return course_plan


def advisee_of(advisor):
    return StudentProfileFactory(advisor=advisor).user


def reminders():
    return Notification.objects.filter(event=EVENT).order_by("pk")


def listed(notification: Notification) -> list[int]:
    return [entry["course_plan"] for entry in notification.context["waiting_plans"]]


def in_english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


@pytest.fixture(autouse=True)
def interval(settings):
    settings.COURSE_PLAN_REMINDER_DAYS = 7


def test_the_digest_lists_each_waiting_plan_and_links_to_the_plans_to_review(
    advisor, student, mailoutbox
):
    in_english(advisor)
    older = waiting_since(student, 12)
    newer = waiting_since(advisee_of(advisor), 7)
    assert remind_advisors(timezone.localdate()) == 1
    notification = reminders().get()
    assert notification.recipient == advisor
    assert notification.link == reverse("reviews:advisor_queue")
    assert listed(notification) == [older.pk, newer.pk]  # oldest sent first
    assert notification.subject == "Reminder: 2 course plans are waiting for your decision"

    assert delivery.deliver(notification.pk) == "sent"
    (message,) = mailoutbox
    assert message.to == [advisor.email]
    assert message.subject == notification.subject
    html = message.alternatives[0][0]
    for course_plan, days in ((older, 12), (newer, 7)):
        line = (
            f"{course_plan.activity.plan.student}, {course_plan.host_display}: "
            f"waiting for {days} days"
        )
        assert f"- {line}" in message.body
        assert f"<li>{line}</li>" in html.replace("&#x27;", "'")
    assert message.body.index(str(older.activity.plan.student)) < message.body.index(
        str(newer.activity.plan.student)
    )
    assert "These 2 course plans sent by your students are still waiting" in message.body
    url = settings.SITE_URL + reverse("reviews:advisor_queue")
    assert f"Review the course plans: {url}" in message.body
    assert f'href="{url}"' in html


def test_one_plan_reads_in_the_singular(advisor, student, mailoutbox):
    in_english(advisor)
    waiting_since(student, 8)
    remind_advisors(timezone.localdate())
    notification = reminders().get()
    assert notification.subject == "Reminder: 1 course plan is waiting for your decision"
    delivery.deliver(notification.pk)
    assert "This course plan sent by one of your students is still waiting" in (mailoutbox[0].body)
    assert ": waiting for 8 days" in mailoutbox[0].body


@pytest.mark.parametrize(("days", "expected"), [(6, 0), (7, 1), (30, 1)])
def test_a_plan_is_reminded_once_it_has_waited_the_interval(advisor, student, days, expected):
    waiting_since(student, days)
    assert remind_advisors(timezone.localdate()) == expected
    assert reminders().count() == expected


def test_the_interval_comes_from_the_setting(advisor, student, settings):
    settings.COURSE_PLAN_REMINDER_DAYS = 3
    waiting_since(student, 3)
    assert remind_advisors(timezone.localdate()) == 1


def test_only_the_plans_of_the_advisors_current_advisees(
    advisor, other_advisor, student, other_student
):
    mine = waiting_since(student, 9)
    theirs = waiting_since(other_student, 9)
    moved = waiting_since(advisee_of(advisor), 9)
    profile = moved.activity.plan.student.student_profile
    profile.advisor = other_advisor
    profile.save(update_fields=["advisor"])
    assert remind_advisors(timezone.localdate()) == 2
    by_advisor = {row.recipient_id: listed(row) for row in reminders()}
    assert by_advisor == {advisor.pk: [mine.pk], other_advisor.pk: [theirs.pk, moved.pk]}


def test_a_plan_decided_meanwhile_is_not_listed(advisor, student):
    decided = waiting_since(student, 10)
    still = waiting_since(advisee_of(advisor), 9)
    approve_all(decided, advisor)
    remind_advisors(timezone.localdate())
    assert listed(reminders().get()) == [still.pk]


def test_an_advisor_with_nothing_waiting_long_enough_gets_nothing(advisor, student):
    approve_all(waiting_since(student, 10), advisor)
    waiting_since(advisee_of(advisor), 2)
    assert remind_advisors(timezone.localdate()) == 0
    assert not reminders().exists()


def test_a_plan_whose_stay_is_no_longer_wanted_is_not_listed(advisor, student):
    course_plan = waiting_since(student, 10)
    course_plan.activity.choices.all().delete()
    assert remind_advisors(timezone.localdate()) == 0


def test_once_in_the_interval_and_again_after_it_while_plans_wait(advisor, student):
    course_plan = waiting_since(student, 7)
    today = timezone.localdate()
    assert remind_advisors(today) == 1
    assert remind_advisors(today) == 0  # a second run the same day
    for later in range(1, 7):
        assert remind_advisors(today + timedelta(days=later)) == 0
    assert remind_advisors(today + timedelta(days=7)) == 1
    rows = list(reminders())
    assert [listed(row) for row in rows] == [[course_plan.pk], [course_plan.pk]]
    assert [row.context["waiting_plans"][0]["days"] for row in rows] == [7, 14]


def test_a_missed_run_is_caught_up_by_the_next(advisor, student):
    waiting_since(student, 7)
    today = timezone.localdate()
    assert remind_advisors(today + timedelta(days=2)) == 1
    assert reminders().get().context["waiting_plans"][0]["days"] == 9


def test_no_reminder_again_once_everything_is_decided(advisor, student):
    course_plan = waiting_since(student, 7)
    today = timezone.localdate()
    remind_advisors(today)
    approve_all(course_plan, advisor)
    assert remind_advisors(today + timedelta(days=7)) == 0


def test_an_inactive_advisor_gets_nothing(advisor, student, other_student):
    advisor.is_active = False
    advisor.save(update_fields=["is_active"])
    waiting_since(student, 10)
    waiting_since(other_student, 10)
    assert remind_advisors(timezone.localdate()) == 1
    assert reminders().get().email == "other.advisor@example.org"


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "Reminder: 1 course plan is waiting for your decision"),
        ("fr", None),  # French as the locale files say; the English text is not used for French
    ],
)
def test_the_advisor_reads_it_in_their_language(advisor, student, mailoutbox, language, subject):
    advisor.language = language
    advisor.save(update_fields=["language"])
    waiting_since(student, 7)
    remind_advisors(timezone.localdate())
    notification = reminders().get()
    assert notification.language == language
    delivery.deliver(notification.pk)
    html = mailoutbox[0].alternatives[0][0]
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        expected = str(
            translation.ngettext(
                "Reminder: %(count)d course plan is waiting for your decision",
                "Reminder: %(count)d course plans are waiting for your decision",
                1,
            )
            % {"count": 1}
        )
    assert notification.subject == mailoutbox[0].subject == (subject or expected)


def test_the_reminder_shows_in_the_advisors_notifications(client, advisor, student):
    waiting_since(student, 7)
    remind_advisors(timezone.localdate())
    notification = reminders().get()
    client.force_login(advisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("notifications:list")).content.decode()
    assert "Reminder: 1 course plan is waiting for your decision" in content
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("reviews:advisor_queue")


def reminder_queries(advisors: int, plans_each: int) -> int:
    today = timezone.localdate()
    expected = []
    for _n in range(advisors):
        advisor = UserFactory(role="advisor")
        expected.append(advisor.pk)
        for _m in range(plans_each):
            waiting_since(advisee_of(advisor), 8)
    with CaptureQueriesContext(connection) as queries:
        assert remind_advisors(today) == advisors
    assert sorted(reminders().values_list("recipient", flat=True)) == sorted(expected)
    assert all(len(listed(row)) == plans_each for row in reminders())
    Notification.objects.all().delete()
    CoursePlan.objects.all().delete()
    return len(queries)


def test_the_reminders_cost_as_many_queries_for_one_advisor_as_for_many():
    """All the waiting plans in one query, grouped by advisor; the digests written together."""
    one = reminder_queries(1, 1)
    # The plans, the recent reminders, the write (and its count), and the insert of the
    # plans each digest awaits (settled with the last of them).
    assert one <= 9
    assert reminder_queries(4, 3) == one


def test_send_course_plan_reminders_writes_the_due_reminders_once(advisor, student):
    waiting_since(student, 7)

    def run() -> str:
        out = StringIO()
        with translation.override("en"):
            call_command("send_course_plan_reminders", stdout=out)
        return out.getvalue()

    assert run() == "1 new course plan reminder queued for delivery.\n"
    assert run() == "0 new course plan reminders queued for delivery.\n"
    assert list(reminders().values_list("email", flat=True)) == [advisor.email]


def test_beat_runs_the_reminders_through_a_registered_task(advisor, student):
    import apps.notifications.tasks  # noqa: F401 (what the worker's autodiscovery loads)
    from mobility_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["course-plan-reminders"]
    task = app.tasks[entry["task"]]
    waiting_since(student, 7)
    assert task() == 1
    assert reminders().get().recipient == advisor
