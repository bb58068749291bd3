"""Deadline reminders: students with a draft application hear 7 days and 1 day before a call
closes. Each reminder's key makes a second run on the same day write nothing new."""

from datetime import date, timedelta

from django.db import transaction

from apps.accounts.models import User
from apps.applications.models import ApplicationState
from apps.programmes.models import Call

from .events import announce_call_closing

REMINDER_DAYS = (7, 1)


def remind_closing_calls(today: date) -> int:
    sent = 0
    for days in REMINDER_DAYS:
        for call in Call.objects.filter(closes_on=today + timedelta(days=days)):
            students = list(
                User.objects.filter(
                    applications__call=call, applications__state=ApplicationState.DRAFT
                ).distinct()
            )
            with transaction.atomic():
                announce_call_closing(call, days, students)
            sent += len(students)
    return sent
