"""The dossier's undo: offered only where a nomination, a departure or a return may be taken
back, confirmed, and shown in the history as an undo."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.applications.models import ApplicationState, Transition
from apps.reviews.services.decisions import (
    application_mark_returned,
    application_record_host_decision,
)
from mobility_portal.dates import long_date
from tests.applications.factories import ChoiceFactory, login, messages_of
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
from tests.reviews.dri.test_decisions_undo import departed, nominate, transcript
from tests.reviews.dri.test_dossier import DOSSIER_MAX_QUERIES

S = ApplicationState
REASON = "Clicked on the wrong dossier."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def undo_data(application, **fields):
    return seen(application, "undo", **{"reason": REASON, "confirm": "on", **fields})


def offered(client, dri, application):
    response = login(client, dri).get(dossier_url(application))
    assert response.status_code == 200
    return response.context["decisions"].get("undo"), response.content.decode()


def test_offered_after_a_nomination_saying_what_it_does(client, dri, student):
    application = nominate(dri, submitted(student))
    form, content = offered(client, dri, application)
    assert form.title == "Undo the nomination" and form.back_to == S.SUBMITTED
    assert decision_url("undo", application) in content
    assert "the application goes back to submitted" in content
    assert "its seat is free again" in content


def test_a_nomination_outside_partnerships_frees_no_seat_and_says_none(client, dri, student):
    """No agreement, no seat: the confirmation says the rest, not that a seat is free again."""
    application = submitted(student)
    ChoiceFactory(
        application=application,
        rank=2,
        activity=application.choices.get().activity,
        agreement=None,
        host_name="Tokyo Institute of Technology",
    )
    application = nominate(dri, application, rank=2)
    form, content = offered(client, dri, application)
    assert not form.holds_seat
    assert "seat" not in str(form.fields["confirm"].label)
    assert (
        "I confirm: the nomination is undone, the stay goes back to the host it named before, "
        "and the application is submitted again."
    ) in content
    response = post_as(client, dri, decision_url("undo", application), undo_data(application))
    assert response.status_code == 302 and state_of(application) == S.SUBMITTED


def test_a_nomination_under_an_agreement_says_its_seat_is_free_again(client, dri, student):
    form, content = offered(client, dri, nominate(dri, submitted(student)))
    assert form.holds_seat
    assert (
        "I confirm: the nomination is undone, its seat is free again, the stay goes back to the "
        "host it named before, and the application is submitted again."
    ) in content


def test_each_undoable_state_has_its_words_and_the_workflow_reads_its_states():
    """One entry per undoable state (apps.applications.undoable): the undo table and every word
    of the undo read it, so that none is missing for a new state."""
    from apps.applications.undoable import UNDOABLE_MOVES
    from apps.applications.workflow import UNDOABLE_FROM

    assert {state: move.back_to for state, move in UNDOABLE_MOVES.items()} == UNDOABLE_FROM
    with translation.override("en"):
        for move in UNDOABLE_MOVES.values():
            assert str(move.title) and str(move.step_undone)
            for holds_seat in (True, False):
                assert str(move.confirmation_for(holds_seat=holds_seat) % {"state": "x"})


@pytest.mark.parametrize(
    ("steps", "title", "back_to"),
    [(1, "Undo the departure", S.ACCEPTED), (2, "Undo the return", S.IN_MOBILITY)],
)
def test_offered_after_a_departure_and_a_return(client, dri, student, steps, title, back_to):
    application = departed(dri, student)
    if steps == 2:
        application = application_mark_returned(actor=dri, application=application)
    form, _content = offered(client, dri, application)
    assert (form.title, form.back_to) == (title, back_to)


def test_the_page_says_why_once_the_transcript_came(client, dri, student):
    application = departed(dri, student)
    transcript(application)
    form, content = offered(client, dri, application)
    assert "uploaded the host's transcript of records since" in form.refusal
    assert "uploaded the host&#x27;s transcript of records since" in content
    assert 'name="undo-reason"' not in content


def test_not_offered_where_there_is_nothing_to_undo(client, dri, student, other_student):
    assert offered(client, dri, submitted(student))[0] is None
    # A nomination recorded before undos existed keeps nothing to restore: not offered.
    legacy = nominated(other_student)
    Transition.objects.create(
        application=legacy, actor=dri, from_state=S.SUBMITTED, to_state=S.NOMINATED
    )
    form, content = offered(client, dri, legacy)
    assert form is None and decision_url("undo", legacy) not in content


def test_the_dfi_reads_the_dossier_without_the_undo(client, dfi, dri, student):
    application = nominate(dri, submitted(student))
    response = login(client, dfi).get(dossier_url(application))
    assert decision_url("undo", application) not in response.content.decode()


def test_undone_from_the_page_and_shown_as_an_undo(client, dri, student):
    application = nominate(dri, submitted(student))
    response = post_as(client, dri, decision_url("undo", application), undo_data(application))
    assert response.status_code == 302 and response.url == dossier_url(application)
    assert state_of(application) == S.SUBMITTED
    assert messages_of(response) == [
        "Undone: the application is submitted again; the student is told."
    ]
    page = client.get(dossier_url(application)).content.decode()
    assert "undo of the previous step" in page and ">undone<" in page
    # The student's page tells it the same way.
    student_page = login(client, student).get(
        reverse("applications:application_detail", args=[application.pk])
    )
    assert "undo of the previous step" in student_page.content.decode()


def test_the_confirmation_is_required(client, dri, student):
    application = nominate(dri, submitted(student))
    data = undo_data(application)
    del data["undo-confirm"]
    response = post_as(client, dri, decision_url("undo", application), data)
    assert response.status_code == 400
    assert response.context["decisions"]["undo"].errors["confirm"]
    assert state_of(application) == S.NOMINATED


def test_the_reason_is_required(client, dri, student):
    application = nominate(dri, submitted(student))
    response = post_as(
        client, dri, decision_url("undo", application), undo_data(application, reason="")
    )
    assert response.status_code == 400
    assert response.context["decisions"]["undo"].errors["reason"]
    assert state_of(application) == S.NOMINATED


def test_a_page_older_than_the_hosts_answer_is_stale(client, dri, student):
    application = nominate(dri, submitted(student))
    data = undo_data(application)
    application_record_host_decision(
        actor=dri, application=application, accepted=True, letter=pdf_upload()
    )
    response = post_as(client, dri, decision_url("undo", application), data)
    assert response.status_code == 409
    assert state_of(application) == S.ACCEPTED


def test_sent_twice_the_second_is_told_the_dossier_changed(client, dri, student):
    application = nominate(dri, submitted(student))
    data = undo_data(application)
    post_as(client, dri, decision_url("undo", application), data)
    response = post_as(client, dri, decision_url("undo", application), data)
    assert response.status_code == 409
    assert "changed since you opened it" in messages_of(response)[-1]
    assert application.history.filter(undoes__isnull=False).count() == 1


def test_nothing_to_undo_is_a_refusal_not_a_crash(client, dri, student):
    application = submitted(student)
    response = post_as(client, dri, decision_url("undo", application), undo_data(application))
    assert response.status_code == 400
    assert "no nomination, departure or return to undo" in messages_of(response)[-1]


@pytest.mark.parametrize("persona", ["student", "advisor", "dfi"])
def test_nobody_else_undoes(client, request, dri, student, persona):
    application = nominate(dri, submitted(student))
    response = post_as(
        client,
        request.getfixturevalue(persona),
        decision_url("undo", application),
        undo_data(application),
    )
    assert response.status_code in (403, 404)
    assert state_of(application) == S.NOMINATED


def test_an_unknown_dossier_is_a_404(client, dri):
    response = post_as(client, dri, reverse("reviews:dossier_undo", args=[999999]), {})
    assert response.status_code == 404


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_undo_costs_the_dossier_no_query(client, dri, student, other_student):
    """Offered and its history marked from the history the page prefetched."""
    plain = nominated(other_student)
    offering = nominate(dri, submitted(student))
    login(client, dri).get(dossier_url(plain))  # the session's first page writes more
    with CaptureQueriesContext(connection) as without_undo:
        client.get(dossier_url(plain))
    with CaptureQueriesContext(connection) as with_undo:
        response = client.get(dossier_url(offering))
    assert "undo" in response.context["decisions"]
    assert len(with_undo.captured_queries) == len(without_undo.captured_queries)
    assert len(with_undo.captured_queries) <= DOSSIER_MAX_QUERIES


def test_an_undone_nomination_a_partner_was_sent_says_to_send_it_the_list_again(
    client, dri, other_student
):
    """The partner's incoming office read this student's name in the last list it got: the
    office is told to send it the list again, where nothing said so."""
    from apps.programmes.models import Partner
    from apps.reviews.services.nominations import nomination_notice_send
    from tests.reviews.nominations.builders import seen_now

    application = nominate(dri, submitted(other_student))
    partner = Partner.objects.get(agreements__choices__application=application)
    Partner.objects.filter(pk=partner.pk).update(
        name="Universität Wien", nomination_email="incoming@partner.example"
    )
    partner.refresh_from_db()
    notice = nomination_notice_send(
        actor=dri,
        call=application.call,
        partner=partner,
        seen=seen_now(application.call, partner),
    )
    response = post_as(client, dri, decision_url("undo", application), undo_data(application))
    [message] = messages_of(response)
    assert message.startswith("Undone: the application is submitted again;")
    with translation.override("en"):
        sent = long_date(notice.sent_at)
    assert message.endswith(
        f"Universität Wien received a list naming this student on {sent}: send it the list "
        "again from Nominations to partners."
    )
