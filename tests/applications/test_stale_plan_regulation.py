"""activity_create locks the plan row (_lock_plan_of) but keeps checking the plan object the view
loaded before the lock: a publication committed in between (the very wait the lock creates)
moved the plan to the new version, yet the verdict is computed and stored under the version the
stale object names (sequential here; on PostgreSQL the create waits on the publication's lock)."""

import pytest

from apps.applications import services
from apps.applications.models import MobilityPlan
from apps.reviews.services.regulations import regulation_publish
from tests.applications.plan_helpers import SEMESTER
from tests.reviews.regulations.test_publish_races import figures

pytestmark = pytest.mark.django_db


def test_the_verdict_follows_the_version_the_locked_plan_names(student, dri):
    plan = services.plan_for_student(student)  # the view's object, version 2024
    regulation_publish(
        actor=dri,
        name="2025",
        figures=figures(semester_minimum_ects=60),
        note="x",
        based_on="2024",
    )
    assert MobilityPlan.objects.get(pk=plan.pk).regulation == "2025"
    services.activity_create(actor=student, plan=plan, fields=dict(SEMESTER))  # 30 ECTS
    stored = MobilityPlan.objects.get(pk=plan.pk)
    expected = services.plan_result(stored, stored.activities.all())
    assert "SEMESTER_ECTS" in [f.rule for f in expected.result.findings]
    assert stored.error_count == expected.error_count
