import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import ApplicationState, Transition
from tests.applications.factories import complete_application, login, messages_of


def withdraw_url(application):
    return reverse("applications:application_withdraw", args=[application.pk])


@pytest.fixture
def submitted(student):
    application = complete_application(student)
    services.application_submit(actor=student, application=application)
    return application


def test_owner_sees_a_confirmation_page(client, student, submitted):
    response = login(client, student).get(withdraw_url(submitted))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'method="post"' in content
    assert 'for="id_comment"' in content
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED


def test_withdraw_a_submitted_application_with_a_comment(client, student, submitted):
    response = login(client, student).post(
        withdraw_url(submitted), {"comment": "I got an internship."}
    )
    assert response.url == reverse("applications:application_detail", args=[submitted.pk])
    assert messages_of(response) == ["Your application is withdrawn."]
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.WITHDRAWN
    last = Transition.objects.filter(application=submitted).last()
    assert (last.actor, last.from_state, last.to_state, last.comment) == (
        student,
        ApplicationState.SUBMITTED,
        ApplicationState.WITHDRAWN,
        "I got an internship.",
    )
    page = client.get(response.url).content.decode()
    assert "I got an internship." in page


def test_withdraw_a_draft_without_comment(client, student):
    application = complete_application(student)
    login(client, student).post(withdraw_url(application), {"comment": ""})
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert Transition.objects.get(application=application).from_state == ApplicationState.DRAFT


def test_too_long_comment_is_a_form_error_and_nothing_changes(client, student, submitted):
    comment = "x" * 2001
    response = login(client, student).post(withdraw_url(submitted), {"comment": comment})
    assert response.status_code == 400
    assert "comment" in response.context["form"].errors
    assert comment in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED


def test_withdrawn_application_cannot_be_withdrawn_again(client, student, submitted):
    services.application_withdraw(actor=student, application=submitted)
    refusal = "This application is withdrawn: it can no longer be withdrawn."
    response = login(client, student).get(withdraw_url(submitted))
    assert messages_of(response) == [refusal]
    assert Transition.objects.filter(application=submitted).count() == 2


def test_another_student_gets_404(client, other_student, submitted):
    assert login(client, other_student).post(withdraw_url(submitted)).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi"])
def test_who_may_see_may_not_withdraw(client, request, persona, submitted):
    response = login(client, request.getfixturevalue(persona)).post(withdraw_url(submitted))
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED


def test_anonymous_is_sent_to_login(client, submitted):
    assert client.post(withdraw_url(submitted)).url.startswith(reverse("login"))
