"""The student removes a document they uploaded (a wrong file, one their destinations no longer
ask for) while they may change the application, after a confirmation; the file goes too."""

import pytest
from django.urls import reverse

from apps.applications.models import ApplicationState, Document, DocumentKind
from tests.applications.factories import DocumentFactory, draft_with_choice, login, messages_of


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def delete_url(document):
    return reverse("applications:document_delete", args=[document.pk])


def detail_url(application):
    return reverse("applications:application_detail", args=[application.pk])


@pytest.mark.parametrize("state", [ApplicationState.DRAFT, ApplicationState.CHANGES_REQUESTED])
def test_the_student_confirms_then_the_document_and_its_file_are_gone(
    client, student, media, state, django_capture_on_commit_callbacks
):
    application = draft_with_choice(student)
    application.state = state
    application.save(update_fields=["state"])
    document = DocumentFactory(application=application, kind=DocumentKind.CV)
    stored = media / document.file.name
    assert stored.exists()
    login(client, student)
    page = client.get(detail_url(application)).content.decode()
    assert delete_url(document) in page

    confirmation = client.get(delete_url(document))
    assert confirmation.status_code == 200
    content = confirmation.content.decode()
    assert "Remove “my cv.pdf” (CV) from your application?" in content
    assert "Your application needs this document" in content  # an exchange asks for a CV
    assert Document.objects.filter(pk=document.pk).exists()  # nothing before the confirmation

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(document))
    assert response.url == detail_url(application) + "#documents"
    assert messages_of(response) == ["CV removed: my cv.pdf."]
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not stored.exists()


def test_not_once_the_application_is_submitted(client, student):
    application = draft_with_choice(student)
    application.state = ApplicationState.SUBMITTED
    application.save(update_fields=["state"])
    document = DocumentFactory(application=application)
    login(client, student)
    assert delete_url(document) not in client.get(detail_url(application)).content.decode()
    response = client.post(delete_url(document))
    assert response.url == detail_url(application) + "#documents"
    assert messages_of(response) == ["This application is submitted: it can no longer be changed."]
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_document_the_office_uploaded_stays(client, student, dri):
    application = draft_with_choice(student)
    letter = DocumentFactory(
        application=application, kind=DocumentKind.HOST_LETTER, uploaded_by=dri
    )
    login(client, student)
    assert delete_url(letter) not in client.get(detail_url(application)).content.decode()
    response = client.post(delete_url(letter))
    assert messages_of(response) == ["Only the documents you uploaded can be removed."]
    assert Document.objects.filter(pk=letter.pk).exists()


@pytest.mark.parametrize(("persona", "status"), [("other_student", 404), ("advisor", 403)])
def test_nobody_else_removes_it(client, request, student, persona, status):
    document = DocumentFactory(application=draft_with_choice(student))
    login(client, request.getfixturevalue(persona))
    assert client.get(delete_url(document)).status_code == status
    assert client.post(delete_url(document)).status_code == status
    assert Document.objects.filter(pk=document.pk).exists()
