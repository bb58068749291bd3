"""Plans whose cached verdict is out of date, and re-check runs in a given state."""

from datetime import timedelta

from django.utils import timezone

from apps.applications.models import MobilityPlan, PlanRecheck, PlanRecheckStatus
from tests.applications.plan_helpers import add_activity


def stale_verdicts(*students) -> None:
    """One plan per student, with two errors (a semester of 25 ECTS, no engineering internship),
    cached as compliant and never checked."""
    for student in students:
        add_activity(student, ects=25)
    MobilityPlan.objects.update(compliant=True, error_count=0, checked_at=None)


def run_in(status: str, *, started_by, idle: timedelta = timedelta()) -> PlanRecheck:
    """A run in `status` whose progress last moved `idle` ago."""
    run = PlanRecheck.objects.create(started_by=started_by, status=status, total=10, checked=4)
    PlanRecheck.objects.filter(pk=run.pk).update(updated_at=timezone.now() - idle)
    run.refresh_from_db()
    return run


def active_run(started_by) -> PlanRecheck:
    return run_in(PlanRecheckStatus.RUNNING, started_by=started_by)
