"""Several documents offered from the student's other applications: one button takes them all,
the latest of each missing kind, in one transaction, each through document_reuse; what it
refuses says why and leaves the others."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState, Document, DocumentKind
from tests.applications.factories import (
    DocumentFactory,
    draft_with_choice,
    login,
    messages_of,
)
from tests.applications.test_document_reuse import (
    EARLIER_CV,
    assert_page_queries_flat,
    detail_url,
    earlier_application,
    earlier_cv,
    stored_files,
)
from tests.factories import CallFactory

S = ApplicationState
K = DocumentKind
pytestmark = pytest.mark.usefixtures("english", "media")


@pytest.fixture
def application(student):
    """A draft to an exchange: a CV, a transcript, a language certificate and a draft learning
    agreement to provide, none there yet."""
    return draft_with_choice(student, call=CallFactory(name="Exchanges 2027", academic_year=2027))


@pytest.fixture
def earlier(student):
    """The CV, transcript and certificate of an earlier application (its learning agreement was
    written for another host: never offered here)."""
    cv = earlier_cv(student)
    for kind, name in [
        (K.TRANSCRIPT, "grades.pdf"),
        (K.LANGUAGE_CERTIFICATE, "toefl.pdf"),
        (K.LEARNING_AGREEMENT, "la elsewhere.pdf"),
    ]:
        DocumentFactory(application=cv.application, kind=kind, original_name=name)
    return cv.application


def reuse_all_url(application) -> str:
    return reverse("applications:document_reuse_all", args=[application.pk])


def reuse_all(student, application) -> services.ReuseOutcome:
    return services.document_reuse_all(actor=student, application=application)


def kinds_and_names(documents) -> list[tuple[str, str]]:
    return [(document.kind, document.original_name) for document in documents]


# --- the service -----------------------------------------------------------------------


def test_the_latest_of_each_missing_kind_is_copied(student, application, earlier, media):
    older = earlier_cv(student, name="Exchanges 2025", year=2025)
    Document.objects.filter(pk=older.pk).update(uploaded_at=datetime(2025, 1, 10, tzinfo=UTC))
    outcome = reuse_all(student, application)
    assert kinds_and_names(outcome.reused) == [
        (K.CV, "cv-2026.pdf"),
        (K.TRANSCRIPT, "grades.pdf"),
        (K.LANGUAGE_CERTIFICATE, "toefl.pdf"),
    ]
    assert outcome.refused == []
    assert set(application.documents.all()) == set(outcome.reused)
    copied_cv = outcome.reused[0]
    assert (media / copied_cv.file.name).read_bytes() == EARLIER_CV
    assert copied_cv.uploaded_by == student
    assert len(stored_files(media)) == 5 + 3  # the earlier ones, and a file per copy


def test_a_kind_already_there_is_left_as_it_is(student, application, earlier):
    mine = DocumentFactory(application=application, kind=K.CV, original_name="new cv.pdf")
    outcome = reuse_all(student, application)
    assert kinds_and_names(outcome.reused) == [
        (K.TRANSCRIPT, "grades.pdf"),
        (K.LANGUAGE_CERTIFICATE, "toefl.pdf"),
    ]
    assert application.documents.get(kind=K.CV) == mine


def test_one_refused_is_rolled_back_alone_and_says_why(student, application, earlier, media):
    transcript = earlier.documents.get(kind=K.TRANSCRIPT)
    (media / transcript.file.name).unlink()
    outcome = reuse_all(student, application)
    assert kinds_and_names(outcome.reused) == [
        (K.CV, "cv-2026.pdf"),
        (K.LANGUAGE_CERTIFICATE, "toefl.pdf"),
    ]
    assert outcome.refused == [
        services.ReuseRefused(
            kind=K.TRANSCRIPT,
            reasons=["The file of this document cannot be found: upload it instead."],
        )
    ]
    assert set(application.documents.values_list("kind", flat=True)) == {
        K.CV,
        K.LANGUAGE_CERTIFICATE,
    }
    assert len(stored_files(media)) == 3 + 2  # the earlier ones left, a file per copy


def test_the_quota_stops_the_copy_that_would_pass_it(student, application, earlier, settings):
    used = sum(earlier.documents.values_list("size", flat=True))
    cv_size = earlier.documents.get(kind=K.CV).size
    settings.UPLOAD_QUOTA_BYTES = used + cv_size  # room for the CV only
    outcome = reuse_all(student, application)
    assert kinds_and_names(outcome.reused) == [(K.CV, "cv-2026.pdf")]
    assert [refusal.kind for refusal in outcome.refused] == [K.TRANSCRIPT, K.LANGUAGE_CERTIFICATE]
    assert all("upload quota" in refusal.reasons[0] for refusal in outcome.refused)


def test_a_learning_agreement_for_a_chosen_host_is_taken_too(student, application, earlier):
    """Written for the host this application chooses: the earlier application chose it too."""
    for_this_host = earlier_application(student, name="Same host", year=2025)
    for_this_host.choices.update(agreement=application.choices.get().agreement)
    DocumentFactory(application=for_this_host, kind=K.LEARNING_AGREEMENT, original_name="la.pdf")
    outcome = reuse_all(student, application)
    assert kinds_and_names(outcome.reused)[-1] == (K.LEARNING_AGREEMENT, "la.pdf")
    assert len(outcome.reused) == 4


def test_nothing_left_to_take_is_a_refusal(student, application):
    with pytest.raises(ServiceError) as refusal:
        reuse_all(student, application)
    assert refusal.value.reasons == ["No document of your other applications is left to use here."]


@pytest.mark.parametrize("state", [S.SUBMITTED, S.REFUSED])
def test_an_application_no_longer_editable_takes_nothing(student, earlier, state):
    application = earlier_application(student, state=state, name="Other", year=2027)
    with pytest.raises(ServiceError, match="it can no longer be changed"):
        reuse_all(student, application)
    assert not application.documents.exists()


def test_nobody_fills_another_student_s_application(other_student, application, earlier):
    earlier_cv(other_student)
    with pytest.raises(ServiceError, match="Only the student can change"):
        reuse_all(other_student, application)
    assert not application.documents.exists()


# --- the page and the view ---------------------------------------------------------------


def test_the_page_offers_one_button_for_several(client, student, application, earlier):
    content = login(client, student).get(detail_url(application)).content.decode()
    assert content.count(reuse_all_url(application)) == 1
    form = content[content.index('id="document-reuse-all"') :]
    assert "csrfmiddlewaretoken" in form[: form.index("</form>")]
    assert ">Reuse all 3</button>" in content
    assert "3 missing documents can be taken from your other applications" in content


def test_a_single_offer_has_its_own_button_only(client, student, application):
    earlier_cv(student)
    content = login(client, student).get(detail_url(application)).content.decode()
    assert reuse_all_url(application) not in content
    assert "Use the one from" in content


@pytest.mark.parametrize("persona", ["dri", "advisor"])
def test_readers_of_the_draft_see_no_button(client, request, persona, application, earlier):
    response = login(client, request.getfixturevalue(persona)).get(detail_url(application))
    assert response.status_code == 200
    assert reuse_all_url(application) not in response.content.decode()


def test_the_button_costs_no_query(client, student, other_student, django_assert_max_num_queries):
    """The page with three offers and its button, whatever the number of earlier
    applications, within the page's pinned count."""

    def dossier_of(owner, earlier_count):
        for year in range(2000, 2000 + earlier_count):
            cv = earlier_cv(owner, name=f"Call {year}", year=year)
            DocumentFactory(application=cv.application, kind=K.TRANSCRIPT)
            DocumentFactory(application=cv.application, kind=K.LANGUAGE_CERTIFICATE)
        return draft_with_choice(owner, call=CallFactory(academic_year=2027))

    def check(response):
        assert ">Reuse all 3</button>" in response.content.decode()

    assert_page_queries_flat(
        client, (student, other_student), dossier_of, check, django_assert_max_num_queries
    )


