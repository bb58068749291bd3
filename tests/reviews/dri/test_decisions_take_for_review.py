"""Taking a submitted application for review."""

import pytest
from django.urls import reverse

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState
from apps.applications.workflow import TransitionRefused
from apps.reviews.services.decisions import application_take_for_review
from tests.applications.factories import login, messages_of
from tests.reviews.dri.builders import (
    decision_url,
    dossier_url,
    in_state,
    post_as,
    seen,
    state_of,
    submitted,
)

S = ApplicationState


def test_service_moves_to_under_review_with_its_audit_row(dri, student):
    application = application_take_for_review(actor=dri, application=submitted(student))
    assert application.state == S.UNDER_REVIEW
    transition = application.history.last()
    assert (transition.actor, transition.from_state, transition.to_state) == (
        dri,
        S.SUBMITTED,
        S.UNDER_REVIEW,
    )


def test_service_refuses_a_dossier_already_under_review(dri, student):
    application = in_state(submitted(student), S.UNDER_REVIEW)
    with pytest.raises(TransitionRefused):
        application_take_for_review(actor=dri, application=application)
    assert application.history.count() == 1


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_service_refuses_anyone_but_the_dri(request, persona, student):
    application = submitted(student)
    with pytest.raises(ServiceError):
        application_take_for_review(actor=request.getfixturevalue(persona), application=application)
    assert state_of(application) == S.SUBMITTED


def test_dri_takes_it_from_the_dossier_page(client, dri, student):
    application = submitted(student)
    response = post_as(client, dri, decision_url("take", application), seen(application, "take"))
    assert response.status_code == 302
    assert response.url == dossier_url(application)
    assert state_of(application) == S.UNDER_REVIEW
    assert messages_of(response) == ["The application is now under review."]


def test_a_colleague_was_faster_the_dossier_changed(client, dri, student):
    application = submitted(student)
    data = seen(application, "take")
    in_state(application, S.UNDER_REVIEW)
    response = post_as(client, dri, decision_url("take", application), data)
    assert response.status_code == 409
    [message] = messages_of(response)
    assert message.startswith("This dossier changed since you opened it: it is now under review.")
    assert application.history.count() == 1
    # The page came back at the decision's POST-only address: the language switch goes to
    # the dossier's own.
    dossier = reverse("reviews:dossier", args=[application.pk])
    assert f'<input type="hidden" name="next" value="{dossier}">' in response.content.decode()


def test_a_decision_still_allowed_from_the_new_state_is_refused_too(client, dri, student):
    application = submitted(student)
    data = seen(application, "refuse")
    data.update({"refuse-reason": "Incomplete", "refuse-confirm": "on"})
    in_state(application, S.UNDER_REVIEW)  # a colleague took it meanwhile
    response = post_as(client, dri, decision_url("refuse", application), data)
    assert response.status_code == 409
    assert state_of(application) == S.UNDER_REVIEW


def test_a_move_the_state_never_allowed_gives_the_reason(client, dri, student):
    application = in_state(submitted(student), S.REFUSED)
    response = post_as(client, dri, decision_url("take", application), seen(application, "take"))
    assert messages_of(response) == ["This application is refused: it cannot become under review."]
    assert state_of(application) == S.REFUSED


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_others_get_403(client, request, persona, student):
    application = submitted(student)
    url = decision_url("take", application)
    response = post_as(client, request.getfixturevalue(persona), url, seen(application, "take"))
    assert response.status_code == 403
    assert state_of(application) == S.SUBMITTED


def test_anonymous_is_sent_to_login(client, student):
    application = submitted(student)
    response = post_as(client, None, decision_url("take", application))
    assert response.url.startswith(reverse("login"))
    assert state_of(application) == S.SUBMITTED


def test_get_is_not_allowed(client, dri, student):
    application = submitted(student)
    assert login(client, dri).get(decision_url("take", application)).status_code == 405
