"""What the pages recording several departures at once cost in queries, with two rows and with
the most a selection holds: the same."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.applications.models import Application, ApplicationState
from apps.reviews.stay_moves import MOST_AT_ONCE
from tests.applications.factories import login
from tests.reviews.dri.test_record_stays import DEPARTURES, chosen, confirmation_post, in_stay

S = ApplicationState
# The session, the officer, the rows (with their choices and history) and the notifications'
# badge; the filters' selection adds its menus (read once, then kept) and the ids it selects.
PINNED = {"ticked": 6, "every": 11, "results": 6}


def cost(client, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries)


def costs(client) -> dict[str, int]:
    """The confirmation of the ticked rows, of every accepted application (the filters'
    selection), and the results of recording them, each measured once the session exists."""
    accepted = list(Application.objects.filter(state=S.ACCEPTED).order_by("pk"))
    ticked = cost(client, DEPARTURES, chosen(*accepted))
    every = cost(client, DEPARTURES, {"matching": "1", "back": "state=accepted"})
    page = client.get(DEPARTURES, chosen(*accepted))
    location = client.post(
        DEPARTURES, confirmation_post(page, **{f"pk{a.pk}": True for a in accepted})
    )["Location"]
    assert len(client.get(location).context["recorded"]) == len(accepted)
    return {"ticked": ticked, "every": every, "results": cost(client, location)}


def test_the_pages_cost_the_same_for_two_rows_as_for_the_most_at_once(client, dri):
    login(client, dri)
    client.get(DEPARTURES)  # the session, written once
    for _index in range(2):
        in_stay()
    two = costs(client)
    for index in range(MOST_AT_ONCE):
        in_stay(started=index % 2 == 0)
    most = costs(client)
    assert two == most == PINNED
