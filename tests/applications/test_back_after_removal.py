"""Back after removing an activity or a document: the confirmation page's address no longer
exists, and the student landed on a 404. Their own removal now leads to their plan (or their
application's documents) with a message; anyone else's id, or one never theirs, stays a 404."""

import pytest
from django.urls import reverse

from tests.applications.factories import DocumentFactory, draft_with_choice, login, messages_of
from tests.applications.plan_helpers import add_activity

pytestmark = pytest.mark.django_db

ACTIVITY_GONE = "This activity has been removed."
DOCUMENT_GONE = "This document has been removed."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def activity_pages(activity) -> list[str]:
    return [
        reverse("applications:activity_delete", args=[activity.pk]),
        reverse("applications:activity_edit", args=[activity.pk]),
        reverse("applications:course_plan_edit", args=[activity.pk]),
        reverse("applications:course_plan_history", args=[activity.pk]),
        reverse("applications:course_plan_version", args=[activity.pk, 1]),
    ]


def test_back_to_a_removed_activity_leads_to_the_plan(client, student):
    activity = add_activity(student)
    login(client, student)
    delete = reverse("applications:activity_delete", args=[activity.pk])
    assert client.get(delete).status_code == 200
    client.post(delete, follow=True)  # the removal and its message, read
    plan = reverse("applications:plan")
    for url in activity_pages(activity):
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(plan, 302)], url
        assert messages_of(response) == [ACTIVITY_GONE]
        assert ACTIVITY_GONE in response.content.decode()
    # The confirmation sent again (Back, then Remove once more): the same, not a 404.
    response = client.post(delete, follow=True)
    assert (response.redirect_chain, messages_of(response)) == ([(plan, 302)], [ACTIVITY_GONE])


def test_another_students_removed_activity_stays_a_404(client, student, other_student):
    activity = add_activity(student)
    login(client, student).post(reverse("applications:activity_delete", args=[activity.pk]))
    login(client, other_student)
    for url in activity_pages(activity):
        assert client.get(url).status_code == 404, url


def test_an_id_the_student_never_removed_stays_a_404(client, student, other_student):
    """An activity gone without this student removing it in this session: nothing tells it
    from one that never existed."""
    mine = add_activity(student)
    theirs = add_activity(other_student)
    login(client, student).post(reverse("applications:activity_delete", args=[mine.pk]))
    login(client, other_student).post(reverse("applications:activity_delete", args=[theirs.pk]))
    login(client, student)
    assert client.get(reverse("applications:activity_delete", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("applications:activity_edit", args=[999999])).status_code == 404


def test_back_to_a_removed_document_leads_to_the_documents(client, student):
    application = draft_with_choice(student)
    document = DocumentFactory(application=application)
    documents = reverse("applications:application_detail", args=[application.pk]) + "#documents"
    login(client, student)
    delete = reverse("applications:document_delete", args=[document.pk])
    client.post(delete, follow=True)  # the removal and its message, read
    for url in (delete, reverse("applications:document_download", args=[document.pk])):
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(documents, 302)], url
        assert messages_of(response) == [DOCUMENT_GONE]
        assert DOCUMENT_GONE in response.content.decode()


def test_another_students_removed_document_stays_a_404(client, student, other_student):
    document = DocumentFactory(application=draft_with_choice(student))
    login(client, student).post(reverse("applications:document_delete", args=[document.pk]))
    login(client, other_student)
    for name in ("document_delete", "document_download"):
        response = client.get(reverse(f"applications:{name}", args=[document.pk]))
        assert response.status_code == 404, name
