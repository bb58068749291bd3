"""Re-checking every stored plan in the background, with its progress for staff.

After a regulation change the DRI asks for a re-check on the operations page
(`plan_recheck_start`); a Celery worker runs it (`recheck_all_plans`) chunk by chunk, each chunk
through `checking.recheck_plans` in one transaction that ends with one progress update, so the
page shows how far it got. Without a broker (the embedded default) the task runs in the request.

A student whose plan follows a version published from the portal, and met the rules until this
check under it, is told in the chunk's transaction (`announce_plans_now_failing`: one write per
chunk, and once per student and version, however often the plans are checked again).
"""

import logging

from celery import shared_task
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.notifications.events import announce_plans_now_failing
from apps.rules import VERSIONS
from apps.rules.published import current_regulations
from mobility_portal.storage_sweep import delete_orphan_files as sweep_orphan_files

from .checking import recheck_plans
from .errors import ServiceError
from .models import Activity, MobilityPlan, PlanRecheck, PlanRecheckStatus

RECHECK_CHUNK = 500
ACTIVE = (PlanRecheckStatus.QUEUED, PlanRecheckStatus.RUNNING)
logger = logging.getLogger(__name__)


@transaction.atomic
def plan_recheck_start(*, actor: User) -> PlanRecheck:
    """Queue a re-check of every stored plan, once the transaction commits; refused while
    another one is still making progress."""
    if not user_can(actor, Capability.REVIEW_APPLICATIONS):
        raise ServiceError(_("Only the international relations office re-checks every plan."))
    # Locking the latest run makes two simultaneous starts queue one after the other.
    latest = PlanRecheck.objects.select_for_update().order_by("-pk").first()
    if latest is not None and latest.is_active:
        if latest.is_moving:
            raise ServiceError(
                _("A re-check of every plan is already running: %(checked)s of %(total)s done.")
                % {"checked": latest.checked, "total": latest.total}
            )
        latest.status = PlanRecheckStatus.FAILED
        latest.finished_at = timezone.now()
        latest.save(update_fields=["status", "finished_at", "updated_at"])
    recheck = PlanRecheck.objects.create(started_by=actor)
    transaction.on_commit(lambda: _hand_over(recheck.pk))
    return recheck


def _hand_over(recheck_id: int) -> None:
    """Give the run to the workers; a broker that cannot take it fails the run at once, which
    the page says, instead of a run queued for ever (and a 500)."""
    try:
        recheck_all_plans.delay(recheck_id)
    except Exception as error:  # kombu raises several kinds when the broker is away
        logger.warning("plan re-check %s not handed to the workers: %s", recheck_id, error)
        PlanRecheck.objects.filter(pk=recheck_id, status=PlanRecheckStatus.QUEUED).update(
            status=PlanRecheckStatus.FAILED, finished_at=timezone.now(), updated_at=timezone.now()
        )


def plan_recheck_run(*, recheck_id: int) -> None:
    """Re-check every plan, RECHECK_CHUNK at a time, recording the progress after each chunk.
    A run that is no longer queued (a task delivered twice) is left alone."""
    started = PlanRecheck.objects.filter(pk=recheck_id, status=PlanRecheckStatus.QUEUED)
    plan_ids = list(MobilityPlan.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    if not started.update(
        status=PlanRecheckStatus.RUNNING, total=len(plan_ids), started_at=now, updated_at=now
    ):
        return
    plans = MobilityPlan.objects.select_related("student__student_profile").prefetch_related(
        Prefetch("activities", queryset=Activity.objects.select_related("partner"))
    )
    run = PlanRecheck.objects.filter(pk=recheck_id)
    # One set of versions for the whole run, as committed: a version published a moment ago
    # may not have reached the cache yet.
    regulations = current_regulations(fresh=True)
    # A built-in version was never published from the portal: nobody is told of it.
    published = None if regulations.current in VERSIONS else regulations.current
    try:
        for offset in range(0, len(plan_ids), RECHECK_CHUNK):
            chunk = plan_ids[offset : offset + RECHECK_CHUNK]
            checked = compliant = invalid = 0
            with transaction.atomic():
                # The chunk's rows held until its verdicts are written: a student's save
                # meanwhile (which checks the plan under its row lock) waits, rather than see
                # its verdict overwritten by one of the activities read before it.
                rows = list(
                    plans.filter(pk__in=chunk).select_for_update(of=("self",)).order_by("pk")
                )
                passed = {plan.pk for plan in rows if _met_the_rules(plan, published)}
                now_failing = []
                for plan, check in recheck_plans(rows, regulations):
                    checked += 1
                    compliant += check.compliant
                    invalid += not check.valid
                    if plan.pk in passed and not check.compliant:
                        now_failing.append(plan.student)
                if published is not None:
                    announce_plans_now_failing(version=published, students=now_failing)
                run.update(
                    checked=F("checked") + checked,
                    compliant=F("compliant") + compliant,
                    invalid=F("invalid") + invalid,
                    newly_failing=F("newly_failing") + len(now_failing),
                    updated_at=timezone.now(),
                )
    except Exception:
        _finish(run, PlanRecheckStatus.FAILED)
        raise
    _finish(run, PlanRecheckStatus.DONE)


def _met_the_rules(plan: MobilityPlan, published: str | None) -> bool:
    """Whether the plan follows the version published from the portal and its stored verdict,
    from its last check (under that version or the one it followed before), had no rule error.
    A plan never checked has no verdict to lose; one that keeps an older version (an application
    under way) is judged as before."""
    return (
        published is not None
        and plan.regulation == published
        and plan.checked_at is not None
        and plan.compliant
    )


def _finish(run, status: str) -> None:
    now = timezone.now()
    run.update(status=status, finished_at=now, updated_at=now)


@shared_task(name="apps.applications.tasks.recheck_all_plans", ignore_result=True)
def recheck_all_plans(recheck_id: int) -> None:
    plan_recheck_run(recheck_id=recheck_id)


@shared_task(name="apps.applications.tasks.delete_orphan_files", ignore_result=True)
def delete_orphan_files() -> int:
    """Daily: the files a rolled-back transaction left (mobility_portal/storage_sweep.py)."""
    return sweep_orphan_files().deleted
