import pytest
from django.urls import reverse

from tests.applications.factories import PDF_BYTES, DocumentFactory, draft_with_choice, login


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def document(student):
    return DocumentFactory(application=draft_with_choice(student), original_name="Mon CV 2026.pdf")


def download_url(document):
    return reverse("applications:document_download", args=[document.pk])


@pytest.mark.parametrize("persona", ["student", "advisor", "dri", "dfi", "admin_user"])
def test_who_may_see_the_dossier_downloads_as_attachment(client, request, persona, document):
    response = login(client, request.getfixturevalue(persona)).get(download_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Mon CV 2026.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("persona", ["other_student", "other_advisor"])
def test_others_get_404(client, request, persona, document):
    response = login(client, request.getfixturevalue(persona)).get(download_url(document))
    assert response.status_code == 404


def test_unknown_document_is_404(client, student):
    response = login(client, student).get(reverse("applications:document_download", args=[999999]))
    assert response.status_code == 404


def test_file_missing_on_disk_is_404(client, student, document, media):
    (media / document.file.name).unlink()
    assert login(client, student).get(download_url(document)).status_code == 404


def test_anonymous_is_sent_to_login(client, document):
    response = client.get(download_url(document))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("uploaded_as", "saved_as"),
    [("cv.html", "cv.html.pdf"), ("CV.PDF", "CV.pdf"), ("transcript", "transcript.pdf")],
)
def test_a_download_always_ends_in_pdf(client, dri, student, uploaded_as, saved_as):
    """Every document is a checked PDF: a name ending in .html would open as a web page."""
    from urllib.parse import quote

    document = DocumentFactory(application=draft_with_choice(student), original_name=uploaded_as)
    response = login(client, dri).get(download_url(document))
    disposition = response["Content-Disposition"]
    assert f'filename="{saved_as}"' in disposition or quote(saved_as) in disposition
    assert uploaded_as == saved_as or f'filename="{uploaded_as}"' not in disposition
