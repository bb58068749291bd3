import re
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.applications.models import Application, ApplicationState
from apps.notifications.models import Notification
from apps.notifications.reminders import remind_closing_calls
from tests.factories import CallFactory


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "expected"), [(7, 1), (1, 1), (8, 0), (0, 1), (-1, 0)])
def test_students_with_a_draft_hear_7_and_1_days_before(student, other_student, days, expected):
    today = timezone.localdate()
    call = CallFactory(closes_on=today + timedelta(days=days))
    Application.objects.create(student=student, call=call)
    Application.objects.create(student=other_student, call=call, state=ApplicationState.SUBMITTED)
    assert remind_closing_calls(today) == expected
    assert list(Notification.objects.values_list("email", flat=True)) == [student.email] * expected


@pytest.mark.django_db
def test_a_second_run_the_same_day_sends_nothing_new(student):
    today = timezone.localdate()
    call = CallFactory(closes_on=today + timedelta(days=7))
    Application.objects.create(student=student, call=call)
    remind_closing_calls(today)
    remind_closing_calls(today)
    assert Notification.objects.count() == 1


def reminders_written() -> list[tuple[str, int]]:
    """(which reminder, days it announced) for every reminder row, oldest first."""
    rows = Notification.objects.filter(event="call_closing").order_by("pk")
    return [(re.search(r":(\d+d):", row.key).group(1), row.context["days"]) for row in rows]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (8, []),
        (7, [("7d", 7)]),
        (6, [("7d", 6)]),
        (2, [("7d", 2)]),
        (1, [("1d", 1)]),
        (0, [("1d", 0)]),  # the eve's run was missed: the call is open until tonight
        (-1, []),
    ],
)
def test_the_due_reminder_is_the_closest_one_not_yet_past(student, days_left, expected):
    today = timezone.localdate()
    Application.objects.create(
        student=student, call=CallFactory(closes_on=today + timedelta(days=days_left))
    )
    remind_closing_calls(today)
    assert reminders_written() == expected


@pytest.mark.django_db
def test_daily_runs_send_each_reminder_once(student):
    closes_on = timezone.localdate() + timedelta(days=10)
    Application.objects.create(student=student, call=CallFactory(closes_on=closes_on))
    for days_left in range(10, -2, -1):
        remind_closing_calls(closes_on - timedelta(days=days_left))
    assert reminders_written() == [("7d", 7), ("1d", 1)]


@pytest.mark.django_db
def test_a_missed_run_is_caught_up_by_the_next(student):
    closes_on = timezone.localdate() + timedelta(days=10)
    Application.objects.create(student=student, call=CallFactory(closes_on=closes_on))
    assert remind_closing_calls(closes_on - timedelta(days=5)) == 1
    assert remind_closing_calls(closes_on - timedelta(days=4)) == 0
    assert reminders_written() == [("7d", 5)]


@pytest.mark.django_db
def test_the_day_before_after_missed_runs_sends_only_the_1_day_reminder(student):
    closes_on = timezone.localdate() + timedelta(days=10)
    Application.objects.create(student=student, call=CallFactory(closes_on=closes_on))
    assert remind_closing_calls(closes_on - timedelta(days=1)) == 1
    assert reminders_written() == [("1d", 1)]


@pytest.mark.django_db
def test_a_moved_deadline_gets_its_own_reminders_and_a_restored_one_none_again(student):
    today = timezone.localdate()
    call = CallFactory(closes_on=today + timedelta(days=7))
    Application.objects.create(student=student, call=call)
    remind_closing_calls(today)
    call.closes_on = today + timedelta(days=17)
    call.save()
    assert remind_closing_calls(today + timedelta(days=10)) == 1
    assert reminders_written() == [("7d", 7), ("7d", 7)]
    call.closes_on = today + timedelta(days=7)
    call.save()
    assert remind_closing_calls(today) == 0
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_only_drafts_are_reminded(student, other_student):
    """An application sent back for changes can be submitted again after the deadline: telling
    its student that it cannot would be false."""
    today = timezone.localdate()
    call = CallFactory(closes_on=today + timedelta(days=1))
    Application.objects.create(student=student, call=call, state=ApplicationState.DRAFT)
    Application.objects.create(
        student=other_student, call=call, state=ApplicationState.CHANGES_REQUESTED
    )
    assert remind_closing_calls(today) == 1
    assert list(Notification.objects.values_list("email", flat=True)) == [student.email]


@pytest.mark.django_db
def test_a_deactivated_student_is_not_reminded(student):
    today = timezone.localdate()
    Application.objects.create(
        student=student, call=CallFactory(closes_on=today + timedelta(days=1))
    )
    student.is_active = False
    student.save()
    assert remind_closing_calls(today) == 0
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_a_missed_eve_is_caught_up_on_the_closing_day_saying_today(student, mailoutbox):
    from apps.notifications.delivery import deliver

    student.language = "en"
    student.save()
    closes_on = timezone.localdate() + timedelta(days=10)
    call = CallFactory(closes_on=closes_on)
    Application.objects.create(student=student, call=call)
    remind_closing_calls(closes_on - timedelta(days=7))
    assert remind_closing_calls(closes_on) == 1
    assert remind_closing_calls(closes_on) == 0
    assert reminders_written() == [("7d", 7), ("1d", 0)]
    today = Notification.objects.get(key__contains=":1d:")
    assert today.subject == f"The call {call} closes today"
    deliver(today.pk)
    assert "and the call closes today." in mailoutbox[-1].body
