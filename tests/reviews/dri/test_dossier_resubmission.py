"""The dossier of an application submitted again after changes were asked for: what the student
says they changed heads the page, by the state, while it awaits review."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.roles import Role
from apps.applications import services
from apps.applications.models import ApplicationState
from apps.reviews.services.decisions import (
    application_nominate,
    application_reinstate,
    application_request_changes,
    application_take_for_review,
)
from tests.applications.factories import login
from tests.factories import UserFactory
from tests.reviews.dri.builders import dossier_url, submitted
from tests.reviews.dri.test_dossier import DOSSIER_MAX_QUERIES

S = ApplicationState
ASKED = "Add your <i>B2</i> certificate."
CHANGED = "I added the <b>B2</b> certificate.\nAnd signed the CV."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def resubmitted(student, dri, message=CHANGED):
    application = application_request_changes(
        actor=dri, application=submitted(student), message=ASKED
    )
    return services.application_submit(actor=student, application=application, message=message)


def banner(response) -> str:
    content = response.content.decode()
    if 'id="resubmission"' not in content:
        return ""
    start = content.index('id="resubmission"')
    return content[start : content.index("</div>", start)]


def test_the_students_message_heads_the_dossier(client, student, dri):
    application = resubmitted(student, dri)
    response = login(client, dri).get(dossier_url(application))
    shown = banner(response)
    resubmission = application.history.last()
    at = date_format(timezone.localtime(resubmission.at), "DATETIME_FORMAT")
    assert f"Submitted again on {at}, after changes were asked for" in shown
    assert "What the student changed, in their words:" in shown
    assert "I added the &lt;b&gt;B2&lt;/b&gt; certificate.<br>And signed the CV." in shown
    # With the request it answers, to compare.
    assert f"by {dri}:" in shown
    assert "Add your &lt;i&gt;B2&lt;/i&gt; certificate." in shown
    content = response.content.decode()
    assert "<b>B2</b>" not in content and "<i>B2</i>" not in content
    # Near the state: before the rest of the dossier.
    assert content.index('id="resubmission"') < content.index('id="student-title"')


def test_the_staff_history_keeps_the_message(client, student, dri, dfi):
    application = resubmitted(student, dri)
    content = login(client, dfi).get(dossier_url(application)).content.decode()
    history = content[content.index('id="history-title"') :]
    assert "I added the &lt;b&gt;B2&lt;/b&gt; certificate.<br>And signed the CV." in history


def test_a_resubmission_without_a_message_says_so(client, student, dri):
    application = resubmitted(student, dri, message="")
    shown = banner(login(client, dri).get(dossier_url(application)))
    assert "The student did not say what they changed." in shown
    assert "in their words" not in shown


def test_it_stays_while_the_dossier_is_under_review(client, student, dri):
    application = application_take_for_review(actor=dri, application=resubmitted(student, dri))
    assert application.state == S.UNDER_REVIEW
    assert "I added the &lt;b&gt;B2&lt;/b&gt;" in banner(
        login(client, dri).get(dossier_url(application))
    )


def test_a_first_submission_has_none(client, student, dri):
    application = submitted(student)
    response = login(client, dri).get(dossier_url(application))
    assert response.context["resubmission"] is None
    assert banner(response) == ""


@pytest.mark.parametrize("decided", ["changes_requested", "nominated"])
def test_it_goes_once_the_office_has_decided(client, student, dri, decided):
    application = resubmitted(student, dri)
    if decided == "changes_requested":
        application_request_changes(actor=dri, application=application, message="Again.")
    else:
        application_nominate(
            actor=dri, application=application, choice=application.choices.get(), comment=""
        )
    assert banner(login(client, dri).get(dossier_url(application))) == ""


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_message_costs_the_dossier_no_query(client, student, other_student, dri):
    first = submitted(other_student)
    again = resubmitted(student, dri)
    login(client, dri).get(dossier_url(first))  # the session's first page writes more
    with CaptureQueriesContext(connection) as plain:
        client.get(dossier_url(first))
    with CaptureQueriesContext(connection) as quoted:
        response = client.get(dossier_url(again))
    assert banner(response)
    assert len(quoted.captured_queries) == len(plain.captured_queries) <= DOSSIER_MAX_QUERIES


def test_the_request_it_answers_is_not_the_undoing_of_a_withdrawal(client, student, dri):
    """Sent back for changes, withdrawn, taken back by another officer (back to waiting for
    changes), then submitted again: the changes asked for are the first officer's, not the
    reason the withdrawal was undone."""
    application = application_request_changes(
        actor=dri, application=submitted(student), message=ASKED
    )
    services.application_withdraw(actor=student, application=application)
    application.refresh_from_db()
    other = UserFactory(email="other-officer@example.org", role=Role.DRI)
    application_reinstate(actor=other, application=application, reason="Changed their mind.")
    application.refresh_from_db()
    assert application.state == S.CHANGES_REQUESTED
    services.application_submit(actor=student, application=application, message=CHANGED)
    shown = banner(login(client, dri).get(dossier_url(application)))
    assert f"by {dri}:" in shown
    assert "Add your &lt;i&gt;B2&lt;/i&gt; certificate." in shown
    assert "Changed their mind." not in shown
