"""Submitting again after the office asked for changes, with a word on what changed."""

import re

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState, Transition
from apps.applications.services import RESUBMISSION_MESSAGE_MAX_LENGTH
from apps.notifications.models import Notification
from apps.reviews.services.decisions import application_reinstate, application_request_changes
from tests.applications.factories import complete_application, login, messages_of

S = ApplicationState
ASKED = "Add your B2 certificate."
CHANGED = "I added the <b>B2</b> certificate.\nAnd signed the CV."
SEE_SUBMISSION = (
    'Your application is not submitted: see <a class="alert-link" href="#submit-title">'
    "Submission</a>."
)
SUBMITTED = "Your application is submitted. The international relations office will review it."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submit_url(application):
    return reverse("applications:application_submit", args=[application.pk])


def detail_url(application):
    return reverse("applications:application_detail", args=[application.pk])


def sent_back(student, dri):
    """A complete application, submitted, then sent back for changes."""
    application = services.application_submit(
        actor=student, application=complete_application(student)
    )
    return application_request_changes(actor=dri, application=application, message=ASKED)


def textarea(content: str) -> str:
    """The text of the submit form's "What did you change?" field, as the page shows it."""
    match = re.search(r'<textarea name="message"[^>]*>(.*?)</textarea>', content, re.S)
    assert match, "no message field"
    return match.group(1).removeprefix("\n")  # Django's line, which browsers drop


def state_and_moves(application):
    application.refresh_from_db()
    return application.state, application.history.count()


def test_a_first_submission_asks_nothing_about_changes(client, student):
    application = complete_application(student)
    response = login(client, student).get(detail_url(application))
    content = response.content.decode()
    assert submit_url(application) in content
    assert "message" not in response.context["submit_form"].fields
    assert 'name="message"' not in content
    assert "What did you change?" not in content
    assert "Submit my application again" not in content


def test_a_resubmission_offers_the_field_labelled_and_bounded(client, student, dri):
    application = sent_back(student, dri)
    content = login(client, student).get(detail_url(application)).content.decode()
    field = re.search(r'<textarea name="message"[^>]*>', content).group(0)
    assert f'maxlength="{RESUBMISSION_MESSAGE_MAX_LENGTH}"' in field
    assert 'id="id_message"' in field
    assert re.search(r'<label\s+for="id_message"', content)
    assert "What did you change?" in content
    assert "Submit my application again" in content


def test_the_message_is_the_comment_of_the_resubmission(client, student, dri):
    application = sent_back(student, dri)
    response = login(client, student).post(submit_url(application), {"message": f"  {CHANGED} "})
    assert response.url == detail_url(application)
    assert messages_of(response) == [SUBMITTED]
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    latest = application.history.last()
    assert (latest.actor, latest.from_state, latest.to_state, latest.comment) == (
        student,
        S.CHANGES_REQUESTED,
        S.SUBMITTED,
        CHANGED,
    )


def test_the_student_reads_it_in_their_history(client, student, dri):
    application = sent_back(student, dri)
    services.application_submit(actor=student, application=application, message=CHANGED)
    content = login(client, student).get(detail_url(application)).content.decode()
    history = content[content.index('id="history-title"') :]
    assert "I added the &lt;b&gt;B2&lt;/b&gt; certificate.<br>And signed the CV." in history
    assert "<b>B2</b>" not in content


def test_the_message_is_optional(client, student, dri):
    application = sent_back(student, dri)
    response = login(client, student).post(submit_url(application), {"message": "   "})
    assert messages_of(response) == [SUBMITTED]
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.history.last().comment == ""


def test_a_too_long_message_is_refused_kept_and_nothing_is_submitted(client, student, dri):
    application = sent_back(student, dri)
    before = state_and_moves(application)
    notifications = Notification.objects.count()
    typed = "x" * (RESUBMISSION_MESSAGE_MAX_LENGTH + 1)
    response = login(client, student).post(submit_url(application), {"message": typed})
    assert response.status_code == 400
    assert response.context["submit_form"].errors["message"] == [
        "Ensure this value has at most 2000 characters (it has 2001)."
    ]
    # The error is said by the field, in the Submission section the alert links to.
    assert messages_of(response) == [SEE_SUBMISSION]
    assert textarea(response.content.decode()) == typed
    assert state_and_moves(application) == before == (S.CHANGES_REQUESTED, 2)
    assert Notification.objects.count() == notifications


def test_a_refused_resubmission_keeps_what_the_student_wrote(client, student, dri):
    application = sent_back(student, dri)
    application.documents.filter(kind="cv").delete()
    before = state_and_moves(application)
    response = login(client, student).post(submit_url(application), {"message": CHANGED})
    assert response.status_code == 400
    assert messages_of(response) == [SEE_SUBMISSION]
    assert response.context["missing"] == ["Missing document: CV."]
    assert textarea(response.content.decode()) == (
        "I added the &lt;b&gt;B2&lt;/b&gt; certificate.\nAnd signed the CV."
    )
    assert state_and_moves(application) == before == (S.CHANGES_REQUESTED, 2)
    # The page re-rendered is the application's, to submit again from.
    assert response.context["application"].pk == application.pk
    assert submit_url(application) in response.content.decode()


def test_a_refusal_without_a_message_still_goes_back_to_the_page(client, student, dri):
    application = sent_back(student, dri)
    application.documents.filter(kind="cv").delete()
    response = login(client, student).post(submit_url(application), {"message": ""})
    assert response.url == detail_url(application)
    assert messages_of(response) == [SEE_SUBMISSION]


def test_a_first_submission_ignores_a_message_it_never_asked_for(client, student):
    application = complete_application(student)
    login(client, student).post(submit_url(application), {"message": "Smuggled in."})
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.history.get().comment == ""


def test_the_service_takes_a_message_only_on_a_resubmission(student):
    application = complete_application(student)
    with pytest.raises(ServiceError) as refused:
        services.application_submit(actor=student, application=application, message="Hello.")
    assert refused.value.reasons == [
        "Only an application sent back for changes can be submitted with a message about what "
        "changed."
    ]
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert not Transition.objects.filter(application=application).exists()


def test_the_changes_asked_are_not_the_reason_a_withdrawal_was_undone(client, student, dri):
    application = sent_back(student, dri)
    services.application_withdraw(actor=student, application=application)
    application.refresh_from_db()
    application_reinstate(actor=dri, application=application, reason="Changed their mind.")
    content = login(client, student).get(detail_url(application)).content.decode()
    asked = content[content.index('id="changes-asked"') :]
    asked = asked[: asked.index("</div>")]
    assert ASKED in asked
    assert "Changed their mind." not in asked
