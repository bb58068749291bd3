"""The re-check of every stored plan: who may start it, one at a time, chunk by chunk with its
progress, and what a failure or a task delivered twice leaves behind."""

from datetime import timedelta

import pytest
from django.utils import translation

from apps.applications import tasks
from apps.applications.errors import ServiceError
from apps.applications.models import MobilityPlan, PlanRecheck, PlanRecheckStatus
from apps.rules import BUILT_IN
from tests.factories import StudentProfileFactory
from tests.scale.recheck_helpers import active_run, run_in, stale_verdicts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Refusal messages are read in English here, whatever translations exist."""
    with translation.override("en"):
        yield


def test_start_queues_the_task_once_committed(dri, student, django_capture_on_commit_callbacks):
    stale_verdicts(student)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = tasks.plan_recheck_start(actor=dri)
    assert run.status == PlanRecheckStatus.QUEUED
    assert run.started_by == dri
    run.refresh_from_db()
    assert run.status == PlanRecheckStatus.QUEUED  # nothing runs before the commit
    for callback in callbacks:  # the task, and the cache's own bookkeeping
        callback()  # eager Celery: the task runs here
    run.refresh_from_db()
    assert (run.status, run.total, run.checked, run.compliant) == (PlanRecheckStatus.DONE, 1, 1, 0)


@pytest.mark.parametrize("persona", ["student", "advisor", "dfi"])
def test_only_the_dri_starts_it(request, persona):
    with pytest.raises(ServiceError, match="international relations office"):
        tasks.plan_recheck_start(actor=request.getfixturevalue(persona))
    assert not PlanRecheck.objects.exists()


def test_refused_while_another_run_makes_progress(dri, admin_user):
    running = active_run(admin_user)
    with pytest.raises(ServiceError, match="4 of 10"):
        tasks.plan_recheck_start(actor=dri)
    assert list(PlanRecheck.objects.all()) == [running]


def test_a_run_that_stopped_moving_is_failed_and_replaced(dri, django_capture_on_commit_callbacks):
    dead = run_in(PlanRecheckStatus.RUNNING, started_by=dri, idle=timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=False):
        fresh = tasks.plan_recheck_start(actor=dri)
    dead.refresh_from_db()
    assert dead.status == PlanRecheckStatus.FAILED
    assert dead.finished_at is not None
    assert fresh.status == PlanRecheckStatus.QUEUED


def test_run_goes_chunk_by_chunk_and_records_each(
    dri, student, other_student, monkeypatch, django_assert_max_num_queries
):
    stale_verdicts(student, other_student)
    monkeypatch.setattr(tasks, "RECHECK_CHUNK", 1)
    run = PlanRecheck.objects.create(started_by=dri)
    # Ids, start, the published regulation versions (once per run); per chunk of one plan: its
    # savepoint, the plans with their profiles, their activities, the verdict, the progress,
    # the savepoint's release; done.
    with django_assert_max_num_queries(3 + 2 * 6 + 1):
        tasks.plan_recheck_run(recheck_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.total, run.checked, run.with_errors, run.invalid) == (
        PlanRecheckStatus.DONE,
        2,
        2,
        2,
        0,
    )
    assert run.percent == 100
    assert run.seconds is not None
    assert set(MobilityPlan.objects.values_list("error_count", flat=True)) == {2}
    assert not MobilityPlan.objects.filter(checked_at__isnull=True).exists()


def test_a_chunk_writes_its_verdicts_in_one_statement(dri, student, other_student, advisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    third = StudentProfileFactory(advisor=advisor).user
    stale_verdicts(student, other_student, third)
    run = PlanRecheck.objects.create(started_by=dri)
    with CaptureQueriesContext(connection) as queries:
        tasks.plan_recheck_run(recheck_id=run.pk)
    writes = [
        q["sql"] for q in queries if q["sql"].startswith('UPDATE "applications_mobilityplan"')
    ]
    assert len(writes) == 1
    assert set(MobilityPlan.objects.values_list("error_count", flat=True)) == {2}


def test_plans_invalid_under_their_regulation_are_counted(dri, student):
    stale_verdicts(student)
    MobilityPlan.objects.update(regulation="1999")
    run = PlanRecheck.objects.create(started_by=dri)
    tasks.plan_recheck_run(recheck_id=run.pk)
    run.refresh_from_db()
    assert (run.checked, run.invalid, run.with_errors) == (1, 1, 0)


def test_a_task_delivered_twice_runs_once(dri, student):
    stale_verdicts(student)
    run = run_in(PlanRecheckStatus.DONE, started_by=dri)
    tasks.recheck_all_plans(run.pk)
    run.refresh_from_db()
    assert (run.status, run.checked) == (PlanRecheckStatus.DONE, 4)
    assert MobilityPlan.objects.get().checked_at is None


def test_a_failure_marks_the_run_failed(dri, student, monkeypatch):
    stale_verdicts(student)

    def broken(plans, regulations):
        raise RuntimeError("engine down")
        yield  # a generator, like recheck_plans

    monkeypatch.setattr(tasks, "recheck_plans", broken)
    run = PlanRecheck.objects.create(started_by=dri)
    with pytest.raises(RuntimeError):
        tasks.plan_recheck_run(recheck_id=run.pk)
    run.refresh_from_db()
    assert run.status == PlanRecheckStatus.FAILED
    assert run.finished_at is not None


def test_the_command_streams_plans_and_writes_each_batch_before_handing_it_on(
    student, other_student, advisor, monkeypatch
):
    from apps.applications import checking

    third = StudentProfileFactory(advisor=advisor).user
    stale_verdicts(student, other_student, third)
    monkeypatch.setattr(checking, "VERDICT_BATCH", 2)
    plans = MobilityPlan.objects.order_by("pk").prefetch_related("activities")
    rechecked = checking.recheck_plans(plans.iterator(chunk_size=2), BUILT_IN)
    first, _check = next(rechecked)
    assert MobilityPlan.objects.filter(checked_at__isnull=False).count() == 2
    assert MobilityPlan.objects.get(pk=first.pk).error_count == 2
    assert len(list(rechecked)) == 2
    assert not MobilityPlan.objects.filter(checked_at__isnull=True).exists()
