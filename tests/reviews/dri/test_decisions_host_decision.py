"""Recording the host institution's answer, with its letter."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState, Document, DocumentKind
from apps.applications.workflow import TransitionRefused
from apps.reviews.services.decisions import application_record_host_decision
from tests.applications.factories import messages_of
from tests.reviews.dri.builders import (
    decision_url,
    dossier_url,
    nominated,
    pdf_upload,
    post_as,
    seen,
    state_of,
    submitted,
)

S = ApplicationState


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def data(application, outcome="accepted", letter=None, comment=""):
    return seen(
        application,
        "host_decision",
        outcome=outcome,
        letter=letter or pdf_upload(),
        comment=comment,
    )


def host_letters(application):
    return Document.objects.filter(application=application, kind=DocumentKind.HOST_LETTER)


@pytest.mark.parametrize(("accepted", "state"), [(True, S.ACCEPTED), (False, S.HOST_REFUSED)])
def test_service_records_the_answer_and_keeps_the_letter(dri, student, accepted, state):
    application = application_record_host_decision(
        actor=dri, application=nominated(student), accepted=accepted, letter=pdf_upload()
    )
    assert application.state == state
    assert host_letters(application).get().uploaded_by == dri


def test_service_refuses_a_dossier_not_nominated(dri, student):
    application = submitted(student)
    with pytest.raises(TransitionRefused):
        application_record_host_decision(
            actor=dri, application=application, accepted=True, letter=pdf_upload()
        )
    assert not host_letters(application).exists()


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_service_refuses_anyone_but_the_dri(request, persona, student):
    application = nominated(student)
    with pytest.raises(ServiceError):
        application_record_host_decision(
            actor=request.getfixturevalue(persona),
            application=application,
            accepted=True,
            letter=pdf_upload(),
        )
    assert state_of(application) == S.NOMINATED


def test_dri_records_a_refusal_from_the_dossier_page(client, dri, student):
    application = nominated(student)
    url = decision_url("host_decision", application)
    response = post_as(client, dri, url, data(application, "refused", comment="No seat left."))
    assert response.url == dossier_url(application)
    assert state_of(application) == S.HOST_REFUSED
    assert host_letters(application).get().original_name == "letter.pdf"
    assert application.history.last().comment == "No seat left."
    assert messages_of(response) == ["The host's decision is recorded, with its letter."]


def test_a_letter_that_is_not_a_pdf_is_a_form_error_and_nothing_changes(client, dri, student):
    application = nominated(student)
    letter = pdf_upload("letter.pdf", b"GIF89a not a pdf at all")
    response = post_as(
        client, dri, decision_url("host_decision", application), data(application, letter=letter)
    )
    assert response.status_code == 400
    [error] = response.context["decisions"]["host_decision"].errors["letter"]
    assert "not a PDF" in error
    assert state_of(application) == S.NOMINATED
    assert application.history.count() == 1
    assert not host_letters(application).exists()


def test_a_missing_letter_is_a_form_error(client, dri, student):
    application = nominated(student)
    url = decision_url("host_decision", application)
    response = post_as(client, dri, url, seen(application, "host_decision", outcome="accepted"))
    assert response.status_code == 400
    assert response.context["decisions"]["host_decision"].errors["letter"]
    assert state_of(application) == S.NOMINATED


def test_the_dossier_changed_meanwhile(client, dri, student):
    application = nominated(student)
    stale = data(application)
    application_record_host_decision(
        actor=dri, application=application, accepted=False, letter=pdf_upload()
    )
    response = post_as(client, dri, decision_url("host_decision", application), stale)
    assert messages_of(response)[0].startswith(
        "This dossier changed since you opened it: it is now refused by the host."
    )
    assert state_of(application) == S.HOST_REFUSED


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_others_get_403(client, request, persona, student):
    application = nominated(student)
    url = decision_url("host_decision", application)
    response = post_as(client, request.getfixturevalue(persona), url, data(application))
    assert response.status_code == 403
    assert state_of(application) == S.NOMINATED


def test_anonymous_is_sent_to_login(client, student):
    application = nominated(student)
    url = decision_url("host_decision", application)
    assert post_as(client, None, url, data(application)).url.startswith(reverse("login"))
    assert state_of(application) == S.NOMINATED


def test_the_comment_box_says_the_student_reads_it(client, dri, student):
    """The comment is the history's and the decision e-mail's 'Message': the student reads it
    word for word. The box said only 'Comment (optional)', a few boxes from the dossier's
    internal comments, so an officer could write there what was meant for staff only."""
    application = nominated(student)
    client.force_login(dri)
    box = client.get(dossier_url(application)).context["decisions"]["host_decision"]["comment"]
    with translation.override("en"):
        assert str(box.label) == "Comment for the student (optional)"
        assert str(box.help_text) == "The student reads it."
    post_as(
        client,
        dri,
        decision_url("host_decision", application),
        data(application, "refused", comment="Grades too weak for them."),
    )
    client.force_login(student)
    page = client.get(reverse("applications:application_detail", args=[application.pk]))
    assert "Grades too weak for them." in page.content.decode()
