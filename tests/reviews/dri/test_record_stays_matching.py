"""Selecting every application the queue's filters select, on every page, for recording their
departures (or returns) together: the confirmation lists them all, as the filters select them
when it is shown, and holds their ids, so that what is recorded is what was confirmed."""

import pytest
from django.urls import reverse

from apps.applications.models import ApplicationState
from apps.reviews.selectors_stays import matching_applications
from apps.reviews.services.decisions import application_mark_departed
from tests.applications.factories import login
from tests.factories import StudentProfileFactory
from tests.reviews.dri.builders import state_of
from tests.reviews.dri.test_record_stays import (
    DEPARTURES,
    RETURNS,
    confirmation_post,
    departures,
    in_stay,
)

S = ApplicationState
QUEUE = reverse("reviews:queue")


def leaving(first_name: str, state: str = S.ACCEPTED, **fields):
    student = StudentProfileFactory(user__first_name=first_name, user__last_name="Leaving")
    return in_stay(state, student=student.user, **fields)


def matching(back: str) -> dict:
    return {"matching": "1", "back": back}


def listed(page) -> list:
    return [row.application for row in page.context["selection"].rows]


@pytest.fixture
def three_leaving(db):
    """Three accepted students named Leaving (Cleo's stay not yet begun), and students the
    search or the state leave out."""
    students = {name: leaving(name) for name in ("Ben", "Ada")}
    students["Cleo"] = leaving("Cleo", started=False)
    in_stay()  # accepted, another name
    leaving("Dan", S.IN_MOBILITY)
    leaving("Eve", S.SUBMITTED)
    return students


def test_the_confirmation_lists_every_application_of_the_filters_in_the_queues_order(
    client, dri, three_leaving
):
    login(client, dri)
    back = "q=Leaving&state=accepted&sort=name&page=2"
    page = client.get(DEPARTURES, matching(back))
    assert page.status_code == 200
    assert listed(page) == [three_leaving[name] for name in ("Ada", "Ben", "Cleo")]
    assert page.context["selection"].left_out == []
    html = page.content.decode()
    assert "These are the 3 applications matching the queue's filters now." in html
    assert ">Record departures</button>" in html  # Cleo's box may be left unticked
    # The ids themselves are in the form: the filters are not read again when it is sent.
    for application in three_leaving.values():
        assert f'name="application" value="{application.pk}"' in html
    assert 'name="matching"' not in html
    assert state_of(three_leaving["Ada"]) == S.ACCEPTED


def test_what_is_recorded_is_what_was_confirmed(client, dri, three_leaving):
    """A student who matches the filters only after the confirmation was shown is not
    recorded; one recorded meanwhile from the dossier is reported, not recorded twice."""
    login(client, dri)
    page = client.get(DEPARTURES, matching("q=Leaving&state=accepted"))
    newcomer = leaving("Finn")
    application_mark_departed(actor=dri, application=three_leaving["Ben"])
    data = confirmation_post(page, **{f"pk{three_leaving['Cleo'].pk}": True})
    response = client.post(DEPARTURES, data, follow=True)
    assert [row.application for row in response.context["recorded"]] == [
        three_leaving["Ada"],
        three_leaving["Cleo"],
    ]
    (changed,) = response.context["left_out"]
    assert changed.application == three_leaving["Ben"]
    assert changed.reason.startswith("This dossier changed since you opened it")
    assert departures(three_leaving["Ben"]).count() == 1
    assert state_of(newcomer) == S.ACCEPTED


def test_the_moves_own_state_is_selected_whatever_the_state_given(client, dri, three_leaving):
    login(client, dri)
    page = client.get(DEPARTURES, matching("q=Leaving&state=submitted"))
    assert sorted(a.student.first_name for a in listed(page)) == ["Ada", "Ben", "Cleo"]
    returns = client.get(RETURNS, matching("q=Leaving&state=accepted"))
    assert [a.student.first_name for a in listed(returns)] == ["Dan"]


