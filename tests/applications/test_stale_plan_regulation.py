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


def test_the_plan_page_says_what_the_version_it_follows_changes(client, student, dri):
    """A plan moved to a published version showed new errors and 'Regulations version 2025',
    and nothing of what had changed: the DRI's note, written to be shown with it, is."""
    from django.urls import reverse

    from tests.applications.factories import login

    services.plan_for_student(student)
    login(client, student)
    assert "data-regulation-note" not in client.get(reverse("applications:plan")).content.decode()
    regulation_publish(
        actor=dri,
        name="2025",
        figures=figures(semester_minimum_ects=35),
        note="A semester now asks for 35 ECTS.",
        based_on="2024",
    )
    page = client.get(reverse("applications:plan")).content.decode()
    assert "Version 2025 of the regulations, published by the international relations" in page
    assert "A semester now asks for 35 ECTS." in page
