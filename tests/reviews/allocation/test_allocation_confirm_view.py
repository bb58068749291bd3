"""Confirming the reviewed allocation: every placed student nominated at once, or nobody."""

# ruff: noqa: F811  (the fixture `hosts` is imported from test_allocation_confirm_writes)

import re

import pytest
from django.urls import reverse

from apps.applications import services as student_services
from apps.applications.models import Application, Transition
from apps.applications.workflow import as_seen, last_transition_id
from apps.reviews.services import allocation
from apps.reviews.services.decisions import (
    application_reinstate,
    application_request_changes,
    application_withdraw_for_student,
)
from apps.reviews.services.undo import application_undo
from tests.applications.factories import login, messages_of
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import (
    S,
    confirm_url,
    decisions_post,
    detail_url,
    review_url,
    seen_post,
    waiting,
)
from tests.reviews.allocation.test_allocation_confirm_writes import (  # noqa: F401 (a fixture)
    hosts,
    new_student,
    staying_at_munich,
)


@pytest.fixture
def call(db):
    return CallFactory(academic_year=2027)


@pytest.fixture
def world(call):
    alpha = AgreementFactory(partner__name="Alpha", seats_per_year=1)
    beta = AgreementFactory(partner__name="Beta", seats_per_year=1)
    best = waiting(call, [alpha, beta], score="18")
    middle = waiting(call, [alpha, beta], score="15")
    last = waiting(call, [alpha, beta], score="12")
    return {"alpha": alpha, "beta": beta, "best": best, "middle": middle, "last": last}


def proposal_post(world) -> dict[str, str]:
    """The review page's form, shown now: the proposal's decisions, and what it showed of each
    application."""
    applications = [world["best"], world["middle"], world["last"]]
    return decisions_post(
        {
            world["best"]: world["best"].choices.get(rank=1),
            world["middle"]: world["middle"].choices.get(rank=2),
            world["last"]: None,
        }
    ) | seen_post(applications)


def states(world) -> list[str]:
    return [Application.objects.get(pk=world[name].pk).state for name in ("best", "middle", "last")]


def test_confirming_nominates_the_placed_students(client, dri, call, world):
    response = login(client, dri).post(confirm_url(call), proposal_post(world))
    assert response.url == detail_url(call)
    assert messages_of(response) == ["2 students nominated."]
    assert states(world) == [S.NOMINATED, S.NOMINATED, S.SUBMITTED]
    assert Application.objects.get(pk=world["middle"].pk).nominated_choice == world[
        "middle"
    ].choices.get(rank=2)


def test_the_same_confirmation_sent_twice_says_it_is_done(client, dri, call, world):
    first = login(client, dri).post(confirm_url(call), proposal_post(world))
    assert messages_of(first) == ["2 students nominated."]
    client.get(first.url)  # the allocation page shows, and so consumes, that message
    again = client.post(confirm_url(call), proposal_post(world))
    assert again.url == detail_url(call)
    assert messages_of(again) == [
        "This allocation is already confirmed: its students are nominated."
    ]
    assert Transition.objects.filter(to_state=S.NOMINATED).count() == 2


def test_the_same_confirmation_sent_twice_at_once_says_it_is_done(
    client, dri, call, world, monkeypatch
):
    """A double click: the second request reads the applications before the first commits,
    then waits for its locks, and is refused once they are nominated. It says it is done."""
    confirm = allocation.allocation_confirm

    def the_other_click_first(**kwargs):
        confirm(**kwargs)  # the first request, done while this one waited
        return confirm(**kwargs)

    monkeypatch.setattr(allocation, "allocation_confirm", the_other_click_first)
    response = login(client, dri).post(confirm_url(call), proposal_post(world))
    assert response.url == detail_url(call)
    assert messages_of(response) == [
        "This allocation is already confirmed: its students are nominated."
    ]
    assert Transition.objects.filter(to_state=S.NOMINATED).count() == 2


