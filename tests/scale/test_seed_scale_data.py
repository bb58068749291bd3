"""What `seed_scale` makes holds together the way the portal's own services would have made it:
verdicts and snapshots from the engine, histories along the workflow, consistent course plans
and notifications."""

from collections import defaultdict

import pytest
from django.db.models import Count
from django.urls import reverse

from apps.applications.checking import recheck_plans
from apps.applications.models import (
    Application,
    ApplicationState,
    Choice,
    CoursePlan,
    CoursePlanStatus,
    MobilityPlan,
    Transition,
)
from apps.applications.scale_data import (
    NOMINATED_ONWARDS,
    SCALE_PASSWORD,
    path_is_allowed,
    student_email,
)
from apps.applications.services import REQUIRED_DOCUMENTS, course_plan_status_for, plan_snapshot
from apps.notifications.models import Notification
from apps.programmes.models import Call
from apps.rules import BUILT_IN

SCALE_STUDENTS = 1500
S = ApplicationState

pytestmark = pytest.mark.usefixtures("scale_world")


def test_every_state_is_there_and_drafts_only_in_the_open_call(db, scale_world):
    states = dict(Application.objects.values_list("state").annotate(count=Count("pk")))
    assert set(states) == set(S.values)
    assert sum(states.values()) == scale_world.counts["Applications"]
    open_call = Call.objects.order_by("-academic_year").first()
    assert not Application.objects.filter(state=S.DRAFT).exclude(call=open_call).exists()
    assert MobilityPlan.objects.count() == SCALE_STUDENTS


def test_plans_have_one_to_four_activities(db):
    sizes = set(
        MobilityPlan.objects.annotate(size=Count("activities")).values_list("size", flat=True)
    )
    assert sizes <= {1, 2, 3, 4}
    assert {1, 4} <= sizes


def test_cached_verdicts_are_the_engines(db):
    plans = MobilityPlan.objects.select_related("student__student_profile").prefetch_related(
        "activities"
    )[:300]
    cached = {plan.pk: (plan.compliant, plan.error_count, plan.qualifying_days) for plan in plans}
    rechecked = {
        plan.pk: (plan.compliant, plan.error_count, plan.qualifying_days)
        for plan, _check in recheck_plans(plans, BUILT_IN)
    }
    assert rechecked == cached
    assert {compliant for compliant, _errors, _days in cached.values()} == {True, False}


def test_snapshots_are_what_submission_freezes(db):
    submitted = Application.objects.filter(submitted_at__isnull=False).select_related(
        "student__mobility_plan__student__student_profile"
    )[:25]
    for application in submitted:
        assert application.snapshot == plan_snapshot(application.student.mobility_plan)


def test_histories_follow_the_workflow_to_the_current_state(db):
    paths = defaultdict(list)
    for application_id, to_state in Transition.objects.order_by("at", "pk").values_list(
        "application_id", "to_state"
    ):
        paths[application_id].append(to_state)
    for pk, state in Application.objects.values_list("pk", "state"):
        path = tuple(paths[pk])
        assert path_is_allowed(path), path
        assert (path[-1] if path else S.DRAFT) == state


def test_nominated_choice_is_one_of_the_applications_own(db):
    for application in Application.objects.select_related("nominated_choice"):
        if application.state in NOMINATED_ONWARDS:
            assert application.nominated_choice.application_id == application.pk
        else:
            assert application.nominated_choice is None


def test_submitted_applications_carry_their_documents(db):
    for application in Application.objects.filter(submitted_at__isnull=False).prefetch_related(
        "documents", "choices__activity"
    )[:300]:
        kinds = {document.kind for document in application.documents.all()}
        activity = application.choices.all()[0].activity
        assert kinds == set(REQUIRED_DOCUMENTS[activity.kind])


def test_course_plan_status_follows_its_lines(db):
    sent = CoursePlan.objects.exclude(status=CoursePlanStatus.DRAFT).prefetch_related("lines")
    for course_plan in sent:
        decisions = [line.decision for line in course_plan.lines.all()]
        assert course_plan_status_for(decisions) == course_plan.status


def test_choices_are_study_stays_of_the_students_plan(db):
    for choice in Choice.objects.select_related("activity__plan", "application", "agreement")[:500]:
        assert choice.activity.plan.student_id == choice.application.student_id
        assert choice.activity.is_study


def test_notifications_name_what_they_announce(db):
    rows = Notification.objects.all()
    assert rows.count() == Notification.objects.values("key").distinct().count()
    assert not rows.filter(subject="").exists()
    assert rows.filter(read_at__isnull=False).count() > rows.count() / 2


def test_notifications_read_in_the_readers_language(db):
    """The rows held only the recipient's subject: the bell's list of a student writing in
    English read "Your application to ...: nominated" on French pages."""
    rows = Notification.objects.filter(language="en", event="application_decision")
    assert rows.exists()
    for row in rows[:50]:
        assert row.subjects["en"] == row.subject
        assert row.subjects["fr"].startswith("Votre candidature")
    assert not Notification.objects.exclude(subjects__has_keys=["fr", "en"]).exists()


def test_personas_log_in_with_the_demo_password(client, db):
    response = client.post(
        reverse("login"), {"username": student_email(0), "password": SCALE_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("applications:dashboard")).status_code == 200
