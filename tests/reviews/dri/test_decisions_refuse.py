"""Refusing an application, with its reason and an explicit confirmation."""

import pytest
from django.urls import reverse

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState
from apps.applications.workflow import TransitionRefused
from apps.reviews.services.decisions import application_refuse
from tests.applications.factories import messages_of
from tests.reviews.dri.builders import (
    decision_url,
    dossier_url,
    in_state,
    nominated,
    post_as,
    seen,
    state_of,
    submitted,
)

S = ApplicationState
REASON = "The language level required by every choice is C1."


def data(application, reason=REASON, confirm="on"):
    return seen(application, "refuse", reason=reason, confirm=confirm)


# Changes requested too: a student who never answers is not left open for ever.
@pytest.mark.parametrize("from_state", [S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED])
def test_service_refuses_with_the_reason(dri, student, from_state):
    application = in_state(submitted(student), from_state)
    application = application_refuse(actor=dri, application=application, reason=REASON)
    assert application.state == S.REFUSED
    assert application.history.last().comment == REASON


def test_service_wants_a_reason(dri, student):
    application = submitted(student)
    with pytest.raises(ServiceError):
        application_refuse(actor=dri, application=application, reason="")
    assert state_of(application) == S.SUBMITTED


def test_service_cannot_refuse_a_nominated_student(dri, student):
    application = nominated(student)
    with pytest.raises(TransitionRefused):
        application_refuse(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.NOMINATED


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_service_refuses_anyone_but_the_dri(request, persona, student):
    application = submitted(student)
    with pytest.raises(ServiceError):
        application_refuse(
            actor=request.getfixturevalue(persona), application=application, reason=REASON
        )
    assert state_of(application) == S.SUBMITTED


def test_dri_refuses_from_the_dossier_page(client, dri, student):
    application = submitted(student)
    response = post_as(client, dri, decision_url("refuse", application), data(application))
    assert response.url == dossier_url(application)
    assert state_of(application) == S.REFUSED
    assert messages_of(response) == ["The application is refused."]


@pytest.mark.parametrize(
    ("reason", "confirm", "field"), [("", "on", "reason"), (REASON, "", "confirm")]
)
def test_a_missing_reason_or_confirmation_is_a_form_error(
    client, dri, student, reason, confirm, field
):
    application = submitted(student)
    url = decision_url("refuse", application)
    response = post_as(client, dri, url, data(application, reason, confirm))
    assert response.status_code == 400
    assert list(response.context["decisions"]["refuse"].errors) == [field]
    assert state_of(application) == S.SUBMITTED


def test_the_dossier_changed_meanwhile(client, dri, student):
    application = submitted(student)
    stale = data(application)
    in_state(application, S.NOMINATED)
    response = post_as(client, dri, decision_url("refuse", application), stale)
    assert messages_of(response)[0].startswith(
        "This dossier changed since you opened it: it is now nominated."
    )
    assert state_of(application) == S.NOMINATED


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_others_get_403(client, request, persona, student):
    application = submitted(student)
    url = decision_url("refuse", application)
    response = post_as(client, request.getfixturevalue(persona), url, data(application))
    assert response.status_code == 403
    assert state_of(application) == S.SUBMITTED


def test_anonymous_is_sent_to_login(client, student):
    application = submitted(student)
    response = post_as(client, None, decision_url("refuse", application), data(application))
    assert response.url.startswith(reverse("login"))
    assert state_of(application) == S.SUBMITTED


def test_the_dossier_waiting_for_changes_offers_the_refusal(client, dri, student):
    from tests.applications.factories import login

    application = in_state(submitted(student), S.CHANGES_REQUESTED)
    decisions = login(client, dri).get(dossier_url(application)).context["decisions"]
    assert "refuse" in decisions