def test_a_withdrawal_since_the_review_nominates_nobody(client, dri, call, world):
    middle = world["middle"]
    student_services.application_withdraw(actor=middle.student, application=middle)
    response = login(client, dri).post(confirm_url(call), proposal_post(world))
    assert response.status_code == 400
    assert messages_of(response) == [
        "Nobody was nominated.",
        f"{middle.student}: This application is withdrawn: it cannot become nominated.",
    ]
    page = response.content.decode()
    assert "This application is withdrawn: it cannot become nominated." in page
    assert states(world) == [S.SUBMITTED, S.WITHDRAWN, S.SUBMITTED]
    assert not Transition.objects.filter(to_state=S.NOMINATED).exists()


def test_an_over_allocating_post_is_refused(client, dri, call, world):
    post = proposal_post(world) | decisions_post({world["last"]: world["last"].choices.get(rank=1)})
    response = login(client, dri).post(confirm_url(call), post)
    assert response.status_code == 400
    assert messages_of(response) == [
        "Nobody was nominated.",
        "Alpha — Semester or year exchange: more students than seats left (2 for 1).",
    ]
    assert response.context["board"].over_allocation == [
        "Alpha — Semester or year exchange: more students than seats left (2 for 1)."
    ]
    assert states(world) == [S.SUBMITTED, S.SUBMITTED, S.SUBMITTED]


def test_an_application_submitted_since_the_review_refuses_the_confirmation(
    client, dri, call, world
):
    newcomer = waiting(call, [world["alpha"]], score="19")
    response = login(client, dri).post(confirm_url(call), proposal_post(world))
    assert response.status_code == 400
    assert messages_of(response)[1] == (
        "Since the page was shown, this application entered the allocation: "
        f"{newcomer.student}. Review the new proposal."
    )
    assert states(world) == [S.SUBMITTED, S.SUBMITTED, S.SUBMITTED]
    assert response.context["board"].rows[0].application == newcomer


def test_an_unreadable_post_nominates_nobody(client, dri, call, world):
    post = proposal_post(world) | {f"decision-{world['best'].pk}": "first"}
    response = login(client, dri).post(confirm_url(call), post)
    assert response.status_code == 400
    assert messages_of(response) == ["The allocation sent is not readable: nothing was nominated."]
    assert states(world) == [S.SUBMITTED, S.SUBMITTED, S.SUBMITTED]


def test_get_is_not_allowed(client, dri, call):
    assert login(client, dri).get(confirm_url(call)).status_code == 405


