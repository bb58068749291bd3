"""A student uses again, in a new application, a document they uploaded to an earlier one: the
offer on the documents step, the copy (a file of its own), and what may never be copied."""

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.errors import DocumentKindTaken, ServiceError
from apps.applications.models import ApplicationState, Document, DocumentKind
from apps.applications.privacy import anonymise_student, export_zip
from tests.applications.factories import (
    PDF_BYTES,
    DocumentFactory,
    draft_with_choice,
    login,
    messages_of,
)
from tests.factories import CallFactory

S = ApplicationState
pytestmark = pytest.mark.usefixtures("english")
EARLIER_CV = PDF_BYTES + b"% the CV of last year\n"
# The documents page with any number of earlier applications (test_the_offers_cost_one_query).
DETAIL_WITH_OFFERS_MAX_QUERIES = 11


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def earlier_application(student, *, state=S.REFUSED, name="Exchanges 2026", year=2026):
    application = draft_with_choice(student, call=CallFactory(name=name, academic_year=year))
    application.state = state
    application.save(update_fields=["state"])
    return application


def earlier_cv(student, **application_fields) -> Document:
    return DocumentFactory(
        application=earlier_application(student, **application_fields),
        kind=DocumentKind.CV,
        original_name="cv-2026.pdf",
        file__data=EARLIER_CV,
        size=len(EARLIER_CV),
    )


@pytest.fixture
def source(student):
    return earlier_cv(student)


@pytest.fixture
def application(student):
    return draft_with_choice(student, call=CallFactory(name="Exchanges 2027", academic_year=2027))


def reuse(student, application, document) -> Document:
    return services.document_reuse(actor=student, application=application, document_id=document.pk)


def stored_files(media) -> list:
    return sorted((media / "documents").iterdir())


def detail_url(application) -> str:
    return reverse("applications:application_detail", args=[application.pk])


def reuse_url(application) -> str:
    return reverse("applications:document_reuse", args=[application.pk])


# --- the service -----------------------------------------------------------------------


def test_the_document_is_copied_to_a_file_of_its_own(student, application, source, media):
    before = timezone.now()
    copy = reuse(student, application, source)
    assert copy.application == application
    assert (copy.kind, copy.original_name, copy.size) == ("cv", "cv-2026.pdf", len(EARLIER_CV))
    # Recorded as an upload is: by the student, now.
    assert copy.uploaded_by == student and copy.uploaded_at >= before
    assert copy.file.name != source.file.name
    assert copy.file.name.startswith("documents/")
    assert (media / copy.file.name).read_bytes() == EARLIER_CV
    assert (media / source.file.name).read_bytes() == EARLIER_CV
    assert len(stored_files(media)) == 2


def test_removing_either_document_leaves_the_other_s_file(
    student, application, media, django_capture_on_commit_callbacks
):
    """Removing a document deletes its file: a file shared by two applications would be lost
    to the other one. Here the earlier application is a draft of another call, still open."""
    source = earlier_cv(student, state=S.DRAFT)
    copy = reuse(student, application, source)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(actor=student, document=source)
    assert (media / copy.file.name).read_bytes() == EARLIER_CV
    again = reuse(student, earlier_application(student, state=S.DRAFT, name="Summer"), copy)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(actor=student, document=copy)
    assert (media / again.file.name).read_bytes() == EARLIER_CV


def test_a_second_click_finds_the_first_copy(student, application, source, media):
    first = reuse(student, application, source)
    assert reuse(student, application, source) == first
    assert Document.objects.filter(application=application).count() == 1
    assert len(stored_files(media)) == 2


def test_a_copy_made_meanwhile_is_kept_and_the_second_file_removed(
    student, application, source, media, monkeypatch
):
    """Two clicks at once where the application's lock holds nothing back (SQLite): the
    second meets the constraint of one document per kind, and leaves no file behind."""
    first = reuse(student, application, source)
    unlocked = services._reused_already
    calls = []

    def first_sees_nothing(*args):
        calls.append(args)
        return None if len(calls) == 1 else unlocked(*args)

    monkeypatch.setattr(services, "_reused_already", first_sees_nothing)
    assert reuse(student, application, source) == first
    assert len(calls) == 2
    assert Document.objects.filter(application=application).count() == 1
    assert len(stored_files(media)) == 2


