import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.applications.models import ApplicationState, Document
from tests.applications.factories import (
    PDF_BYTES,
    DocumentFactory,
    draft_with_choice,
    login,
    messages_of,
)

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def application(student):
    return draft_with_choice(student)


def upload_url(application):
    return reverse("applications:document_upload", args=[application.pk])


def pdf(name="My CV.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_good_pdf_is_stored_under_a_generated_name(client, student, application, media):
    response = login(client, student).post(upload_url(application), {"kind": "cv", "file": pdf()})
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert messages_of(response) == ["CV uploaded: My CV.pdf."]
    document = Document.objects.get(application=application)
    assert document.original_name == "My CV.pdf"
    assert document.size == len(PDF_BYTES)
    assert document.uploaded_by == student
    assert document.file.name.startswith("documents/")
    assert "CV" not in document.file.name
    stored = media / document.file.name
    assert stored.read_bytes() == PDF_BYTES


def test_png_renamed_pdf_is_refused_with_the_reason(client, student, application):
    response = login(client, student).post(
        upload_url(application), {"kind": "transcript", "file": pdf("scan.pdf", PNG_BYTES)}
    )
    assert response.status_code == 400
    reason = "Only PDF documents are accepted, and this file is not a PDF (whatever its name)."
    assert response.context["upload_form"].errors["file"] == [reason]
    content = response.content.decode()
    assert reason in content
    assert '<option value="transcript" selected>' in content
    assert "I want to study robotics" in content  # the rest of the dossier page is there
    assert not Document.objects.exists()


def test_file_over_the_limit_is_refused(client, student, application, settings):
    assert settings.MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    too_big = PDF_BYTES + b"0" * (11 * 1024 * 1024)
    response = login(client, student).post(
        upload_url(application), {"kind": "cv", "file": pdf("big.pdf", too_big)}
    )
    assert response.status_code == 400
    [error] = response.context["upload_form"].errors["file"]
    assert error == "The file is larger than the limit of 10.0\xa0MB (11.0\xa0MB)."
    assert not Document.objects.exists()


def test_missing_file_and_kind_are_form_errors(client, student, application):
    response = login(client, student).post(upload_url(application), {"kind": "passport"})
    assert response.status_code == 400
    assert set(response.context["upload_form"].errors) == {"kind", "file"}


def test_new_upload_replaces_the_same_kind(
    client, student, application, media, django_capture_on_commit_callbacks
):
    old = DocumentFactory(application=application, kind="cv")
    old_path = media / old.file.name
    assert old_path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        login(client, student).post(upload_url(application), {"kind": "cv", "file": pdf()})
    [document] = Document.objects.filter(application=application)
    assert document.pk != old.pk
    assert not old_path.exists()


def test_submitted_application_takes_no_document(client, student, application):
    application.state = ApplicationState.SUBMITTED
    application.save()
    response = login(client, student).post(upload_url(application), {"kind": "cv", "file": pdf()})
    assert messages_of(response) == ["This application is submitted: it can no longer be changed."]
    assert not Document.objects.exists()


def test_upload_is_post_only(client, student, application):
    assert login(client, student).get(upload_url(application)).status_code == 405


def test_another_student_gets_404(client, other_student, application):
    response = login(client, other_student).post(
        upload_url(application), {"kind": "cv", "file": pdf()}
    )
    assert response.status_code == 404
    assert not Document.objects.exists()


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi"])
def test_who_may_see_may_not_upload(client, request, persona, application):
    response = login(client, request.getfixturevalue(persona)).post(
        upload_url(application), {"kind": "cv", "file": pdf()}
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_anonymous_is_sent_to_login(client, application):
    response = client.post(upload_url(application), {"kind": "cv", "file": pdf()})
    assert response.url.startswith(reverse("login"))
    assert not Document.objects.exists()


def test_a_refused_upload_is_announced_and_the_language_switch_stays_on_the_page(
    client, student, application
):
    response = login(client, student).post(
        upload_url(application),
        {"kind": "transcript", "file": pdf("scan.pdf", PNG_BYTES)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    content = response.content.decode()
    assert '<div class="alert alert-danger" role="alert">The document was not uploaded.' in content
    detail = reverse("applications:application_detail", args=[application.pk])
    assert f'<input type="hidden" name="next" value="{detail}">' in content


def test_a_file_a_few_bytes_over_the_limit_is_said_to_be_larger(client, student, application):
    """Both sizes round to 10.0 MB: the message must not read as if they were equal."""
    just_over = PDF_BYTES + b"0" * (10 * 1024 * 1024 + 5 - len(PDF_BYTES))
    response = login(client, student).post(
        upload_url(application), {"kind": "cv", "file": pdf("big.pdf", just_over)}
    )
    [error] = response.context["upload_form"].errors["file"]
    assert error.startswith("The file is larger than the limit of 10.0")
