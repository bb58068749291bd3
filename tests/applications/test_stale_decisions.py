"""A decision is refused when the dossier changed since the reviewer opened it, even when it
came back to the state they saw (changes requested, then submitted again): each decision form
carries the id of the latest transition the reviewer saw, and every transition writes one."""

import os
import threading
from decimal import Decimal

import pytest
from django.db import connection

from apps.accounts.roles import Role
from apps.applications import services as student_services
from apps.applications.models import Application, ApplicationState, Transition
from apps.applications.services import ChoiceInput
from apps.applications.workflow import StaleDossier, as_seen, last_transition_id
from apps.reviews.services import decisions
from tests.applications.factories import login, messages_of
from tests.factories import UserFactory
from tests.reviews.dri.builders import (
    decision_url,
    dossier_url,
    in_state,
    pdf_upload,
    state_of,
    submitted,
)

S = ApplicationState
pytestmark = pytest.mark.django_db
STALE = "This dossier changed since you opened it: it is now {state}. Reload it."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def opened(client, reviewer, application, name: str, **fields) -> dict[str, object]:
    """What `reviewer` posts from the decision form `name` of the dossier page as it shows now:
    the hidden fields the page rendered, and `fields`."""
    page = login(client, reviewer).get(dossier_url(application))
    assert page.status_code == 200
    return form_data(page.context["decisions"][name], **fields)


def form_data(form, **fields) -> dict[str, object]:
    data = {
        form[hidden].html_name: "" if form[hidden].value() is None else form[hidden].value()
        for hidden in ("seen_state", "seen_transition")
    }
    data.update({form[name].html_name: value for name, value in fields.items()})
    return data


def resubmitted_after_changes(application: Application, student, reviewer) -> None:
    """Another reviewer asks for changes; the student rewrites the motivation and submits."""
    decisions.application_request_changes(actor=reviewer, application=application, message="fix")
    application.refresh_from_db()
    choices = [ChoiceInput(c.activity, c.agreement) for c in application.choices.all()]
    student_services.application_update(
        actor=student,
        application=application,
        motivation="A much better motivation",
        choices=choices,
    )
    student_services.application_submit(actor=student, application=application)
    assert state_of(application) == S.SUBMITTED


@pytest.fixture
def colleague(db):
    return UserFactory(email="dri2@example.org", role=Role.DRI)


def test_the_page_carries_the_latest_transition_it_shows(client, dri, student):
    application = submitted(student)
    page = login(client, dri).get(dossier_url(application))
    latest = application.history.get().pk
    content = page.content.decode()
    for name in page.context["decisions"]:
        assert f'name="{name}-seen_transition" value="{latest}"' in content


def test_a_refusal_of_a_dossier_changed_and_resubmitted_meanwhile_is_refused(
    client, dri, colleague, student
):
    application = submitted(student)
    stale = opened(client, dri, application, "refuse", reason="weak motivation", confirm="on")
    resubmitted_after_changes(application, student, colleague)

    response = client.post(decision_url("refuse", application), stale)

    assert response.status_code == 409
    assert messages_of(response) == [STALE.format(state="submitted")]
    assert state_of(application) == S.SUBMITTED
    assert not Transition.objects.filter(application=application, to_state=S.REFUSED).exists()


def test_the_page_after_the_refusal_is_the_fresh_dossier_and_works(client, dri, colleague, student):
    application = submitted(student)
    stale = opened(client, dri, application, "refuse", reason="weak motivation", confirm="on")
    resubmitted_after_changes(application, student, colleague)

    response = client.post(decision_url("refuse", application), stale)

    assert response.status_code == 409
    assert response.context["application"].motivation == "A much better motivation"
    assert "A much better motivation" in response.content.decode()
    form = response.context["decisions"]["refuse"]
    assert form["seen_transition"].value() == last_transition_id(application)
    # Having read the new version, the reviewer may still refuse it, from that page.
    again = client.post(
        decision_url("refuse", application),
        form_data(form, reason="still weak", confirm="on"),
    )
    assert again.status_code == 302
    assert messages_of(again) == ["The application is refused."]
    assert state_of(application) == S.REFUSED
    assert application.history.last().comment == "still weak"


# Each decision: the state it is taken in, and its fields (a function: an upload is read once).
DECISIONS = {
    "take": (S.SUBMITTED, lambda application: {}, S.UNDER_REVIEW),
    "request_changes": (S.SUBMITTED, lambda application: {"message": "fix"}, S.CHANGES_REQUESTED),
    "nominate": (
        S.SUBMITTED,
        lambda application: {"choice": application.choices.get().pk, "comment": ""},
        S.NOMINATED,
    ),
    "refuse": (S.UNDER_REVIEW, lambda application: {"reason": "no", "confirm": "on"}, S.REFUSED),
    "host_decision": (
        S.NOMINATED,
        lambda application: {"outcome": "accepted", "letter": pdf_upload(), "comment": ""},
        S.ACCEPTED,
    ),
    # The stay is still to come: the page asks to confirm a departure or a return.
    "departed": (S.ACCEPTED, lambda application: {"confirm": "on"}, S.IN_MOBILITY),
    "returned": (S.IN_MOBILITY, lambda application: {"confirm": "on"}, S.RETURNED),
}


def in_decision_state(student, state: str) -> Application:
    application = submitted(student)
    return in_state(application, state, nominated_choice=application.choices.get())


