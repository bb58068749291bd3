"""Uploading a scores file on the allocation page."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.applications.models import Application
from tests.applications.factories import login, messages_of
from tests.factories import AgreementFactory, CallFactory, StudentProfileFactory
from tests.reviews.allocation.builders import detail_url, scores_url, waiting


@pytest.fixture
def call(db):
    return CallFactory()


@pytest.fixture
def applications(call):
    agreement = AgreementFactory()
    return [
        waiting(call, [agreement], student=StudentProfileFactory(student_number=number).user)
        for number in ("S1", "S2")
    ]


def csv_file(content: bytes, name: str = "scores.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def scores(applications) -> list[Decimal | None]:
    return [
        Application.objects.get(pk=application.pk).ranking_score for application in applications
    ]


def test_a_good_file_sets_the_scores_and_returns_to_the_page(client, dri, call, applications):
    content = "\ufeffstudent_number,score\nS1,15.5\nS2,12\n".encode()
    response = login(client, dri).post(scores_url(call), {"file": csv_file(content)})
    assert response.url == detail_url(call)
    assert messages_of(response) == ["Ranking scores imported for 2 students."]
    assert scores(applications) == [Decimal("15.5"), Decimal("12")]


def test_bad_lines_are_listed_and_nothing_is_imported(client, dri, call, applications):
    content = b"S1,15.5\nS3,12\nS2,lots\n"
    response = login(client, dri).post(scores_url(call), {"file": csv_file(content)})
    assert response.status_code == 400
    assert response.context["scores_form"].errors["file"] == [
        "line 2: student_number: no application to this call from this student",
        "line 3: score: “lots” is not a number",
    ]
    page = response.content.decode()
    assert "line 3: score: “lots” is not a number" in page
    assert scores(applications) == [None, None]


def test_a_file_that_is_not_utf8_is_a_form_error(client, dri, call, applications):
    response = login(client, dri).post(
        scores_url(call), {"file": csv_file("S1,12\nÉ,1".encode("latin-1"))}
    )
    assert response.status_code == 400
    assert response.context["scores_form"].errors["file"] == [
        "The file is not UTF-8 text: save it as CSV UTF-8."
    ]
    assert scores(applications) == [None, None]


@pytest.mark.parametrize(
    "content",
    [
        # A PDF written by a simple tool is plain ASCII: it was read as a dozen lines of scores.
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_a_pdf_or_a_picture_is_one_form_error(client, dri, call, applications, content):
    response = login(client, dri).post(scores_url(call), {"file": csv_file(content, "x.pdf")})
    assert response.status_code == 400
    errors = response.context["scores_form"].errors["file"]
    assert len(errors) == 1
    assert errors[0].startswith("This file is neither CSV text nor an Excel workbook")
    assert "expected 2 fields" not in response.content.decode()
    assert scores(applications) == [None, None]


def test_a_file_too_large_is_a_form_error(client, dri, call, applications):
    content = b"S1,12\n" * 2_000_000
    response = login(client, dri).post(scores_url(call), {"file": csv_file(content)})
    assert response.status_code == 400
    assert response.context["scores_form"].errors["file"] == ["The file is larger than 10.0\xa0MB."]
    assert scores(applications) == [None, None]


def test_no_file_is_a_form_error(client, dri, call, applications):
    response = login(client, dri).post(scores_url(call), {})
    assert response.status_code == 400
    assert response.context["scores_form"].errors["file"] == ["This field is required."]


def test_get_is_not_allowed(client, dri, call):
    assert login(client, dri).get(scores_url(call)).status_code == 405


def test_an_unknown_call_is_404(client, dri):
    url = reverse("reviews:allocation_scores_import", args=[999])
    assert login(client, dri).post(url, {"file": csv_file(b"S1,1\n")}).status_code == 404


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_other_roles_get_403_and_nothing_is_imported(client, request, call, applications, persona):
    response = login(client, request.getfixturevalue(persona)).post(
        scores_url(call), {"file": csv_file(b"S1,12\n")}
    )
    assert response.status_code == 403
    assert scores(applications) == [None, None]


def test_anonymous_is_sent_to_login(client, call, applications):
    response = client.post(scores_url(call), {"file": csv_file(b"S1,12\n")})
    assert response.url.startswith(reverse("login"))
    assert scores(applications) == [None, None]


def test_the_language_switch_of_a_refused_file_leads_back_to_the_allocation_page(
    client, dri, call, applications
):
    """The page re-shown with the file's errors lives at the import's address, which takes
    POST only: switching language there led to it by GET (the browser's bare 405 page)."""
    response = login(client, dri).post(
        scores_url(call), {"file": csv_file(b"S1,lots\n")}, HTTP_REFERER=detail_url(call)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'name="next" value="{detail_url(call)}"' in page
    assert f'name="next" value="{scores_url(call)}"' not in page
