"""The Django admin shows plans and applications but changes none: a nomination, a score or a
course plan changed there would bypass the seats, the states and the history."""

import pytest
from django.urls import reverse

from apps.applications.models import Application
from tests.applications.factories import ChoiceFactory, CoursePlanFactory, login
from tests.reviews.dri.builders import nominated

pytestmark = pytest.mark.django_db


def test_an_administrator_reads_an_application_but_cannot_rewrite_its_nomination(
    client, admin_user, student, other_student
):
    application = nominated(student)
    foreign_choice = ChoiceFactory(application=nominated(other_student), rank=2)
    url = reverse("admin:applications_application_change", args=[application.pk])
    login(client, admin_user)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="nominated_choice"' not in page.content.decode()
    refused = client.post(url, {"nominated_choice": foreign_choice.pk, "ranking_score": "99"})
    assert refused.status_code == 403
    application.refresh_from_db()
    assert application.nominated_choice.application_id == application.pk
    assert application.ranking_score is None
    assert (
        client.post(
            reverse("admin:applications_application_delete", args=[application.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Application.objects.filter(pk=application.pk).exists()


@pytest.mark.parametrize("model", ["application", "mobilityplan", "courseplan"])
def test_nothing_is_added_through_the_admin(client, admin_user, model):
    login(client, admin_user)
    assert client.get(reverse(f"admin:applications_{model}_add")).status_code == 403


def test_a_course_plan_is_read_only_in_the_admin(client, admin_user):
    course_plan = CoursePlanFactory()
    login(client, admin_user)
    url = reverse("admin:applications_courseplan_change", args=[course_plan.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"version": "7"}).status_code == 403
    course_plan.refresh_from_db()
    assert course_plan.version != 7


def test_a_user_with_dossiers_is_not_deleted_with_them(client, admin_user, student):
    """Deleting the student would take their applications and history along: refused, the
    page saying what stands in the way (anonymise_dossiers is the way personal data goes)."""
    nominated(student)
    login(client, admin_user)
    url = reverse("admin:accounts_user_delete", args=[student.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "application" in page.content.decode().lower()
    client.post(url, {"post": "yes"})
    assert Application.objects.filter(student=student).exists()
