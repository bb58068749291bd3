"""The key pages' query counts, measured among 3,500 students and about 2,100 applications
(the seed_scale world): pages whose count is not pinned at that size elsewhere. The DRI queue's
other filters and the staff dashboard are pinned in tests/reviews/dri/ with 2,000 and 1,020
applications.

Counts are taken on a signed-in session's second request: the first one also writes the session.
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

# The filter's choices (countries, languages, fields), the count, the page of partners, their
# agreements, languages and fields; filters by language and by field add their lookups.
CATALOGUE_MAX_QUERIES = 10
# Session and user, profile, plan, activities, applications, open calls; an open draft adds its
# choices and documents; the notifications bell.
DASHBOARD_MAX_QUERIES = 10
# Session and user, profile, plan, the plan's student and profile again, the form's date
# constraint check (in a savepoint: 3), the other activities; the bell.
LIVE_CHECK_MAX_QUERIES = 11
# As tests/reviews/dri/test_dossier.py explains; among 2,100 dossiers.
DOSSIER_MAX_QUERIES = 16
# tests/reviews/dri/test_queue_queries.py's 14, plus the lookups of the chosen call and partner.
QUEUE_MAX_QUERIES = 16
# Session and user, staff idle timeout, the plans' verdicts, the recent runs; the bell.
OPERATIONS_MAX_QUERIES = 8

pytestmark = pytest.mark.usefixtures("scale_world")


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
    status, queries = queries_of(client, "get", reverse("programmes:catalogue"), params)
    assert status == 200
    assert queries <= CATALOGUE_MAX_QUERIES


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