def test_a_filter_the_queue_refuses_is_left_out_as_the_queue_leaves_it_out(
    client, dri, three_leaving
):
    login(client, dri)
    back = "q=Leaving&stay=tomorrow&call=abc&year=x&sort=nonsense&page=-1"
    page = client.get(DEPARTURES, matching(back))
    assert page.status_code == 200
    assert len(listed(page)) == 3
    everybody = client.get(DEPARTURES, {"matching": "1"})  # no filters: every accepted student
    assert len(listed(everybody)) == 4


def test_the_nominated_stays_filter_narrows_the_selection(client, dri, three_leaving):
    login(client, dri)
    page = client.get(DEPARTURES, matching("q=Leaving&state=accepted&stay=begun"))
    assert sorted(a.student.first_name for a in listed(page)) == ["Ada", "Ben"]
    assert not page.context["selection"].early


def test_more_than_the_limit_is_refused_saying_how_to_narrow(
    client, dri, three_leaving, monkeypatch
):
    monkeypatch.setattr("apps.reviews.views.stays.MOST_AT_ONCE", 2)
    login(client, dri)
    page = client.get(DEPARTURES, matching("q=Leaving&state=accepted"))
    assert page.status_code == 400
    html = page.content.decode()
    assert "3 applications match the queue's filters: at most 2 can be recorded at once." in (html)
    assert "Narrow the filters" in html
    assert 'name="application"' not in html
    assert state_of(three_leaving["Ada"]) == S.ACCEPTED


def test_the_queue_offers_to_select_every_application_of_the_filters(
    client, dri, three_leaving, monkeypatch
):
    monkeypatch.setattr("apps.reviews.views.queue.QUEUE_PAGE_SIZE", 2)
    login(client, dri)
    page = client.get(QUEUE, {"state": "accepted", "q": "Leaving"})
    html = page.content.decode()
    assert len(page.context["page"].object_list) == 2
    assert "All 2 applications on this page are selected." in html
    assert '<button type="submit" form="stay-selection" name="matching" value="1"' in html
    assert "Select all 3 applications matching these filters…" in html
    assert "data-page-holds-all" not in html
    # The form sends the queue's filters along (its way back, and the selection's filters).
    assert (
        f'<input type="hidden" name="back" value="{escape_query("state=accepted&q=Leaving")}">'
        in (html)
    )
    # All on one page: the page's header box says it all (the line is for pages without script).
    monkeypatch.setattr("apps.reviews.views.queue.QUEUE_PAGE_SIZE", 50)
    assert "data-page-holds-all" in client.get(QUEUE, {"state": "accepted"}).content.decode()


def escape_query(query: str) -> str:
    return query.replace("&", "&amp;")


def test_the_queue_says_when_the_filters_select_too_many(client, dri, three_leaving, monkeypatch):
    monkeypatch.setattr("apps.reviews.views.queue.MOST_AT_ONCE", 2)
    login(client, dri)
    html = client.get(QUEUE, {"state": "accepted", "q": "Leaving"}).content.decode()
    assert "3 applications match these filters: at most 2 can be recorded at once." in html
    assert "narrow the filters above" in html
    assert 'name="matching"' not in html


def test_the_dfi_is_offered_no_selection(client, dfi, three_leaving):
    login(client, dfi)
    html = client.get(QUEUE, {"state": "accepted"}).content.decode()
    assert 'name="matching"' not in html
    assert client.get(DEPARTURES, {"matching": "1"}).status_code == 403


def test_the_selector_reads_the_ids_in_one_query_and_counts_only_beyond_the_limit(
    three_leaving, django_assert_num_queries
):
    matching_applications("", state=S.ACCEPTED, most=10)  # the menus, read once and kept
    ordered = [three_leaving[name] for name in ("Ada", "Ben", "Cleo")]
    with django_assert_num_queries(1):
        found = matching_applications("q=Leaving&sort=name", state=S.ACCEPTED, most=3)
    assert (found.ids, found.count) == ([a.pk for a in ordered], 3)
    with django_assert_num_queries(2):
        found = matching_applications("q=Leaving&sort=name", state=S.ACCEPTED, most=2)
    assert (found.ids, found.count) == ([a.pk for a in ordered[:2]], 3)
    assert matching_applications("q=Nobody", state=S.ACCEPTED, most=2).ids == []
