"""Ids of another student's objects sent in a form's body, where the address names one of the
student's own: found nowhere (404), or refused as a choice the form does not offer; nothing of
either student changes."""

import pytest
from django.urls import reverse

from apps.applications.models import Choice
from tests.applications.factories import draft_with_choice, login, semester_for
from tests.applications.plan_helpers import activity_post_data

pytestmark = pytest.mark.django_db


def test_the_live_check_does_not_read_another_student_s_activity(client, student, other_student):
    theirs = semester_for(other_student)
    semester_for(student)
    login(client, student)
    response = client.post(
        reverse("applications:plan_live_check"),
        {**activity_post_data(), "activity_id": str(theirs.pk)},
    )
    assert response.status_code == 404


def test_an_application_cannot_choose_another_student_s_activity(client, student, other_student):
    application = draft_with_choice(student)
    theirs = semester_for(other_student)
    before = list(Choice.objects.values_list("pk", "application_id", "activity_id"))
    login(client, student)
    response = client.post(
        reverse("applications:application_edit", args=[application.pk]),
        {"motivation": "Why not.", "choice_1": f"{theirs.pk}:outside"},
    )
    assert response.status_code == 400
    assert list(Choice.objects.values_list("pk", "application_id", "activity_id")) == before
