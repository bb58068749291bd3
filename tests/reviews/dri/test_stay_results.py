"""The results of recording several departures (or returns) at once: the POST records and
redirects to a page of their own (Post/Redirect/Get), which can be reloaded, and reopened from
the browser's history, without recording anything again."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from apps.applications.models import Application, ApplicationState
from apps.reviews.stay_results import KEPT_BATCHES, SESSION_KEY
from tests.applications.factories import login
from tests.reviews.dri.builders import in_state, state_of
from tests.reviews.dri.test_record_stays import (
    DEPARTURES,
    RETURNS,
    chosen,
    confirmation_post,
    departures,
    in_stay,
)

S = ApplicationState


def results_url(move: str, key: str) -> str:
    return reverse(f"reviews:stays_{move}_results", args=[key])


def post(client, url: str, *applications: Application, back: str = ""):
    query = f"?{urlencode({'back': back})}" if back else ""
    page = client.get(url + query, chosen(*applications))
    return client.post(url + query, confirmation_post(page))


def test_the_post_redirects_to_results_that_reload_without_recording_again(client, dri):
    application = in_stay()
    login(client, dri)
    response = post(client, DEPARTURES, application, back="state=accepted&page=2")
    assert response.status_code == 302
    location = response["Location"]
    key = response.wsgi_request.session[SESSION_KEY].popitem()[0]
    assert location == results_url("departed", key) + "?" + urlencode(
        {"back": "state=accepted&page=2"}
    )
    assert departures(application).count() == 1
    for _reload in range(2):
        page = client.get(location)
        assert page.status_code == 200
        assert [row.application for row in page.context["recorded"]] == [application]
        html = page.content.decode()
        assert "1 student is recorded as departed." in html
        # The way back to the queue as the officer left it.
        assert f'href="{reverse("reviews:queue")}?state=accepted&amp;page=2"' in html
    assert departures(application).count() == 1


def test_the_results_say_why_each_row_was_left_out(client, dri):
    ready, gone = in_stay(), in_stay(S.IN_MOBILITY)
    login(client, dri)
    response = client.post(
        DEPARTURES, {"application": [ready.pk, gone.pk, "junk", 999999]}, follow=True
    )
    assert response.status_code == 200
    assert [row.application for row in response.context["recorded"]] == []
    reasons = {str(row.pk): row.reason for row in response.context["left_out"]}
    assert reasons[str(ready.pk)].startswith("This dossier changed since you opened it")
    assert reasons["junk"] == "This is not an application number."
    assert reasons["999999"] == "No application received by the office has this number."
    links = [row.application for row in response.context["left_out"]]
    assert links == [ready, gone, None, None]
    assert "4 applications are not recorded: see why below." in response.content.decode()


@pytest.mark.parametrize("key", ["unknown", "a" * 16, "-_-"])
def test_an_unknown_key_says_the_results_are_gone(client, dri, key):
    login(client, dri)
    page = client.get(results_url("departed", key))
    assert page.status_code == 404
    html = page.content.decode()
    assert "These results are no longer available" in html
    assert "Back to the applications" in html


def test_the_results_of_one_move_are_not_read_as_the_other(client, dri):
    login(client, dri)
    location = post(client, DEPARTURES, in_stay())["Location"]
    key = location.rstrip("/").rsplit("/", 1)[1]
    assert client.get(results_url("departed", key)).status_code == 200
    assert client.get(results_url("returned", key)).status_code == 404


def test_the_results_are_the_officers_own(client, dri, admin_user):
    """Another session (another officer, or the same one signed in again) has no such key."""
    login(client, dri)
    location = post(client, DEPARTURES, in_stay())["Location"]
    client.logout()
    login(client, admin_user)
    assert client.get(location).status_code == 404


def test_the_latest_batches_are_kept_and_the_older_forgotten(client, dri):
    login(client, dri)
    locations = [
        post(client, RETURNS, in_stay(S.IN_MOBILITY))["Location"] for _ in range(KEPT_BATCHES + 1)
    ]
    assert client.get(locations[0]).status_code == 404
    for location in locations[1:]:
        assert client.get(location).status_code == 200
    assert len(client.session[SESSION_KEY]) == KEPT_BATCHES


def test_an_application_the_office_no_longer_reads_is_shown_without_a_link(client, dri):
    """Read back by id when shown: a row gone from the office's applications since (here set
    back to a draft directly) is named by its number, not a crash."""
    application = in_stay()
    login(client, dri)
    location = post(client, DEPARTURES, application)["Location"]
    in_state(application, S.DRAFT)
    page = client.get(location)
    assert page.status_code == 200
    assert f"Application no. {application.pk}" in page.content.decode()


def test_the_results_page_takes_no_post(client, dri):
    application = in_stay()
    login(client, dri)
    location = post(client, DEPARTURES, application)["Location"]
    assert client.post(location).status_code == 405
    assert state_of(application) == S.IN_MOBILITY


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_only_the_dri_reads_results(client, request, persona, db):
    login(client, request.getfixturevalue(persona))
    assert client.get(results_url("departed", "whatever")).status_code == 403
