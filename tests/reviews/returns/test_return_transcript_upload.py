"""The student uploads the host's transcript of records while abroad or once back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState, Document, DocumentKind
from apps.reviews.services.returns import return_transcript_upload
from tests.applications.factories import PDF_BYTES, login, messages_of
from tests.reviews.advisor.builders import dossier_abroad


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload_url(application):
    return reverse("reviews:return_transcript", args=[application.pk])


def pdf(name="transcript.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def transcripts(application):
    return list(Document.objects.filter(application=application, kind=DocumentKind.HOST_TRANSCRIPT))


@pytest.mark.parametrize("state", [ApplicationState.IN_MOBILITY, ApplicationState.RETURNED])
def test_owner_uploads_the_transcript(client, student, advisor, state):
    application, _course_plan = dossier_abroad(student, advisor, state=state)
    response = login(client, student).post(upload_url(application), {"file": pdf("ToR.pdf")})
    assert response.url == reverse("reviews:return_page", args=[application.pk])
    assert messages_of(response) == ["The host's transcript of records is uploaded."]
    (document,) = transcripts(application)
    assert (document.original_name, document.uploaded_by) == ("ToR.pdf", student)
    assert "ToR.pdf" in client.get(response.url).content.decode()


def test_a_new_upload_replaces_the_previous_one(client, student, advisor):
    application, _course_plan = dossier_abroad(student, advisor)
    login(client, student).post(upload_url(application), {"file": pdf("first.pdf")})
    client.post(upload_url(application), {"file": pdf("second.pdf")})
    assert [document.original_name for document in transcripts(application)] == ["second.pdf"]


@pytest.mark.parametrize(
    "upload",
    [SimpleUploadedFile("fake.pdf", b"GIF89a not a pdf"), None],
    ids=["not a pdf", "no file"],
)
def test_bad_file_is_a_form_error_and_nothing_is_saved(client, student, advisor, upload):
    application, _course_plan = dossier_abroad(student, advisor)
    response = login(client, student).post(
        upload_url(application), {"file": upload} if upload else {}
    )
    assert response.status_code == 400
    assert "file" in response.context["transcript_form"].errors
    assert transcripts(application) == []


def test_before_departure_nothing_is_saved(client, student, advisor):
    application, _course_plan = dossier_abroad(student, advisor, state=ApplicationState.ACCEPTED)
    response = login(client, student).post(upload_url(application), {"file": pdf()})
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert transcripts(application) == []


def test_another_student_finds_nothing(client, student, advisor, other_student):
    application, _course_plan = dossier_abroad(student, advisor)
    response = login(client, other_student).post(upload_url(application), {"file": pdf()})
    assert response.status_code == 404
    assert transcripts(application) == []


@pytest.mark.parametrize("who", ["advisor", "dri"])
def test_advisor_and_staff_are_forbidden(client, request, student, advisor, who):
    application, _course_plan = dossier_abroad(student, advisor)
    login(client, request.getfixturevalue(who))
    assert client.post(upload_url(application), {"file": pdf()}).status_code == 403
    assert transcripts(application) == []


def test_get_is_not_allowed(client, student, advisor):
    application, _course_plan = dossier_abroad(student, advisor)
    assert login(client, student).get(upload_url(application)).status_code == 405


def test_anonymous_is_sent_to_login(client, student, advisor):
    application, _course_plan = dossier_abroad(student, advisor)
    assert client.post(upload_url(application)).url.startswith(reverse("login"))


def test_service_refuses_another_person_and_the_wrong_state(student, advisor, dri):
    application, _course_plan = dossier_abroad(student, advisor)
    with pytest.raises(ServiceError, match="Only the student"):
        return_transcript_upload(actor=dri, application=application, upload=pdf())
    application.state = ApplicationState.COMPLETED
    application.save()
    with pytest.raises(ServiceError, match="completed"):
        return_transcript_upload(actor=student, application=application, upload=pdf())
    assert transcripts(application) == []
