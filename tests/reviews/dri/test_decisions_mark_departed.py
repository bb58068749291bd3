"""Recording that an accepted student has left for the host."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState
from apps.applications.workflow import TransitionRefused
from apps.notifications.models import Notification
from apps.reviews.services.decisions import application_mark_departed
from mobility_portal.dates import long_date
from tests.applications.factories import login, messages_of
from tests.reviews.dri.builders import (
    decision_url,
    dossier_url,
    in_state,
    nominated,
    post_as,
    seen,
    state_of,
    stay_dated,
)

S = ApplicationState


def accepted(student):
    return in_state(nominated(student), S.ACCEPTED)


def test_service_marks_the_departure(dri, student):
    application = application_mark_departed(actor=dri, application=accepted(student))
    assert application.state == S.IN_MOBILITY
    assert application.history.last().from_state == S.ACCEPTED


def test_service_refuses_a_student_the_host_has_not_accepted(dri, student):
    application = nominated(student)
    with pytest.raises(TransitionRefused):
        application_mark_departed(actor=dri, application=application)
    assert state_of(application) == S.NOMINATED


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_service_refuses_anyone_but_the_dri(request, persona, student):
    application = accepted(student)
    with pytest.raises(ServiceError):
        application_mark_departed(actor=request.getfixturevalue(persona), application=application)
    assert state_of(application) == S.ACCEPTED


def test_dri_marks_it_from_the_dossier_page(client, dri, student):
    today = timezone.localdate()
    application = stay_dated(accepted(student), start=today - timedelta(days=100), end=today)
    url = decision_url("departed", application)
    response = post_as(client, dri, url, seen(application, "departed"))
    assert response.url == dossier_url(application)
    assert state_of(application) == S.IN_MOBILITY
    assert messages_of(response) == ["The student is recorded as departed."]


def test_the_dossier_changed_meanwhile(client, dri, student):
    application = accepted(student)
    stale = seen(application, "departed", confirm="on")
    in_state(application, S.IN_MOBILITY)
    response = post_as(client, dri, decision_url("departed", application), stale)
    assert messages_of(response)[0].startswith(
        "This dossier changed since you opened it: it is now in mobility."
    )
    assert application.history.count() == 1


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_others_get_403(client, request, persona, student):
    application = accepted(student)
    url = decision_url("departed", application)
    response = post_as(client, request.getfixturevalue(persona), url, seen(application, "departed"))
    assert response.status_code == 403
    assert state_of(application) == S.ACCEPTED


def test_anonymous_is_sent_to_login(client, student):
    application = accepted(student)
    response = post_as(client, None, decision_url("departed", application))
    assert response.url.startswith(reverse("login"))
    assert state_of(application) == S.ACCEPTED


def test_before_the_stays_day_the_page_asks_for_a_confirmation_naming_it(client, dri, student):
    """It cannot be undone: a click on the wrong dossier, or too early, used to be recorded
    at once."""
    today = timezone.localdate()
    application = stay_dated(
        accepted(student), start=today + timedelta(days=10), end=today + timedelta(days=100)
    )
    day = today + timedelta(days=10)
    login(client, dri)
    page = client.get(dossier_url(application)).content.decode()
    label = f"The stay begins on {long_date(day)}: I confirm the student has already left."
    assert escape(label) in page
    response = client.post(decision_url("departed", application), seen(application, "departed"))
    assert response.status_code == 400
    assert "confirm" in response.context["decisions"]["departed"].errors
    assert state_of(application) == S.ACCEPTED
    assert not Notification.objects.filter(recipient=student).exists()
    response = client.post(
        decision_url("departed", application), seen(application, "departed", confirm="on")
    )
    assert response.url == dossier_url(application)
    assert state_of(application) != S.ACCEPTED


def test_from_the_stays_day_no_confirmation_is_asked(client, dri, student):
    today = timezone.localdate()
    application = stay_dated(accepted(student), start=today - timedelta(days=100), end=today)
    login(client, dri)
    page = client.get(dossier_url(application))
    assert "confirm" not in page.context["decisions"]["departed"].fields