def test_an_unknown_call_is_404(client, dri):
    assert (
        login(client, dri).post(reverse("reviews:allocation_confirm", args=[999])).status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_other_roles_get_403_and_nobody_is_nominated(client, request, call, world, persona):
    response = login(client, request.getfixturevalue(persona)).post(
        confirm_url(call), proposal_post(world)
    )
    assert response.status_code == 403
    assert states(world) == [S.SUBMITTED, S.SUBMITTED, S.SUBMITTED]


def test_anonymous_is_sent_to_login(client, call, world):
    assert client.post(confirm_url(call), proposal_post(world)).url.startswith(reverse("login"))
    assert states(world) == [S.SUBMITTED, S.SUBMITTED, S.SUBMITTED]


# --- what the review page showed ---------------------------------------------------------


def review_form(response) -> dict[str, str]:
    """The hidden fields the review page's confirmation sends (the decisions, and what the
    page showed of each application)."""
    field = r'<input type="hidden" name="((?:decision|seen)-\d+)" value="([^"]*)">'
    return dict(re.findall(field, response.content.decode()))


def reviewed(client, dri, call, applications) -> dict[str, str]:
    """The review page of the proposal, as the officer confirms from it."""
    post = decisions_post({application: application.choices.get() for application in applications})
    response = login(client, dri).post(review_url(call), post | seen_post(applications))
    assert response.status_code == 200
    return review_form(response)


@pytest.fixture
def at_munich(hosts, advisor):
    """Two applications submitted to the one call, each choosing its semester at Munich."""
    return [staying_at_munich(hosts, new_student(name, advisor))[0] for name in ("ana", "ben")]


def test_the_review_page_carries_what_it_showed_of_each_application(client, dri, hosts, at_munich):
    form = reviewed(client, dri, hosts["call"], at_munich)
    for application in at_munich:
        assert form[f"seen-{application.pk}"] == seen_post([application])[f"seen-{application.pk}"]


def test_an_application_submitted_again_since_the_review_nominates_nobody(
    client, dri, hosts, at_munich
):
    """Asked for changes and submitted again, unchanged choices and all: back in the same state,
    but not the application the officer reviewed."""
    ana, ben = at_munich
    form = reviewed(client, dri, hosts["call"], at_munich)
    application_request_changes(actor=dri, application=ben, message="Your CV, please.")
    student_services.application_submit(
        actor=ben.student, application=Application.objects.get(pk=ben.pk), message="Done."
    )
    history = Transition.objects.count()

    response = client.post(confirm_url(hosts["call"]), form)

    assert response.status_code == 400
    assert messages_of(response) == [
        "Nobody was nominated.",
        f"This application changed since the page was shown: {ben.student}. "
        "Review the new proposal.",
    ]
    assert Transition.objects.count() == history
    assert {Application.objects.get(pk=a.pk).state for a in at_munich} == {S.SUBMITTED}


def test_an_application_withdrawn_and_back_since_the_review_nominates_nobody(
    client, dri, hosts, at_munich
):
    """Back in the state the page showed, through two moves the page never showed."""
    ana, ben = at_munich
    form = reviewed(client, dri, hosts["call"], at_munich)
    application_withdraw_for_student(actor=dri, application=ana, reason="By e-mail.")
    application_reinstate(
        actor=dri, application=Application.objects.get(pk=ana.pk), reason="Sent by mistake."
    )
    history = Transition.objects.count()

    response = client.post(confirm_url(hosts["call"]), form)

    assert response.status_code == 400
    assert messages_of(response) == [
        "Nobody was nominated.",
        f"This application changed since the page was shown: {ana.student}. "
        "Review the new proposal.",
    ]
    assert Transition.objects.count() == history
    assert {Application.objects.get(pk=a.pk).state for a in at_munich} == {S.SUBMITTED}


def test_choices_edited_since_the_review_name_the_student_not_an_application_id(
    client, dri, hosts, at_munich
):
    """Choices edited are new choices: the page's is no longer one of the application's."""
    ana, ben = at_munich
    form = reviewed(client, dri, hosts["call"], at_munich)
    application_request_changes(actor=dri, application=ana, message="Another semester?")
    application_request_changes(actor=dri, application=ben, message="Another semester?")
    for application in at_munich:
        semester = application.choices.get().activity
        student_services.application_update(
            actor=application.student,
            application=application,
            motivation="Still Munich.",
            choices=[student_services.ChoiceInput(semester, hosts["at_munich"])],
        )
        student_services.application_submit(actor=application.student, application=application)
    history = Transition.objects.count()

    response = client.post(confirm_url(hosts["call"]), form)

    assert response.status_code == 400
    assert messages_of(response) == [
        "Nobody was nominated.",
        f"These applications changed since the page was shown: {ana.student}, {ben.student}. "
        "Review the new proposal.",
    ]
    assert Transition.objects.count() == history


def test_a_confirmation_without_what_the_page_showed_nominates_nobody(client, dri, call, world):
    """A page that carried no version (one shown before they were sent): every application
    counts as changed."""
    post = {
        name: value for name, value in proposal_post(world).items() if name.startswith("decision-")
    }
    response = login(client, dri).post(confirm_url(call), post)
    assert response.status_code == 400
    assert messages_of(response)[0] == "Nobody was nominated."
    assert "These applications changed since the page was shown" in messages_of(response)[1]
    assert states(world) == [S.SUBMITTED, S.SUBMITTED, S.SUBMITTED]


def test_a_nomination_of_the_allocation_can_be_undone(client, dri, call, world):
    """The confirmation records, as a single nomination does, what undoing each restores."""
    login(client, dri).post(confirm_url(call), proposal_post(world))
    middle = Application.objects.get(pk=world["middle"].pk)
    nomination = middle.history.last()
    assert nomination.restores_on_undo["nominated_choice"] is None
    seen = as_seen(middle, state=middle.state, transition_id=last_transition_id(middle))
    application_undo(actor=dri, application=seen, reason="Not this one.")
    middle.refresh_from_db()
    assert (middle.state, middle.nominated_choice) == (S.SUBMITTED, None)
    assert middle.history.last().undoes == nomination
