"""Nominating a student to one of their choices."""

import pytest
from django.urls import reverse

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState
from apps.applications.workflow import TransitionRefused
from apps.reviews.services.decisions import application_nominate
from tests.applications.factories import ChoiceFactory, login, messages_of
from tests.factories import AgreementFactory, PartnerFactory
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


def data(application, choice, comment=""):
    return seen(application, "nominate", choice=choice.pk, comment=comment)


def test_service_nominates_to_the_choice(dri, student):
    application = submitted(student)
    second = ChoiceFactory(application=application, rank=2)
    application = application_nominate(actor=dri, application=application, choice=second)
    assert (application.state, application.nominated_choice) == (S.NOMINATED, second)
    assert application.history.last().comment == second.destination


def test_service_refuses_another_applications_choice(dri, student, other_student):
    application = submitted(student)
    foreign = submitted(other_student).choices.get()
    with pytest.raises(ServiceError):
        application_nominate(actor=dri, application=application, choice=foreign)
    assert state_of(application) == S.SUBMITTED


def test_service_refuses_a_refused_dossier(dri, student):
    application = in_state(submitted(student), S.REFUSED)
    with pytest.raises(TransitionRefused):
        application_nominate(actor=dri, application=application, choice=application.choices.get())


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_service_refuses_anyone_but_the_dri(request, persona, student):
    application = submitted(student)
    with pytest.raises(ServiceError):
        application_nominate(
            actor=request.getfixturevalue(persona),
            application=application,
            choice=application.choices.get(),
        )
    assert state_of(application) == S.SUBMITTED


def test_dri_nominates_from_the_dossier_page(client, dri, student):
    application = submitted(student)
    choice = application.choices.select_related("agreement__partner").get()
    url = decision_url("nominate", application)
    response = post_as(client, dri, url, data(application, choice, "Congratulations!"))
    assert response.url == dossier_url(application)
    application.refresh_from_db()
    assert (application.state, application.nominated_choice) == (S.NOMINATED, choice)
    assert application.history.last().comment == "Congratulations!"
    assert messages_of(response) == [f"The student is nominated to {choice.destination}."]


def test_the_choice_of_another_application_is_a_form_error(client, dri, student, other_student):
    application = submitted(student)
    foreign = submitted(other_student).choices.get()
    response = post_as(
        client, dri, decision_url("nominate", application), data(application, foreign)
    )
    assert response.status_code == 400
    assert response.context["decisions"]["nominate"].errors["choice"]
    assert state_of(application) == S.SUBMITTED


def test_no_choice_is_a_form_error(client, dri, student):
    application = submitted(student)
    response = post_as(
        client, dri, decision_url("nominate", application), seen(application, "nominate")
    )
    assert response.status_code == 400
    assert state_of(application) == S.SUBMITTED


def test_the_dossier_changed_meanwhile(client, dri, student):
    application = submitted(student)
    stale = data(application, application.choices.get())
    in_state(application, S.WITHDRAWN)
    response = post_as(client, dri, decision_url("nominate", application), stale)
    assert messages_of(response)[0].startswith(
        "This dossier changed since you opened it: it is now withdrawn."
    )
    assert state_of(application) == S.WITHDRAWN


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_others_get_403(client, request, persona, student):
    application = submitted(student)
    url = decision_url("nominate", application)
    response = post_as(
        client, request.getfixturevalue(persona), url, data(application, application.choices.get())
    )
    assert response.status_code == 403
    assert state_of(application) == S.SUBMITTED


def test_anonymous_is_sent_to_login(client, student):
    application = submitted(student)
    url = decision_url("nominate", application)
    response = post_as(client, None, url, data(application, application.choices.get()))
    assert response.url.startswith(reverse("login"))
    assert state_of(application) == S.SUBMITTED


def test_the_plan_follows_the_nomination_to_another_partner(client, dri, student):
    """A choice ranks any partner of the activity's kind: once nominated there, the plan's
    activity names that host and its country, for the plan's check, its timeline and the
    course plan, instead of the host the student first wrote down."""
    application = submitted(student)
    semester = application.choices.get().activity
    aalto = PartnerFactory(name="Aalto University", country="FI")
    second = ChoiceFactory(
        application=application,
        rank=2,
        activity=semester,
        agreement=AgreementFactory(partner=aalto),
    )
    application_nominate(actor=dri, application=application, choice=second)
    semester.refresh_from_db()
    assert (semester.partner, semester.country, semester.host_name) == (aalto, "FI", "")
    plan_page = login(client, student).get(reverse("applications:plan")).content.decode()
    assert "Aalto University" in plan_page


def test_a_choice_outside_partnerships_leaves_the_activity_as_it_is(dri, student):
    application = submitted(student)
    semester = application.choices.get().activity
    before = (semester.partner_id, semester.country, semester.host_name)
    own_host = ChoiceFactory(application=application, rank=2, activity=semester, agreement=None)
    application_nominate(actor=dri, application=application, choice=own_host)
    semester.refresh_from_db()
    assert (semester.partner_id, semester.country, semester.host_name) == before
