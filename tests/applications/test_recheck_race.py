"""A student's save while the re-check of every plan has read their plan: the run wrote back
the verdict of the activities it had read, over the one the save had just recorded (the plan's
row was not held), so the plan showed the wrong verdict until the next check."""

import os
import threading
from datetime import timedelta

import pytest
from django.db import connection

from apps.applications import checking, tasks
from apps.applications import services as student_services
from apps.applications.checking import plan_result
from apps.applications.models import MobilityPlan, PlanRecheck
from tests.applications.factories import semester_for
from tests.factories import StudentProfileFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
        reason="row locks need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_save_during_the_recheck_keeps_its_verdict(monkeypatch):
    dri = UserFactory(role="dri")
    student = StudentProfileFactory().user
    first = semester_for(student)
    plan = MobilityPlan.objects.get(student=student)
    student_services.plan_recheck(plan)
    before = MobilityPlan.objects.get(pk=plan.pk).qualifying_days

    read = threading.Event()
    go_on = threading.Event()
    real = checking.plan_result

    def slow(*args, **kwargs):
        result = real(*args, **kwargs)
        read.set()  # the run has read the plan's activities, not written the verdict yet
        go_on.wait(10)
        return result

    errors = {}

    def add_a_semester():
        try:
            student_services.activity_create(
                actor=student,
                plan=MobilityPlan.objects.get(pk=plan.pk),
                fields={
                    "kind": first.kind,
                    "start": first.end + timedelta(days=30),
                    "end": first.end + timedelta(days=180),
                    "host_name": "Another University",
                    "country": "ES",
                    "ects": 30,
                },
            )
        except BaseException as error:  # noqa: BLE001
            errors["save"] = error
        finally:
            connection.close()

    run = PlanRecheck.objects.create(started_by=dri)

    def recheck():
        try:
            tasks.plan_recheck_run(recheck_id=run.pk)
        except BaseException as error:  # noqa: BLE001
            errors["recheck"] = error
        finally:
            connection.close()

    monkeypatch.setattr(checking, "plan_result", slow)
    runner = threading.Thread(target=recheck)
    runner.start()
    assert read.wait(10)
    monkeypatch.setattr(checking, "plan_result", real)
    saver = threading.Thread(target=add_a_semester)
    saver.start()
    saver.join(1.5)  # commits at once when the run holds nothing
    go_on.set()
    runner.join(10)
    saver.join(10)
    assert not errors

    stored = MobilityPlan.objects.get(pk=plan.pk)
    expected = plan_result(stored, stored.activities.all())
    assert stored.activities.count() == 2
    assert stored.qualifying_days != before
    assert stored.qualifying_days == expected.result.qualifying_days
