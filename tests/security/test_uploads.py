"""Hostile uploads: disguised payloads, path tricks, inline rendering, quota."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.applications.models import Document
from tests.applications.factories import PDF_BYTES, draft_with_choice, messages_of

PAYLOADS = {
    "zip": b"PK\x03\x04" + b"\x00" * 40,
    "html": b"<!doctype html><script>alert(1)</script>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "exe": b"MZ\x90\x00" + b"\x00" * 40,
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, application, name, content, kind="cv"):
    return client.post(
        reverse("applications:document_upload", args=[application.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_disguised_payloads_are_refused(client, student, payload):
    application = draft_with_choice(student)
    client.force_login(student)
    response = upload(client, application, f"innocent-{payload}.pdf", PAYLOADS[payload])
    assert response.status_code == 400
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_path_traversal_in_the_name_goes_nowhere(client, student, media):
    application = draft_with_choice(student)
    client.force_login(student)
    upload(client, application, "../../../etc/cron.d/evil.pdf", PDF_BYTES)
    document = Document.objects.get()
    assert "/" not in document.original_name and ".." not in document.original_name
    stored = (media / document.file.name).resolve()
    assert stored.is_relative_to(media.resolve() / "documents")
    download = client.get(reverse("applications:document_download", args=[document.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert ".." not in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_upload_quota_per_user(client, student, settings):
    settings.UPLOAD_QUOTA_BYTES = len(PDF_BYTES) * 2 + 10
    application = draft_with_choice(student)
    client.force_login(student)
    upload(client, application, "cv.pdf", PDF_BYTES, "cv")
    upload(client, application, "t.pdf", PDF_BYTES, "transcript")
    response = upload(client, application, "l.pdf", PDF_BYTES, "language_certificate")
    assert Document.objects.count() == 2
    assert "quota" in messages_of(response)[-1]
    # Replacing a file only counts the difference.
    upload(client, application, "cv2.pdf", PDF_BYTES, "cv")
    assert Document.objects.get(kind="cv").original_name == "cv2.pdf"


@pytest.mark.django_db
def test_a_file_over_the_limit_is_not_stored_as_it_arrives(client, student, settings, monkeypatch):
    """The limit was checked once the whole file had been written to the server's disk (any
    size: a few requests of many gigabytes filled it); past the limit, nothing more is kept."""
    from django.core.files.uploadhandler import (
        MemoryFileUploadHandler,
        TemporaryFileUploadHandler,
    )

    stored = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        keep = handler.receive_data_chunk

        def counting(self, raw_data, start, keep=keep):
            stored.append(len(raw_data))
            return keep(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    settings.MAX_UPLOAD_SIZE = 100_000
    application = draft_with_choice(student)
    client.force_login(student)
    content = PDF_BYTES + b"0" * 400_000
    response = upload(client, application, "huge.pdf", content)
    assert response.status_code == 400
    assert "dépasse la limite de 97,7\xa0Kio (390,7\xa0Kio)" in response.content.decode()
    assert sum(stored) <= settings.MAX_UPLOAD_SIZE
    assert not Document.objects.exists()
