import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState, Transition
from tests.applications.factories import complete_application, draft_with_choice, login, messages_of
from tests.reviews.dri import builders


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


def test_a_draft_withdrawn_before_submission_can_be_started_again(client, student, english):
    """Withdrawing a draft read as "cancel it": applying again gives it back, with its
    history, instead of "you already have an application for this call" for good."""

    draft = draft_with_choice(student)
    draft.motivation = "Robots."
    draft.save()
    login(client, student)
    confirm = client.get(reverse("applications:application_withdraw", args=[draft.pk]))
    assert "applying to it again gives you this draft back" in confirm.content.decode()
    services.application_withdraw(actor=student, application=draft)
    calls = client.get(reverse("applications:application_list")).content.decode()
    assert "Start this draft again" in calls
    response = client.post(reverse("applications:application_start", args=[draft.call.pk]))
    assert response.url == reverse("applications:application_edit", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.state, draft.motivation, draft.choices.count()) == (
        ApplicationState.DRAFT,
        "Robots.",
        1,
    )
    assert [(t.from_state, t.to_state) for t in draft.history.all()] == [
        (ApplicationState.DRAFT, ApplicationState.WITHDRAWN),
        (ApplicationState.WITHDRAWN, ApplicationState.DRAFT),
    ]


def test_an_application_withdrawn_after_submission_stays_withdrawn(client, student, english):
    application = builders.submitted(student)
    login(client, student)
    confirm = client.get(reverse("applications:application_withdraw", args=[application.pk]))
    assert "you cannot apply to this call again" in confirm.content.decode()
    services.application_withdraw(actor=student, application=application)
    with pytest.raises(ServiceError) as refused:
        services.application_start(actor=student, call=application.call)
    assert refused.value.reasons == [
        "You withdrew your application to this call after submitting it: you cannot apply to "
        "this call again."
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN


def test_a_nomination_since_the_confirmation_page_is_read_first(client, student, dri, english):
    """The page said nothing of a seat (the application was submitted); the office nominated
    the student meanwhile: withdrawing from that page would give up a seat unannounced."""
    from apps.reviews.services.decisions import application_nominate

    login(client, student)
    submitted = complete_application(student)
    services.application_submit(actor=student, application=submitted)
    page = client.get(withdraw_url(submitted))
    seen_state = page.context["form"]["seen_state"].value()
    assert seen_state == ApplicationState.SUBMITTED
    submitted.refresh_from_db()
    application_nominate(actor=dri, application=submitted, choice=submitted.choices.get())
    response = client.post(withdraw_url(submitted), {"comment": "", "seen_state": seen_state})
    assert messages_of(response) == [
        "Your application is now nominated: read what withdrawing it means now, then confirm again."
    ]
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.NOMINATED
    # The page now says which seat withdrawing gives up; from it, the student withdraws.
    page = client.get(withdraw_url(submitted))
    assert page.context["seat_given_up"]
    client.post(withdraw_url(submitted), {"seen_state": page.context["form"]["seen_state"].value()})
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.WITHDRAWN


def test_a_withdrawal_refused_for_a_decision_since_shows_the_confirmation_again_with_the_comment(
    client, student, dri, english
):
    """Refused because the office nominated the student since the page was opened, the
    confirmation is shown again as it now reads (the seat it gives up), with the comment the
    student wrote: they confirm again from there, as the message says, without retyping it."""
    from apps.reviews.services.decisions import application_nominate

    login(client, student)
    submitted = complete_application(student)
    services.application_submit(actor=student, application=submitted)
    client.get(withdraw_url(submitted))
    submitted.refresh_from_db()
    application_nominate(actor=dri, application=submitted, choice=submitted.choices.get())
    response = client.post(
        withdraw_url(submitted),
        {"comment": "I was offered an internship.", "seen_state": ApplicationState.SUBMITTED},
    )
    assert response.status_code == 409
    assert response.templates[0].name == "applications/withdraw_confirm.html"
    content = response.content.decode()
    assert "Your application is now nominated: read what withdrawing it means now" in content
    assert "Withdrawing gives up your seat at" in content
    assert "I was offered an internship.</textarea>" in content
    form = response.context["form"]
    assert form["seen_state"].value() == ApplicationState.NOMINATED
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.NOMINATED

    client.post(
        withdraw_url(submitted),
        {"comment": form["comment"].value(), "seen_state": form["seen_state"].value()},
    )
    last = Transition.objects.filter(application=submitted).last()
    assert (last.to_state, last.comment) == (
        ApplicationState.WITHDRAWN,
        "I was offered an internship.",
    )
