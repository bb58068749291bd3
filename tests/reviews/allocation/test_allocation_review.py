"""Reviewing the staff's decisions before anybody is nominated."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.applications.models import Transition
from apps.reviews.services.decisions import (
    application_set_ranking_score,
    application_take_for_review,
)
from tests.applications.factories import login, messages_of
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import (
    confirm_url,
    decisions_post,
    review_url,
    seen_post,
    waiting,
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
    """The allocation page's form, shown now: the proposal's decisions, and what it showed of
    each application."""
    return decisions_post(
        {
            world["best"]: world["best"].choices.get(rank=1),
            world["middle"]: world["middle"].choices.get(rank=2),
            world["last"]: None,
        }
    ) | seen_post([world["best"], world["middle"], world["last"]])


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_proposal_leads_to_a_confirmation_page(client, dri, call, world):
    response = login(client, dri).post(review_url(call), proposal_post(world))
    assert response.status_code == 200
    assert [row.application for row in response.context["board"].placed] == [
        world["best"],
        world["middle"],
    ]
    assert [row.application for row in response.context["board"].unplaced] == [world["last"]]
    page = text_of(response)
    assert f'action="{confirm_url(call)}"' in page
    assert "Nominate 2 students" in page
    assert "If any nomination is refused, nobody is nominated." in page
    for name, value in proposal_post(world).items():
        assert f'<input type="hidden" name="{name}" value="{value}">' in page
    assert not Transition.objects.exists()


def test_an_adjustment_is_shown_against_the_proposal(client, dri, call, world):
    post = proposal_post(world) | decisions_post(
        {world["middle"]: None, world["last"]: world["last"].choices.get(rank=2)}
    )
    response = login(client, dri).post(review_url(call), post)
    assert response.status_code == 200
    page = text_of(response)
    assert "changed by staff; the proposal left this student unplaced" in page
    assert "left unplaced by staff; the proposal was Beta — Semester or year exchange" in page
    assert not Transition.objects.exists()


def test_an_adjustment_that_over_allocates_is_sent_back_with_a_warning(client, dri, call, world):
    post = proposal_post(world) | decisions_post({world["last"]: world["last"].choices.get(rank=1)})
    response = login(client, dri).post(review_url(call), post)
    assert response.status_code == 400
    assert response.context["board"].over_allocation == [
        "Alpha — Semester or year exchange: more students than seats left (2 for 1)."
    ]
    rows = {row.application: row for row in response.context["board"].rows}
    assert rows[world["last"]].over_allocated and rows[world["best"]].over_allocated
    assert not rows[world["middle"]].over_allocated
    page = response.content.decode()
    assert f'action="{confirm_url(call)}"' not in page
    assert f'<option value="{world["last"].choices.get(rank=1).pk}" selected>' in page
    assert not Transition.objects.exists()


def test_a_destination_that_is_not_the_student_s_choice_is_a_form_error(client, dri, call, world):
    post = proposal_post(world) | {
        f"decision-{world['last'].pk}": str(world["best"].choices.get(rank=2).pk)
    }
    response = login(client, dri).post(review_url(call), post)
    assert response.status_code == 400
    field = response.context["board"].rows[2].field
    assert len(field.errors) == 1 and "Select a valid choice" in field.errors[0]
    page = response.content.decode()
    assert f'aria-invalid="true" aria-describedby="{field.id_for_label}-error"' in page
    assert not Transition.objects.exists()


def test_change_returns_to_the_page_with_the_decisions_kept(client, dri, call, world):
    post = proposal_post(world) | decisions_post({world["middle"]: None}) | {"change": "1"}
    response = login(client, dri).post(review_url(call), post)
    assert response.status_code == 200
    assert "reviews/allocation_detail.html" in [template.name for template in response.templates]
    middle = next(
        row for row in response.context["board"].rows if row.application == world["middle"]
    )
    assert (middle.decision, middle.adjusted) == (None, True)


def test_a_student_the_page_did_not_show_keeps_the_proposal(client, dri, call, world):
    post = proposal_post(world)
    del post[f"decision-{world['best'].pk}"]
    response = login(client, dri).post(review_url(call), post)
    assert response.status_code == 200
    assert response.context["board"].placed[0].decision == world["best"].choices.get(rank=1)


def test_get_is_not_allowed(client, dri, call):
    assert login(client, dri).get(review_url(call)).status_code == 405


def test_an_unknown_call_is_404(client, dri):
    assert (
        login(client, dri).post(reverse("reviews:allocation_review", args=[999])).status_code == 404
    )


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_other_roles_get_403(client, request, call, world, persona):
    response = login(client, request.getfixturevalue(persona)).post(
        review_url(call), proposal_post(world)
    )
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, call, world):
    assert client.post(review_url(call), proposal_post(world)).url.startswith(reverse("login"))


def test_the_review_page_reads_in_a_fixed_number_of_queries(
    client, dri, call, django_assert_max_num_queries
):
    agreements = AgreementFactory.create_batch(8, seats_per_year=3)
    for index in range(40):
        waiting(call, [agreements[index % 8], agreements[(index + 3) % 8], None], score=str(index))
    login(client, dri)
    page = client.get(reverse("reviews:allocation_detail", args=[call.pk]))
    post = {row.field.html_name: row.field.data for row in page.context["board"].rows} | {
        row.seen_name: row.seen for row in page.context["board"].rows
    }
    # Session, user, unread notifications, the session's save (3); the call, the proposal (4).
    with django_assert_max_num_queries(11):
        response = client.post(review_url(call), post)
    assert len(response.context["board"].placed) == 40


# --- what the allocation page showed -------------------------------------------------------


def page_form(client, call) -> dict[str, str]:
    """The allocation page's form as the officer sends it unchanged: every decision as
    proposed, and what the page showed of each application."""
    board = client.get(reverse("reviews:allocation_detail", args=[call.pk])).context["board"]
    return {row.field.html_name: row.field.data for row in board.rows} | {
        row.seen_name: row.seen for row in board.rows
    }


def test_the_allocation_page_carries_what_it_showed_of_each_application(client, dri, call, world):
    response = login(client, dri).get(reverse("reviews:allocation_detail", args=[call.pk]))
    page = response.content.decode()
    for name, value in seen_post([world["best"], world["middle"], world["last"]]).items():
        assert f'<input type="hidden" name="{name}" value="{value}">' in page


def test_an_application_changed_since_the_allocation_page_sends_back_to_it(
    client, dri, call, world
):
    """Taken for review meanwhile, and scored again: the officer decided on the page as it
    was. The page comes back as it is now, and sent again from there, it is reviewed."""
    form = page_form(login(client, dri), call)
    application_take_for_review(actor=dri, application=world["middle"])
    application_set_ranking_score(actor=dri, application=world["last"], score=Decimal("19"))

    response = client.post(review_url(call), form)

    assert response.status_code == 409
    assert "reviews/allocation_detail.html" in [template.name for template in response.templates]
    assert messages_of(response) == [
        "These applications changed since the page was shown: "
        f"{world['middle'].student}, {world['last'].student}. Review the new proposal."
    ]
    assert f'action="{confirm_url(call)}"' not in response.content.decode()
    # Scored 19, `last` now comes first.
    assert [row.application for row in response.context["board"].rows][0] == world["last"]
    again = client.post(review_url(call), page_form(client, call))
    assert again.status_code == 200
    assert f'action="{confirm_url(call)}"' in again.content.decode()
    assert not Transition.objects.filter(to_state="nominated").exists()


def test_change_from_the_review_page_says_what_changed_since(client, dri, call, world):
    review = login(client, dri).post(review_url(call), proposal_post(world))
    form = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', text_of(review))
    )
    application_take_for_review(actor=dri, application=world["best"])
    response = client.post(review_url(call), form | {"change": "1"})
    assert response.status_code == 409
    assert messages_of(response) == [
        f"This application changed since the page was shown: {world['best'].student}. "
        "Review the new proposal."
    ]