def test_one_click_adds_them_all_and_says_which(client, student, application, earlier):
    response = login(client, student).post(reuse_all_url(application))
    assert response.status_code == 302
    assert response.url == detail_url(application) + "#documents"
    assert messages_of(response) == [
        "3 documents added from your other applications: CV (cv-2026.pdf); "
        "Latest transcript of records (grades.pdf); Language certificate (toefl.pdf)."
    ]
    assert application.documents.count() == 3
    page = client.get(detail_url(application)).content.decode()
    assert reuse_all_url(application) not in page


def test_the_refused_ones_say_why_beside_the_others(client, student, application, earlier, media):
    (media / earlier.documents.get(kind=K.CV).file.name).unlink()
    response = login(client, student).post(reuse_all_url(application))
    assert messages_of(response) == [
        "2 documents added from your other applications: "
        "Latest transcript of records (grades.pdf); Language certificate (toefl.pdf).",
        "CV could not be added: The file of this document cannot be found: upload it instead.",
    ]


def test_a_second_click_changes_nothing_and_says_so(client, student, application, earlier):
    login(client, student).post(reuse_all_url(application))
    response = client.post(reuse_all_url(application))
    assert response.status_code == 302
    assert messages_of(response)[-1] == (
        "No document of your other applications is left to use here."
    )
    assert application.documents.count() == 3


def test_a_submitted_application_is_refused_with_its_state(client, student, earlier):
    submitted = earlier_application(student, state=S.SUBMITTED, name="Other", year=2027)
    response = login(client, student).post(reuse_all_url(submitted))
    assert messages_of(response) == ["This application is submitted: it can no longer be changed."]
    assert not submitted.documents.exists()


def test_another_student_s_application_is_not_found(client, other_student, application, earlier):
    response = login(client, other_student).post(reuse_all_url(application))
    assert response.status_code == 404
    assert not application.documents.exists()


def test_it_is_post_only(client, student, application):
    assert login(client, student).get(reuse_all_url(application)).status_code == 405


def test_a_failure_midway_leaves_no_copied_file_behind(
    student, application, earlier, media, monkeypatch
):
    """The storage refusing the second copy rolls back the first copy's row: its file, written
    already, is removed too, where it stayed in the storage with no row naming it."""
    from django.core.files.storage import FileSystemStorage

    before = stored_files(media)
    save = FileSystemStorage._save
    saved = []

    def full_at_the_second(storage, name, content):
        saved.append(name)
        if len(saved) == 2:
            raise OSError(28, "No space left on device")
        return save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", full_at_the_second)
    with pytest.raises(OSError):
        reuse_all(student, application)
    assert not application.documents.exists()
    assert stored_files(media) == before
