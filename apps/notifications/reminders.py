"""Deadline reminders: a student whose draft application waits to be submitted hears 7 days and
1 day before the call closes (on the closing day itself when the eve's run was missed). An
application sent back for changes is not bound by the deadline (services.submission_readiness):
its student heard of the request itself. A run that did not happen is caught up by the next
one; each reminder's key makes it at most once per deadline, however often the runs come."""

from datetime import date, timedelta

from django.db import transaction

from apps.accounts.models import User
from apps.applications.models import ApplicationState
from apps.programmes.models import Call

from .events import CALL_CLOSING, announce_call_closing
from .models import Notification

REMINDER_DAYS = (7, 1)
AWAITING_SUBMISSION = (ApplicationState.DRAFT,)


def reminder_due(days_left: int) -> int:
    """The reminder whose window a call closing in `days_left` days (0 to 7) is in: the one
    with the fewest days still at least `days_left`. Five days before, the 7-day one (still
    owed if its run was missed); one day before, the 1-day one only; on the closing day, the
    1-day one if the eve's run was missed (the call is open until that day's end)."""
    return min(days for days in REMINDER_DAYS if days >= days_left)


def remind_closing_calls(today: date) -> int:
    """Write the reminders due on `today`; returns how many were new."""
    reminders = Notification.objects.filter(event=CALL_CLOSING.name)
    before = reminders.count()
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    for call in Call.objects.filter(closes_on__gte=today, closes_on__lte=horizon):
        days_left = (call.closes_on - today).days
        students = list(
            User.objects.filter(
                is_active=True,
                applications__call=call,
                applications__state__in=AWAITING_SUBMISSION,
            ).distinct()
        )
        with transaction.atomic():
            announce_call_closing(
                call, reminder=reminder_due(days_left), days_left=days_left, students=students
            )
    return reminders.count() - before