def test_a_document_of_that_kind_already_there_is_not_replaced(student, application, source, media):
    """The page offered the CV while none was there; another tab uploaded one since."""
    mine = DocumentFactory(application=application, kind="cv", original_name="new cv.pdf")
    with pytest.raises(ServiceError) as refusal:
        reuse(student, application, source)
    assert refusal.value.reasons == [
        "This application already has a document of this kind (CV): remove it first."
    ]
    assert list(Document.objects.filter(application=application)) == [mine]
    assert len(stored_files(media)) == 2


@pytest.mark.parametrize("state", [S.SUBMITTED, S.UNDER_REVIEW, S.WITHDRAWN, S.REFUSED])
def test_an_application_no_longer_editable_takes_no_document(student, source, state):
    application = earlier_application(student, state=state, name="Other", year=2027)
    with pytest.raises(ServiceError, match="it can no longer be changed"):
        reuse(student, application, source)
    assert not application.documents.exists()


def test_the_application_changes_requested_takes_one(student, source):
    application = earlier_application(student, state=S.CHANGES_REQUESTED, name="Other")
    assert reuse(student, application, source).application == application


def test_another_student_s_document_is_not_found(student, other_student, application, media):
    theirs = earlier_cv(other_student)
    with pytest.raises(ServiceError) as refusal:
        reuse(student, application, theirs)
    assert refusal.value.reasons == [
        "This document is no longer available: upload the file instead."
    ]
    assert not application.documents.exists()
    assert len(stored_files(media)) == 1


def test_nobody_copies_into_another_student_s_application(other_student, application, source):
    own = earlier_cv(other_student)
    with pytest.raises(ServiceError, match="Only the student can change"):
        reuse(other_student, application, own)
    with pytest.raises(ServiceError, match="Only the student can change"):
        reuse(other_student, application, source)
    assert not application.documents.exists()


def test_a_document_of_the_same_application_is_no_source(student, application):
    own = DocumentFactory(application=application, kind="cv")
    with pytest.raises(ServiceError, match="no longer available"):
        reuse(student, application, own)


@pytest.mark.parametrize(
    ("kind", "by_office"),
    [
        (DocumentKind.HOST_LETTER, True),  # the office's record of a host's decision
        (DocumentKind.HOST_TRANSCRIPT, False),  # the student's, of one stay's results
        (DocumentKind.TRANSCRIPT, True),  # a student's kind, yet the office's file
        (DocumentKind.CV, True),
    ],
)
def test_what_the_office_added_or_a_stay_produced_is_never_copied(
    student, dri, application, kind, by_office
):
    earlier = DocumentFactory(
        application=earlier_application(student, state=S.COMPLETED),
        kind=kind,
        uploaded_by=dri if by_office else student,
    )
    with pytest.raises(ServiceError) as refusal:
        reuse(student, application, earlier)
    assert refusal.value.reasons == ["Only the documents you uploaded to apply can be used again."]
    assert not application.documents.exists()


def test_an_erased_dossier_has_nothing_left_to_copy(
    student, application, source, django_capture_on_commit_callbacks
):
    """An erasure removes every document of the student's (and its file): the offer and the
    copy find nothing, whatever id the page still holds."""
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_student(student)
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert selectors_offer(application) == {}
    with pytest.raises(ServiceError, match="no longer available"):
        reuse(student, application, source)
    assert not Document.objects.exists()


def test_a_file_gone_from_the_storage_is_refused_plainly(student, application, source, media):
    (media / source.file.name).unlink()
    with pytest.raises(ServiceError) as refusal:
        reuse(student, application, source)
    assert refusal.value.reasons == [
        "The file of this document cannot be found: upload it instead."
    ]
    assert not application.documents.exists()


def test_the_copy_is_checked_as_an_upload_is(student, application, source, settings):
    settings.MAX_UPLOAD_SIZE = len(EARLIER_CV) - 1
    with pytest.raises(ServiceError, match="larger than the limit"):
        reuse(student, application, source)
    settings.MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    (settings.MEDIA_ROOT / source.file.name).write_bytes(b"<html>not a PDF</html>")
    with pytest.raises(ServiceError, match="Only PDF documents are accepted"):
        reuse(student, application, source)
    assert not application.documents.exists()


