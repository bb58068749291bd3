"""The upload quota limits what the student uploads, over all their applications; the
office's uploads are neither refused by it nor counted in it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState, Document, DocumentKind
from apps.reviews.services.decisions import application_record_host_decision
from tests.applications.factories import PDF_BYTES, DocumentFactory, draft_with_choice
from tests.reviews.dri.builders import nominated, pdf_upload

PDF_SIZE = len(PDF_BYTES)
SCANNED_LETTER = PDF_BYTES + b"% scanned page\n" * 100  # larger than a student's dossier
S = ApplicationState

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def leave_room_for(settings, student, extra_bytes: int) -> None:
    """Set the quota to what the student's documents already take, plus `extra_bytes`."""
    used = Document.objects.filter(application__student=student).aggregate(total=Sum("size"))
    settings.UPLOAD_QUOTA_BYTES = (used["total"] or 0) + extra_bytes


def record_acceptance(dri, application, letter: bytes = PDF_BYTES):
    return application_record_host_decision(
        actor=dri, application=application, accepted=True, letter=pdf_upload(content=letter)
    )


def test_the_office_records_host_letters_for_many_students(settings, dri, student, other_student):
    dossiers = [nominated(student), nominated(other_student)]
    # Room for one letter in each dossier (both students have as many documents), not for two.
    leave_room_for(settings, student, len(SCANNED_LETTER))
    for application in dossiers:
        assert record_acceptance(dri, application, SCANNED_LETTER).state == S.ACCEPTED
    assert Document.objects.filter(kind=DocumentKind.HOST_LETTER, uploaded_by=dri).count() == 2


def test_the_office_records_a_host_letter_past_the_student_quota(settings, dri, student):
    """A submitted student cannot remove a document to make room: refusing the office's
    upload would leave the dossier stuck before the host's decision."""
    application = nominated(student)
    leave_room_for(settings, student, PDF_SIZE // 2)
    assert record_acceptance(dri, application).state == S.ACCEPTED
    assert Document.objects.filter(kind=DocumentKind.HOST_LETTER, uploaded_by=dri).count() == 1


def test_documents_the_office_uploaded_leave_the_student_their_quota(settings, dri, student):
    """A large host letter must not leave the student unable to upload what the dossier still
    needs (the transcript on return): they cannot remove the office's documents."""
    application, draft = nominated(student), draft_with_choice(student)
    leave_room_for(settings, student, PDF_SIZE * 3 // 2)
    record_acceptance(dri, application, SCANNED_LETTER)
    services.document_upload(
        actor=student,
        application=draft,
        kind=DocumentKind.CV,
        upload=SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    assert draft.documents.filter(kind=DocumentKind.CV).exists()


def test_a_student_cannot_exceed_their_quota_across_applications(settings, student):
    first, second = draft_with_choice(student), draft_with_choice(student)
    DocumentFactory(application=first, kind=DocumentKind.CV)
    DocumentFactory(application=second, kind=DocumentKind.CV)
    leave_room_for(settings, student, PDF_SIZE // 2)
    with pytest.raises(ServiceError):
        services.document_upload(
            actor=student,
            application=second,
            kind=DocumentKind.TRANSCRIPT,
            upload=SimpleUploadedFile("t.pdf", PDF_BYTES, content_type="application/pdf"),
        )
    assert not second.documents.filter(kind=DocumentKind.TRANSCRIPT).exists()
