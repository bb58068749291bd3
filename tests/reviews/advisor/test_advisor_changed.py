"""A student given another study advisor in the admin: the course plans awaiting a decision
move to the new advisor's queue, and the new advisor is told (they moved without a word)."""

import pytest
from django.urls import reverse

from apps.notifications.models import Notification
from tests.reviews.advisor.builders import sent_course_plan

pytestmark = pytest.mark.django_db


def announced_to(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, event="course_plan_to_review").values_list(
            "key", flat=True
        )
    )


def profile_form_data(page) -> dict:
    form = page.context["adminform"].form
    return {
        name: "" if value is None else value
        for name, value in ((name, form[name].value()) for name in form.fields)
    }


def test_the_new_advisor_hears_of_the_course_plans_waiting(
    client, admin_user, student, advisor, other_advisor
):
    waiting = sent_course_plan(student)
    client.force_login(admin_user)
    url = reverse("admin:accounts_studentprofile_change", args=[student.student_profile.pk])
    response = client.post(url, {**profile_form_data(client.get(url)), "advisor": other_advisor.pk})
    assert response.status_code == 302
    assert announced_to(other_advisor) == [
        f"course_plan_to_review:course_plan:{waiting.pk}:sent:{other_advisor.email}"
    ]
    assert announced_to(advisor) == []
    page = client.get(reverse("reviews:advisor_queue"))  # as the admin: not an advisor
    assert page.status_code == 403
    client.force_login(other_advisor)
    queue = client.get(reverse("reviews:advisor_queue"))
    assert list(queue.context["page"]) == [waiting]


def test_nothing_is_announced_when_other_fields_change(client, admin_user, student):
    sent_course_plan(student)
    client.force_login(admin_user)
    url = reverse("admin:accounts_studentprofile_change", args=[student.student_profile.pk])
    client.post(url, {**profile_form_data(client.get(url)), "year": 3})
    assert not Notification.objects.filter(event="course_plan_to_review").exists()


def test_a_decided_course_plan_is_not_announced(client, admin_user, student, other_advisor):
    sent_course_plan(student, status="approved")
    client.force_login(admin_user)
    url = reverse("admin:accounts_studentprofile_change", args=[student.student_profile.pk])
    client.post(url, {**profile_form_data(client.get(url)), "advisor": other_advisor.pk})
    assert announced_to(other_advisor) == []


def test_the_new_advisor_hears_of_a_recognition_due(
    client, admin_user, student, advisor, other_advisor
):
    """The student was back with the transcript and every credit entered: the new advisor's
    page listed the recognition, but nothing told them of it."""
    from tests.reviews.advisor.builders import dossier_abroad, record_all, with_transcript

    application, course_plan = dossier_abroad(student, advisor)
    with_transcript(application)
    record_all(course_plan)
    client.force_login(admin_user)
    url = reverse("admin:accounts_studentprofile_change", args=[student.student_profile.pk])
    response = client.post(url, {**profile_form_data(client.get(url)), "advisor": other_advisor.pk})
    assert response.status_code == 302
    told = Notification.objects.filter(recipient=other_advisor, event="credits_to_recognise")
    assert list(told.values_list("link", flat=True)) == [
        reverse("reviews:return_recognition", args=[course_plan.pk])
    ]


def test_a_changed_track_checks_the_plan_again(client, admin_user, student):
    """Staff lists read the plan's stored verdict: a FISE student made an apprentice (9 weeks
    abroad, not 17) kept the old verdict until the next re-check of every plan."""
    from apps.applications.checking import plan_result
    from apps.applications.models import MobilityPlan
    from tests.applications.plan_helpers import add_activity

    add_activity(student)
    MobilityPlan.objects.filter(student=student).update(checked_at=None, error_count=99)
    client.force_login(admin_user)
    url = reverse("admin:accounts_studentprofile_change", args=[student.student_profile.pk])
    track = "FISEA" if student.student_profile.track == "FISE" else "FISE"
    response = client.post(url, {**profile_form_data(client.get(url)), "track": track})
    assert response.status_code == 302
    plan = MobilityPlan.objects.select_related("student__student_profile").get(student=student)
    assert plan.student.student_profile.track == track
    assert plan.checked_at is not None
    assert plan.error_count == plan_result(plan, plan.activities.all()).error_count != 99