def test_the_copy_counts_in_the_student_s_quota(student, application, source, settings):
    settings.UPLOAD_QUOTA_BYTES = len(EARLIER_CV) * 2 - 1
    with pytest.raises(ServiceError, match="upload quota"):
        reuse(student, application, source)
    settings.UPLOAD_QUOTA_BYTES = len(EARLIER_CV) * 2
    reuse(student, application, source)


def test_the_privacy_export_lists_each_application_s_document_with_its_file(
    student, application, source
):
    copy = reuse(student, application, source)
    archive = zipfile.ZipFile(io.BytesIO(export_zip(student)))
    data = json.loads(archive.read("data.json"))
    listed = [document for entry in data["applications"] for document in entry["documents"]]
    assert [(document["kind"], document["file"]) for document in listed] == [
        ("cv", "cv-2026.pdf"),
        ("cv", "cv-2026.pdf"),
    ]
    in_zip = {document["in_zip"] for document in listed}
    assert in_zip == {
        f"documents/{source.application_id}-cv.pdf",
        f"documents/{copy.application_id}-cv.pdf",
    }
    assert all(archive.read(name) == EARLIER_CV for name in in_zip)
    assert "missing-files.txt" not in archive.namelist()


# --- document_store without replacing: what document_reuse stores through ---------------


def test_storing_without_replacing_refuses_a_kind_already_there_and_leaves_no_file(
    student, application, media
):
    mine = DocumentFactory(application=application, kind="cv", original_name="new cv.pdf")
    upload = SimpleUploadedFile("other cv.pdf", PDF_BYTES, content_type="application/pdf")
    with pytest.raises(DocumentKindTaken) as refusal:
        services.document_store(
            application=application, kind="cv", upload=upload, actor=student, replace=False
        )
    assert refusal.value.reasons == [
        "This application already has a document of this kind (CV): remove it first."
    ]
    assert list(Document.objects.filter(application=application)) == [mine]
    assert stored_files(media) == [media / mine.file.name]


def test_storing_without_replacing_keeps_what_it_stores_otherwise(student, application, media):
    upload = SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf")
    stored = services.document_store(
        application=application, kind="cv", upload=upload, actor=student, replace=False
    )
    assert list(application.documents.all()) == [stored]
    assert (media / stored.file.name).read_bytes() == PDF_BYTES


# --- the offer on the documents step -----------------------------------------------------


def selectors_offer(application) -> dict:
    from apps.applications import selectors

    return selectors.reusable_documents(application, services.STUDENT_DOCUMENTS)


def offers_on_page(response) -> dict:
    return {row.kind: row.reusable for row in response.context["documents"] if row.reusable}


def test_each_missing_kind_offers_the_latest_earlier_one(client, student, dri, application):
    older = earlier_cv(student, name="Exchanges 2025", year=2025)
    Document.objects.filter(pk=older.pk).update(uploaded_at=datetime(2025, 1, 10, tzinfo=UTC))
    latest = earlier_cv(student)
    Document.objects.filter(pk=latest.pk).update(uploaded_at=datetime(2026, 1, 15, tzinfo=UTC))
    certificate = DocumentFactory(
        application=latest.application, kind="language_certificate", original_name="toefl.pdf"
    )
    DocumentFactory(application=latest.application, kind="transcript", uploaded_by=dri)
    DocumentFactory(application=application, kind="learning_agreement")
    response = login(client, student).get(detail_url(application))
    assert offers_on_page(response) == {"cv": latest, "language_certificate": certificate}
    content = response.content.decode()
    assert reuse_url(application) in content
    assert f'name="document" value="{latest.pk}"' in content
    assert "Use the one from Exchanges 2026 (2026–2027), uploaded on 15/01/2026: cv-2026.pdf" in (
        content
    )
    assert f'value="{older.pk}"' not in content


def test_nothing_is_offered_where_nothing_can_change(client, student, dri, source):
    submitted = earlier_application(student, state=S.SUBMITTED, name="Other", year=2027)
    response = login(client, student).get(detail_url(submitted))
    assert offers_on_page(response) == {}
    assert reuse_url(submitted) not in response.content.decode()


def test_staff_reading_the_draft_see_no_offer(client, dri, application, source):
    response = login(client, dri).get(detail_url(application))
    assert response.status_code == 200
    assert offers_on_page(response) == {}
    assert reuse_url(application) not in response.content.decode()


