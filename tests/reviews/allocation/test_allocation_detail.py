"""The proposal page of a call: ranking rules, each student's outcome in words, the unplaced,
the seats; DRI and administrators only."""

import pytest
from django.urls import reverse

from apps.applications.models import Transition
from tests.applications.factories import login
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import detail_url, holding_seat, waiting


@pytest.fixture
def call(db):
    return CallFactory(academic_year=2027)


@pytest.fixture
def world(call):
    alpha = AgreementFactory(partner__name="Alpha", seats_per_year=1)
    beta = AgreementFactory(partner__name="Beta", seats_per_year=2)
    gamma = AgreementFactory(partner__name="Gamma", seats_per_year=0)
    holding_seat(CallFactory(academic_year=2027), beta)
    return {
        "alpha": alpha,
        "beta": beta,
        "best": waiting(call, [alpha, beta], score="18"),
        "second": waiting(call, [alpha, beta], score="16"),
        "third": waiting(call, [alpha, beta, gamma], score="16", minute=5),
        "outside": waiting(call, [gamma, None]),
    }


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_dri_sees_each_student_s_outcome_and_why(client, dri, call, world):
    response = login(client, dri).get(detail_url(call))
    assert response.status_code == 200
    rows = response.context["board"].rows
    assert [row.application for row in rows] == [
        world["best"],
        world["second"],
        world["third"],
        world["outside"],
    ]
    assert rows[1].reasons == [
        "choice 1 (Alpha — Semester or year exchange) full after 1 better-ranked student",
        "choice 2 (Beta — Semester or year exchange) allocated: seat 1 of 1",
    ]
    assert rows[2].reasons == [
        "choice 1 (Alpha — Semester or year exchange) full after 1 better-ranked student",
        "choice 2 (Beta — Semester or year exchange) full after 1 better-ranked student",
        "choice 3 (Gamma — Semester or year exchange): no seat this year",
        "no seat left in any choice: unplaced",
    ]
    host = world["outside"].choices.get(rank=2).activity.host_name
    assert rows[3].reasons == [
        "choice 1 (Gamma — Semester or year exchange): no seat this year",
        f"choice 2 ({host} — outside partnerships) allocated: no seat limit",
    ]
    assert [row.application for row in response.context["proposed_unplaced"]] == [world["third"]]
    page = text_of(response)
    assert (
        "choice 1 (Alpha — Semester or year exchange) full after 1 better-ranked student; choice 2"
        in page
    )
    assert "applications without a score after all the scored ones" in page
    assert "the earlier submission first" in page
    assert "then the lower application number" in page
    assert "4 applications ranked: 3 placed, 1 unplaced." in page


def test_seats_taken_by_earlier_nominations_are_explained(client, dri, call):
    full = AgreementFactory(partner__name="Delta", seats_per_year=2)
    for _index in range(2):
        holding_seat(CallFactory(academic_year=2027), full)
    waiting(call, [full])
    response = login(client, dri).get(detail_url(call))
    assert response.context["board"].rows[0].reasons == [
        "choice 1 (Delta — Semester or year exchange): all 2 seats taken by earlier nominations",
        "no seat left in any choice: unplaced",
    ]
    [seats] = response.context["board"].seats
    assert (seats.per_year, seats.taken_earlier, seats.available, seats.given) == (2, 2, 0, 0)


def test_each_student_has_a_labelled_list_of_their_choices_set_to_the_proposal(
    client, dri, call, world
):
    page = login(client, dri).get(detail_url(call)).content.decode()
    second = world["second"]
    name = f"decision-{second.pk}"
    assert (
        f'<label class="visually-hidden" for="id_{name}">Decision for {second.student}</label>'
        in page
    )
    assert f'<option value="{second.choices.get(rank=2).pk}" selected>2. Beta' in page
    assert '<option value="unplaced">leave unplaced</option>' in page
    assert not Transition.objects.exists()


def test_students_holding_a_seat_through_another_call_are_named_as_left_out(client, dri, call):
    """They are not ranked, and the page said nothing of them: the queue showed one more
    application of the call waiting than the allocation ranked."""
    agreement = AgreementFactory(seats_per_year=3)
    elsewhere = holding_seat(CallFactory(academic_year=2027), agreement)
    left_out = waiting(call, [agreement], student=elsewhere.student)
    ranked = waiting(call, [agreement])
    response = login(client, dri).get(detail_url(call))
    assert [row.application for row in response.context["board"].rows] == [ranked]
    assert response.context["left_out"] == [left_out]
    page = text_of(response)
    assert (
        "Left out of the allocation: these students already hold a seat this academic year "
        "through another application."
    ) in page
    assert f'<a href="{reverse("reviews:dossier", args=[left_out.pk])}">{left_out.student}</a>' in (
        page
    )


def test_a_call_without_applications_says_so(client, dri, call):
    response = login(client, dri).get(detail_url(call))
    assert "No submitted application waits for a seat in this call." in text_of(response)


def test_an_unknown_call_is_404(client, dri, db):
    assert (
        login(client, dri).get(reverse("reviews:allocation_detail", args=[999])).status_code == 404
    )


def test_the_page_reads_in_a_fixed_number_of_queries(
    client, dri, call, django_assert_max_num_queries
):
    agreements = AgreementFactory.create_batch(8, seats_per_year=2)
    for index in range(40):
        waiting(
            call,
            [agreements[index % 8], agreements[(index + 3) % 8], None],
            score=str(index % 5),
        )
    holding_seat(CallFactory(academic_year=2027), agreements[0])
    login(client, dri)
    # Session, user, unread notifications, the session's save (3); the call, the proposal (4);
    # the students left out as they hold a seat elsewhere (1).
    with django_assert_max_num_queries(12):
        response = client.get(detail_url(call))
    assert len(response.context["board"].rows) == 40


def test_an_administrator_sees_the_page(client, admin_user, call, world):
    assert login(client, admin_user).get(detail_url(call)).status_code == 200


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_other_roles_get_403(client, request, call, persona):
    response = login(client, request.getfixturevalue(persona)).get(detail_url(call))
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, call):
    assert client.get(detail_url(call)).url.startswith(reverse("login"))


def test_an_agreement_not_in_force_gives_no_seat_and_says_why(client, dri, call):
    ended = AgreementFactory(partner__name="Ended", seats_per_year=3, last_year=2026)
    student = waiting(call, [ended])
    response = login(client, dri).get(detail_url(call))
    [row] = response.context["board"].rows
    assert row.application == student
    assert row.reasons == [
        "choice 1 (Ended — Semester or year exchange): the agreement is not in force this year",
        "no seat left in any choice: unplaced",
    ]
    [seats] = response.context["board"].seats
    assert (seats.in_force, seats.available) == (False, 0)
    assert "not in force this year" in text_of(response)
