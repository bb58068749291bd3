"""The key pages' query counts, measured among 3,500 students and about 2,100 applications
(the seed_scale world): pages whose count is not pinned at that size elsewhere. The DRI queue's
other filters and the staff dashboard are pinned in tests/reviews/dri/ with 2,000 and 1,020
applications.

Counts are taken on a signed-in session's second request: the first one also writes the session,
and fills the shared cache with the menus and counts later requests read from it
(mobility_portal/caching.py). They are the cost of rendering each page: the session's page cache
(mobility_portal/page_cache.py) is off here, and its own cost is pinned in
tests/test_page_cache.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.applications.models import Application, ApplicationState
from apps.applications.scale_data import staff_email
from apps.programmes.models import Call, Partner
from tests.applications.factories import login
from tests.applications.plan_helpers import activity_post_data

S = ApplicationState
SCALE_STUDENTS = 3500

# A first visit: what the menus offer (3, kept afterwards), then the body: the filter's country
# menu, the count, the page of partners, their agreements, languages and fields; filters by
# language and by field add their lookups.
CATALOGUE_RENDER_MAX_QUERIES = 13
# A visitor asking for a body already rendered: none at all (measured: 0).
CATALOGUE_REPEAT_QUERIES = 0
# Session, user with profile, plan, activities, applications, open calls, course plans with
# rejected lines; an open draft adds its choices and documents; a student with no application
# under way, whether an erasure request of theirs waits; the notifications bell (measured: 8, 10
# with a draft).
DASHBOARD_MAX_QUERIES = 10
# Session, user with profile, plan, the chosen partner, the form's partner and date constraint
# checks, the other activities; the bell (measured: 8).
LIVE_CHECK_MAX_QUERIES = 8
# As tests/reviews/dri/test_dossier.py explains; among 2,100 dossiers (measured: 12-13).
DOSSIER_MAX_QUERIES = 13
# Session and user, the bell; per-state counts (they give the paginator its count too), the
# page's rows and their choices (measured: 6). The menus come from the shared cache.
QUEUE_MAX_QUERIES = 6
# Session and user, the plans' verdicts, the recent runs, the outbox's figures and its latest
# failures; the bell (measured: 7).
OPERATIONS_MAX_QUERIES = 7

pytestmark = pytest.mark.usefixtures("scale_world", "pages_rendered_each_time")


def queries_of(client, method: str, url: str, data: dict | None = None) -> tuple[int, int]:
    """(status, number of queries) of the request, on a session already written once."""
    send = getattr(client, method)
    send(url, data or {})
    with CaptureQueriesContext(connection) as captured:
        response = send(url, data or {})
    return response.status_code, len(captured.captured_queries)


def student_in(state: str) -> User:
    return Application.objects.filter(state=state).select_related("student").first().student


@pytest.fixture
def dri_client(client, db):
    return login(client, User.objects.get(email=staff_email("dri", 1)))


def test_scale_world_has_the_size_the_counts_are_measured_at(db):
    assert Application.objects.count() > 2000


@pytest.mark.parametrize(
    "params", [{}, {"page": 3}, {"kind": "exchange", "language": "en", "field": "data-science"}]
)
def test_catalogue(client, db, params):
    with CaptureQueriesContext(connection) as rendering:
        client.get(reverse("programmes:catalogue"), params)
    assert len(rendering.captured_queries) <= CATALOGUE_RENDER_MAX_QUERIES
    status, queries = queries_of(client, "get", reverse("programmes:catalogue"), params)
    assert status == 200
    assert queries == CATALOGUE_REPEAT_QUERIES


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.IN_MOBILITY, S.COMPLETED])
def test_student_dashboard(client, db, state):
    login(client, student_in(state))
    status, queries = queries_of(client, "get", reverse("applications:dashboard"))
    assert status == 200
    assert queries <= DASHBOARD_MAX_QUERIES


def test_plan_live_check(client, db):
    login(client, student_in(S.DRAFT))
    status, queries = queries_of(
        client, "post", reverse("applications:plan_live_check"), activity_post_data()
    )
    assert status == 200
    assert queries <= LIVE_CHECK_MAX_QUERIES


@pytest.mark.parametrize("state", [S.SUBMITTED, S.COMPLETED])
def test_dossier(dri_client, state):
    application = Application.objects.filter(state=state).first()
    status, queries = queries_of(
        dri_client, "get", reverse("reviews:dossier", args=[application.pk])
    )
    assert status == 200
    assert queries <= DOSSIER_MAX_QUERIES


def test_queue_by_call_partner_and_state(dri_client):
    params = {
        "call": Call.objects.order_by("academic_year").first().pk,
        "partner": Partner.objects.first().pk,
        "state": S.COMPLETED,
    }
    status, queries = queries_of(dri_client, "get", reverse("reviews:queue"), params)
    assert status == 200
    assert queries <= QUEUE_MAX_QUERIES


@pytest.mark.parametrize("sort", ["name", "-state", "score"])
def test_queue_pages_cost_the_same_at_any_depth(dri_client, sort):
    first = queries_of(dri_client, "get", reverse("reviews:queue"), {"sort": sort})
    deep = queries_of(dri_client, "get", reverse("reviews:queue"), {"sort": sort, "page": 30})
    assert first == deep
    assert first[1] <= QUEUE_MAX_QUERIES


def test_operations_page(dri_client):
    status, queries = queries_of(dri_client, "get", reverse("reviews:operations"))
    assert status == 200
    assert queries <= OPERATIONS_MAX_QUERIES
