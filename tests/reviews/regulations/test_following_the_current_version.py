"""After a publication: students whose plans follow the new version keep working, a plan
follows the current version once nothing is under way, and what each step reads is the
version as committed, not as a cache kept it."""

import json
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from apps.applications.models import Activity, ApplicationState, MobilityPlan
from apps.applications.services import application_withdraw, plan_for_student
from apps.rules import VERSIONS
from apps.rules.models import PublishedRegulation
from apps.rules.published import current_regulations, regulations_for, version_named
from apps.rules.versions import PARAMETERS
from tests.applications.factories import draft_with_choice, login, messages_of
from tests.applications.plan_helpers import activity_post_data, add_activity
from tests.factories import StudentProfileFactory, UserFactory
from tests.reviews.regulations.test_publish import PUBLISH, form_data, publish
from tests.rules.test_check_plan_command import REPOSITORY

pytestmark = pytest.mark.django_db

NEXT_YEAR = {"start": "2028-09-01", "end": "2029-01-31"}


def test_a_student_whose_plan_moved_adds_and_edits_activities(client, dri, student):
    activity = add_activity(student)
    publish(login(client, dri))
    assert MobilityPlan.objects.get(student=student).regulation == "2025"
    login(client, student)
    added = client.post(reverse("applications:activity_add"), activity_post_data(**NEXT_YEAR))
    assert added.status_code == 302
    edited = client.post(
        reverse("applications:activity_edit", args=[activity.pk]), activity_post_data(ects=28)
    )
    assert edited.status_code == 302
    assert Activity.objects.filter(plan__student=student).count() == 2


def test_a_new_student_after_publishing_works_under_the_new_version(client, dri):
    publish(login(client, dri))
    newcomer = StudentProfileFactory().user
    login(client, newcomer)
    response = client.post(reverse("applications:activity_add"), activity_post_data(ects=28))
    assert response.status_code == 302
    assert MobilityPlan.objects.get(student=newcomer).regulation == "2025"


def test_the_live_check_of_a_moved_plan_shows_its_findings(client, dri, student):
    add_activity(student)
    publish(login(client, dri))
    login(client, student)
    response = client.post(
        reverse("applications:plan_live_check"), activity_post_data(ects=28, **NEXT_YEAR)
    )
    assert response.status_code == 200
    assert "unknown regulation" not in response.content.decode()
    assert response.context["check"].valid


def test_a_plan_whose_application_ends_follows_the_current_version(client, dri):
    """Kept under 2024 while submitted; withdrawn, it has nothing under way and follows 2025,
    with its verdict checked anew."""
    keeper = StudentProfileFactory().user
    application = draft_with_choice(keeper, ects=28)
    application.state = ApplicationState.SUBMITTED
    application.save()
    publish(login(client, dri))
    assert MobilityPlan.objects.get(student=keeper).regulation == "2024"
    application_withdraw(actor=keeper, application=application)
    plan = plan_for_student(keeper)
    assert plan.regulation == "2025"
    assert plan.checked_at is not None and plan.error_count == 0  # 28 ECTS now enough


def test_a_confirmation_compared_with_an_older_version_is_compared_again(client, dri):
    """A colleague published 2025 (20 weeks abroad) while this DRI was confirming 'what
    changes from 2024': nothing is published, the comparison is shown again with 2025."""
    login(client, dri)
    assert client.post(PUBLISH, form_data(name="2026")).context["current"].name == "2024"
    publish(login(Client(), UserFactory(role="dri")), fise_minimum_weeks=20)
    PublishedRegulation.objects.update(plans_moved=0)
    from apps.applications.models import PlanRecheck, PlanRecheckStatus

    PlanRecheck.objects.update(status=PlanRecheckStatus.DONE)  # the colleague's run is over

    response = client.post(PUBLISH, {**form_data(name="2026"), "confirmed": "yes"})

    assert response.status_code == 409
    assert not PublishedRegulation.objects.filter(name="2026").exists()
    assert response.context["current"].name == "2025"
    assert ("Time abroad required of a student (FISE), in weeks", 20, 17) in response.context[
        "changes"
    ]
    assert "Version 2025 was published meanwhile" in messages_of(response)[-1]
    assert 'name="based_on" value="2025"' in response.content.decode()


def test_a_version_missing_from_a_stale_cache_is_read_from_the_database(dri, monkeypatch):
    """Another process without a shared cache, or a value read while the publication was
    committing: versions are only ever added, so a missing one is looked for again."""
    from apps.rules import published

    figures = {parameter: getattr(VERSIONS["2024"], parameter) for parameter in PARAMETERS}
    PublishedRegulation.objects.create(
        name="2025", figures=figures | {"semester_minimum_ects": 27}, note="x", published_by=dri
    )
    monkeypatch.setattr(published, "_published", lambda: ())  # what a stale cache still says
    assert current_regulations().current == "2024"
    assert "2025" in regulations_for("2025").versions
    assert version_named("2025").semester_minimum_ects == 27


def test_check_plan_creates_no_database_file(tmp_path):
    """A fresh checkout: the command checks the plan and leaves no db.sqlite3 behind."""
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps({"student": {"track": "FISE", "year": 2}, "activities": []}), encoding="utf-8"
    )
    database = tmp_path / "never.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "check_plan", str(plan), "--lang", "en"],
        cwd=REPOSITORY,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (1, "")
    assert json.loads(result.stdout)["regulation"] == "2024"
    assert not database.exists()
