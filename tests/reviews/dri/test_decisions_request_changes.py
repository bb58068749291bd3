"""Sending an application back to the student with what to change."""

import pytest
from django.urls import reverse

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState
from apps.applications.workflow import TransitionRefused
from apps.reviews.services.decisions import application_request_changes
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
MESSAGE = "Add your language certificate at level B2."


def data(application, message=MESSAGE):
    return seen(application, "request_changes", message=message)


@pytest.mark.parametrize("from_state", [S.SUBMITTED, S.UNDER_REVIEW])
def test_service_sends_it_back_with_the_message(dri, student, from_state):
    application = in_state(submitted(student), from_state)
    application = application_request_changes(actor=dri, application=application, message=MESSAGE)
    assert application.state == S.CHANGES_REQUESTED
    transition = application.history.last()
    assert (transition.actor, transition.from_state, transition.comment) == (
        dri,
        from_state,
        MESSAGE,
    )


def test_service_wants_a_message(dri, student):
    application = submitted(student)
    with pytest.raises(ServiceError):
        application_request_changes(actor=dri, application=application, message="  ")
    assert state_of(application) == S.SUBMITTED


def test_service_refuses_a_nominated_dossier(dri, student):
    application = nominated(student)
    with pytest.raises(TransitionRefused):
        application_request_changes(actor=dri, application=application, message=MESSAGE)
    assert state_of(application) == S.NOMINATED


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_service_refuses_anyone_but_the_dri(request, persona, student):
    application = submitted(student)
    with pytest.raises(ServiceError):
        application_request_changes(
            actor=request.getfixturevalue(persona), application=application, message=MESSAGE
        )
    assert state_of(application) == S.SUBMITTED


def test_dri_requests_changes_from_the_dossier_page(client, dri, student):
    application = submitted(student)
    response = post_as(client, dri, decision_url("request_changes", application), data(application))
    assert response.url == dossier_url(application)
    assert state_of(application) == S.CHANGES_REQUESTED
    assert messages_of(response) == ["The student is asked for changes."]
    assert application.history.last().comment == MESSAGE


def test_an_empty_message_is_a_form_error(client, dri, student):
    application = submitted(student)
    response = post_as(
        client, dri, decision_url("request_changes", application), data(application, "")
    )
    assert response.status_code == 400
    assert response.context["decisions"]["request_changes"].errors["message"]
    assert state_of(application) == S.SUBMITTED


def test_the_dossier_changed_meanwhile(client, dri, student):
    application = submitted(student)
    stale = data(application)
    in_state(application, S.REFUSED)
    response = post_as(client, dri, decision_url("request_changes", application), stale)
    assert messages_of(response)[0].startswith("This dossier changed since you opened it")
    assert state_of(application) == S.REFUSED


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_others_get_403(client, request, persona, student):
    application = submitted(student)
    url = decision_url("request_changes", application)
    response = post_as(client, request.getfixturevalue(persona), url, data(application))
    assert response.status_code == 403
    assert state_of(application) == S.SUBMITTED


def test_anonymous_is_sent_to_login(client, student):
    application = submitted(student)
    url = decision_url("request_changes", application)
    assert post_as(client, None, url, data(application)).url.startswith(reverse("login"))
    assert state_of(application) == S.SUBMITTED
