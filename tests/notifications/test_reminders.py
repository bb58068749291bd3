from datetime import timedelta

import pytest
from django.utils import timezone

from apps.applications.models import Application, ApplicationState
from apps.notifications.models import Notification
from apps.notifications.reminders import remind_closing_calls
from tests.factories import CallFactory


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "expected"), [(7, 1), (1, 1), (3, 0)])
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
