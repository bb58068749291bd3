"""Recording that a student is back from the mobility."""

import pytest
from django.urls import reverse

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState
from apps.applications.workflow import TransitionRefused
from apps.reviews.services.decisions import application_mark_returned
from tests.applications.factories import messages_of
from tests.reviews.dri.builders import (
    decision_url,
    dossier_url,
    in_state,
    nominated,
    post_as,
    seen,
    state_of,
)

S = ApplicationState


def abroad(student):
    return in_state(nominated(student), S.IN_MOBILITY)


def test_service_marks_the_return(dri, student):
    application = application_mark_returned(actor=dri, application=abroad(student))
    assert application.state == S.RETURNED
    assert application.history.last().from_state == S.IN_MOBILITY


def test_service_refuses_a_student_not_yet_gone(dri, student):
    application = in_state(nominated(student), S.ACCEPTED)
    with pytest.raises(TransitionRefused):
        application_mark_returned(actor=dri, application=application)
    assert state_of(application) == S.ACCEPTED


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_service_refuses_anyone_but_the_dri(request, persona, student):
    application = abroad(student)
    with pytest.raises(ServiceError):
        application_mark_returned(actor=request.getfixturevalue(persona), application=application)
    assert state_of(application) == S.IN_MOBILITY


def test_dri_marks_it_from_the_dossier_page(client, dri, student):
    application = abroad(student)
    url = decision_url("returned", application)
    response = post_as(client, dri, url, seen(application, "returned"))
    assert response.url == dossier_url(application)
    assert state_of(application) == S.RETURNED
    assert messages_of(response) == ["The student is recorded as back from mobility."]


def test_the_dossier_changed_meanwhile(client, dri, student):
    application = abroad(student)
    stale = seen(application, "returned")
    in_state(application, S.RETURNED)
    response = post_as(client, dri, decision_url("returned", application), stale)
    assert messages_of(response)[0].startswith(
        "This dossier changed since you opened it: it is now returned."
    )
    assert application.history.count() == 1


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_others_get_403(client, request, persona, student):
    application = abroad(student)
    url = decision_url("returned", application)
    response = post_as(client, request.getfixturevalue(persona), url, seen(application, "returned"))
    assert response.status_code == 403
    assert state_of(application) == S.IN_MOBILITY


def test_anonymous_is_sent_to_login(client, student):
    application = abroad(student)
    response = post_as(client, None, decision_url("returned", application))
    assert response.url.startswith(reverse("login"))
    assert state_of(application) == S.IN_MOBILITY
