"""A withdrawal committing while a version is published: the withdrawn student's plan must end
under the current version (regulation.py), but plan_follow_current_regulation reads the current
version before (and without) locking the plan, and the publication moves only the plans that
follow the current version in its own snapshot (the application still submitted)."""

import os
import threading
import time
from unittest import mock

import pytest
from django.db import connection

from apps.applications import regulation as regulation_module
from apps.applications import services as student_services
from apps.applications.models import Application, MobilityPlan
from apps.reviews.services.regulations import regulation_publish
from apps.rules.published import current_regulations
from tests.applications.factories import complete_application
from tests.factories import StudentProfileFactory, UserFactory
from tests.reviews.regulations.test_publish_races import figures

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
        reason="row locks need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_plan_withdrawn_during_a_publication_follows_the_new_version():
    dri = UserFactory(role="dri")
    student = StudentProfileFactory().user
    application = complete_application(student)
    student_services.application_submit(actor=student, application=application)
    assert MobilityPlan.objects.get(student=student).regulation == "2024"

    moved = threading.Event()
    go_on = threading.Event()
    errors = {}
    real = regulation_module.plan_follow_current_regulation

    def follow(student_id):
        real(student_id)
        moved.set()  # the application is WITHDRAWN, not committed yet
        go_on.wait(10)

    def withdraw():
        try:
            student_services.application_withdraw(
                actor=student, application=Application.objects.get(pk=application.pk)
            )
        except BaseException as error:  # noqa: BLE001
            errors["withdraw"] = error
        finally:
            connection.close()

    def publish():
        try:
            regulation_publish(
                actor=dri,
                name="2025",
                figures=figures(fise_minimum_weeks=20),
                note="x",
                based_on="2024",
            )
        except BaseException as error:  # noqa: BLE001
            errors["publish"] = error
        finally:
            connection.close()

    with mock.patch("apps.applications.workflow.plan_follow_current_regulation", follow):
        t1 = threading.Thread(target=withdraw)
        t1.start()
        assert moved.wait(10)
        t2 = threading.Thread(target=publish)
        t2.start()
        time.sleep(1.5)
        go_on.set()
        t1.join(30)
        t2.join(30)
    assert not errors, errors
    assert current_regulations(fresh=True).current == "2025"
    # Nothing under way any more: the plan follows the current version.
    assert MobilityPlan.objects.get(student=student).regulation == "2025"