def assert_page_queries_flat(client, owners, dossier_of, check, max_num_queries) -> None:
    """The documents page of the dossier `dossier_of(owner, count)` builds with one earlier
    application and with twelve costs the same queries, within the pinned count; `check`
    reads each page's response. `max_num_queries`: the django_assert_max_num_queries fixture."""

    def page_queries(application) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(detail_url(application))
        check(response)
        return len(queries)

    few_owner, many_owner = owners
    login(client, few_owner)
    few = page_queries(dossier_of(few_owner, 1))
    many_application = dossier_of(many_owner, 12)
    login(client, many_owner)
    with max_num_queries(DETAIL_WITH_OFFERS_MAX_QUERIES):
        many = page_queries(many_application)
    assert many == few


def test_the_offers_cost_one_query_however_many_earlier_applications(
    client, student, other_student, django_assert_max_num_queries
):
    def dossier_of(owner, earlier_count):
        for year in range(2000, 2000 + earlier_count):
            cv = earlier_cv(owner, name=f"Call {year}", year=year)
            DocumentFactory(application=cv.application, kind="transcript")
        return draft_with_choice(owner, call=CallFactory(academic_year=2027))

    def check(response):
        assert set(offers_on_page(response)) == {"cv", "transcript"}

    assert_page_queries_flat(
        client, (student, other_student), dossier_of, check, django_assert_max_num_queries
    )


# --- the view ----------------------------------------------------------------------------


def test_one_click_copies_and_says_so(client, student, application, source):
    response = login(client, student).post(reuse_url(application), {"document": source.pk})
    assert response.url == detail_url(application) + "#documents"
    assert messages_of(response) == ["CV added from another of your applications: cv-2026.pdf."]
    [copy] = application.documents.all()
    assert copy.original_name == "cv-2026.pdf"
    page = client.get(detail_url(application))
    assert offers_on_page(page) == {}


def test_a_double_submit_leaves_one_copy(client, student, application, source, media):
    login(client, student)
    for _click in range(2):
        response = client.post(reuse_url(application), {"document": source.pk})
        assert messages_of(response)[-1] == (
            "CV added from another of your applications: cv-2026.pdf."
        )
    assert application.documents.count() == 1
    assert len(stored_files(media)) == 2


@pytest.mark.parametrize("value", ["", "abc", "²", "9" * 40, "-1"])
def test_bad_input_is_a_message_not_a_crash(client, student, application, source, value):
    response = login(client, student).post(reuse_url(application), {"document": value})
    assert response.status_code == 302
    assert messages_of(response) == ["Choose the document to use again."]
    assert not application.documents.exists()


def test_an_unknown_id_is_refused(client, student, application):
    response = login(client, student).post(reuse_url(application), {"document": "999999"})
    assert messages_of(response) == [
        "This document is no longer available: upload the file instead."
    ]


def test_another_student_s_document_id_copies_nothing(client, student, other_student, application):
    theirs = earlier_cv(other_student)
    response = login(client, student).post(reuse_url(application), {"document": theirs.pk})
    assert messages_of(response) == [
        "This document is no longer available: upload the file instead."
    ]
    assert not application.documents.exists()
    assert Document.objects.filter(application__student=other_student).count() == 1


def test_another_student_s_application_is_not_found(client, other_student, application, source):
    response = login(client, other_student).post(reuse_url(application), {"document": source.pk})
    assert response.status_code == 404
    assert not application.documents.exists()


@pytest.mark.parametrize("persona", ["advisor", "dri"])
def test_who_may_read_the_dossier_may_not_copy_into_it(
    client, request, persona, application, source
):
    response = login(client, request.getfixturevalue(persona)).post(
        reuse_url(application), {"document": source.pk}
    )
    assert response.status_code == 403
    assert not application.documents.exists()


def test_a_submitted_application_is_refused_with_its_state(client, student, source):
    submitted = earlier_application(student, state=S.SUBMITTED, name="Other", year=2027)
    response = login(client, student).post(reuse_url(submitted), {"document": source.pk})
    assert messages_of(response) == ["This application is submitted: it can no longer be changed."]
    assert not submitted.documents.exists()


def test_the_copy_is_post_only(client, student, application):
    assert login(client, student).get(reuse_url(application)).status_code == 405
