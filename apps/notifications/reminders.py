"""Deadline reminders: a student whose draft application waits to be submitted hears 7 days and
1 day before the call closes (on the closing day itself when the eve's run was missed). An
application sent back for changes is not bound by the deadline (services.submission_readiness):
its student heard of the request itself. A run that did not happen is caught up by the next
one; each reminder's key makes it at most once per deadline, however often the runs come.

Course plans waiting for their advisor: a study advisor whose current advisees' course plans
have waited COURSE_PLAN_REMINDER_DAYS days or more for their decision gets one digest listing
them, and another after as many days if plans still wait (the advisor was told of each plan
when it was sent; nobody should have to chase them after that). A digest asks for the decision
on each plan it lists, and is done once every one is done (decided, replaced, or left out of
the advisor's queue by a nomination): see `events.course_plans_waiting_announcement`."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.applications.models import ApplicationState, CoursePlan
from apps.programmes.models import Call
from apps.reviews.selectors_advisor import course_plans_awaiting_advisors

from .events import (
    CALL_CLOSING,
    COURSE_PLANS_WAITING,
    announce_call_closing,
    course_plans_waiting_announcement,
)
from .models import Notification
from .outbox import queue_all

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


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def remind_advisors(today: date) -> int:
    """Write the digests due on `today` to the advisors whose course plans have waited long
    enough; returns how many were new. All the waiting plans are read in one query, then
    grouped by advisor: the same queries for one advisor as for many."""
    interval = max(1, settings.COURSE_PLAN_REMINDER_DAYS)
    # The `interval` days ending today: a plan sent before them has waited `interval` days or
    # more; an advisor reminded during them is not reminded again yet.
    window_start = start_of(today - timedelta(days=interval - 1))
    waiting: dict[int, list[tuple[CoursePlan, int]]] = defaultdict(list)
    advisors: dict[int, User] = {}
    for course_plan in (
        course_plans_awaiting_advisors()
        .filter(
            sent_at__lt=window_start,
            activity__plan__student__student_profile__advisor__is_active=True,
        )
        .select_related("activity__plan__student__student_profile__advisor")
        .order_by("sent_at", "pk")
    ):
        advisor = course_plan.activity.plan.student.student_profile.advisor
        advisors[advisor.pk] = advisor
        days = (today - timezone.localdate(course_plan.sent_at)).days
        waiting[advisor.pk].append((course_plan, days))
    if not waiting:
        return 0
    reminders = Notification.objects.filter(event=COURSE_PLANS_WAITING.name)
    reminded = set(
        reminders.filter(created_at__gte=window_start).values_list("recipient_id", flat=True)
    )
    due = [pk for pk in waiting if pk not in reminded]
    if not due:
        return 0
    before = reminders.count()
    with transaction.atomic():
        queue_all(
            course_plans_waiting_announcement(advisors[pk], waiting[pk], reminded_on=today)
            for pk in due
        )
    return reminders.count() - before