def a_move_and_back(application: Application, actor) -> None:
    """Someone moved the dossier and it came back to the same state: only the states in review
    have such a path through the services, so the audit row is written directly here."""
    Transition.objects.create(
        application=application, actor=actor, from_state=application.state, to_state=S.DRAFT
    )
    Transition.objects.create(
        application=application, actor=actor, from_state=S.DRAFT, to_state=application.state
    )


@pytest.mark.parametrize("name", DECISIONS)
def test_every_decision_is_refused_after_a_move_and_back(client, dri, colleague, student, name):
    state, fields, _target = DECISIONS[name]
    application = in_decision_state(student, state)
    stale = opened(client, dri, application, name, **fields(application))
    moves = application.history.count()
    a_move_and_back(application, colleague)

    response = client.post(decision_url(name, application), stale)

    assert response.status_code == 409
    assert messages_of(response) == [STALE.format(state=application.get_state_display().lower())]
    assert state_of(application) == state
    assert application.history.count() == moves + 2


@pytest.mark.parametrize("name", DECISIONS)
def test_every_decision_from_the_fresh_page_applies(client, dri, colleague, student, name):
    state, fields, target = DECISIONS[name]
    application = in_decision_state(student, state)
    a_move_and_back(application, colleague)
    response = client.post(
        decision_url(name, application),
        opened(client, dri, application, name, **fields(application)),
    )
    assert response.status_code == 302
    assert state_of(application) == target


def test_of_two_reviewers_on_the_same_page_only_the_first_decides(client, dri, colleague, student):
    application = submitted(student)
    first = opened(client, dri, application, "nominate", choice=application.choices.get().pk)
    second = opened(client, colleague, application, "refuse", reason="no", confirm="on")

    login(client, dri).post(decision_url("nominate", application), first)
    response = login(client, colleague).post(decision_url("refuse", application), second)

    assert response.status_code == 409
    assert state_of(application) == S.NOMINATED
    assert list(application.history.values_list("to_state", flat=True)) == [
        S.SUBMITTED,
        S.NOMINATED,
    ]


def test_a_post_that_does_not_say_what_it_saw_is_refused(client, dri, student):
    """A form from before the token existed, or made by hand: the dossier has a history."""
    application = submitted(student)
    response = login(client, dri).post(
        decision_url("take", application), {"take-seen_state": S.SUBMITTED}
    )
    assert response.status_code == 409
    assert state_of(application) == S.SUBMITTED


# The ranking score is not a transition: saving it writes no audit row and leaves the other
# forms of the page valid, but its own form is refused, like the others, once the dossier moved.


def test_a_score_saved_meanwhile_leaves_the_decisions_valid(client, dri, colleague, student):
    application = submitted(student)
    refusal = opened(client, dri, application, "refuse", reason="no", confirm="on")
    score = opened(client, colleague, application, "score", score="12.5")
    assert (
        login(client, colleague).post(decision_url("score", application), score).status_code == 302
    )
    assert application.history.count() == 1

    response = login(client, dri).post(decision_url("refuse", application), refusal)

    assert response.status_code == 302
    assert state_of(application) == S.REFUSED


def test_a_score_for_a_dossier_that_moved_meanwhile_is_refused(client, dri, colleague, student):
    application = submitted(student)
    score = opened(client, dri, application, "score", score="12.5")
    resubmitted_after_changes(application, student, colleague)

    response = client.post(decision_url("score", application), score)

    assert response.status_code == 409
    assert Application.objects.get(pk=application.pk).ranking_score is None
    fresh = form_data(response.context["decisions"]["score"], score="12.5")
    assert client.post(decision_url("score", application), fresh).status_code == 302
    assert Application.objects.get(pk=application.pk).ranking_score == Decimal("12.500")


def test_the_service_refuses_a_copy_that_saw_an_older_transition(dri, colleague, student):
    application = submitted(student)
    seen = as_seen(application, state=S.SUBMITTED, transition_id=last_transition_id(application))
    resubmitted_after_changes(application, student, colleague)
    with pytest.raises(StaleDossier):
        decisions.application_refuse(actor=dri, application=seen, reason="no")
    fresh = as_seen(application, state=S.SUBMITTED, transition_id=last_transition_id(application))
    decisions.application_refuse(actor=dri, application=fresh, reason="no")
    assert state_of(application) == S.REFUSED


@pytest.mark.skipif(
    os.environ.get("REQUIRE_SERVICES") != "1"
    and not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
    reason="row locks need PostgreSQL (set DATABASE_URL; CI always does)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_decisions_at_once_from_the_same_page_exactly_one_applies(student, attempt):
    first = UserFactory(role=Role.DRI)
    second = UserFactory(role=Role.DRI)
    application = submitted(student)
    latest = last_transition_id(application)
    barrier = threading.Barrier(2)
    outcomes = ["", ""]

    def run(index, decide):
        try:
            barrier.wait(timeout=10)
            decide(
                as_seen(
                    Application.objects.get(pk=application.pk),
                    state=S.SUBMITTED,
                    transition_id=latest,
                )
            )
            outcomes[index] = "applied"
        except StaleDossier:
            outcomes[index] = "stale"
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(
                0,
                lambda seen: decisions.application_take_for_review(actor=first, application=seen),
            ),
        ),
        threading.Thread(
            target=run,
            args=(
                1,
                lambda seen: decisions.application_refuse(
                    actor=second, application=seen, reason="No"
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["applied", "stale"]
    assert Transition.objects.filter(application=application).count() == 2
