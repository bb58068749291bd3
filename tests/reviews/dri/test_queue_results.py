"""The queue's counts and the ids of its pages are kept for every officer, and never outlive a
change to what they were computed from."""

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role
from apps.applications.models import ApplicationState
from apps.reviews.filters import QueueFilter
from apps.reviews.queue_results import QUEUE_TABLES, _counts, _page_ids, filters_query
from apps.reviews.selectors_queue import queue_applications
from mobility_portal.caching import EVERYTHING, recording_reads, table_of
from tests.applications.factories import CoursePlanFactory, login
from tests.factories import UserFactory
from tests.reviews.dri.builders import bulk_applications

pytestmark = pytest.mark.usefixtures("pages_rendered_each_time")

VARIANTS = [
    {},
    {"sort": "-score", "page": "2"},
    {"state": "submitted", "page": "3"},
    {"sort": "name"},
    {"sort": "-state"},
    {"country": "DE", "kind": "exchange_semester", "has_errors": "false"},
    {"course_plan_approved": "false", "year": "2027"},
    {"course_plan_approved": "true"},
    {"q": "Last0001"},
    {"stay": "begun", "sort": "name"},
]


@pytest.fixture
def applications(db):
    applications = bulk_applications(130)
    for application in applications[:5]:
        CoursePlanFactory(activity=application.choices.first().activity)
    return applications


def query_dict(params) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(params)
    return query


def shown(client, params) -> list[int]:
    response = client.get(reverse("reviews:queue"), params)
    assert response.status_code == 200
    return [application.pk for application in response.context["page"].object_list]


def expected(params, page: int = 1) -> list[int]:
    """The page as the filter's own query gives it, without anything kept."""
    rows = QueueFilter(query_dict(params), queryset=queue_applications()).qs
    start = (page - 1) * 50
    return list(rows.values_list("pk", flat=True)[start : start + 50])


@pytest.mark.parametrize("params", VARIANTS)
def test_each_page_lists_what_the_filters_select_in_their_order(client, dri, applications, params):
    login(client, dri)
    page = client.get(reverse("reviews:queue"), params).context["page"]
    assert shown(client, params) == expected(params, page.number)
    assert shown(client, params) == expected(params, page.number)  # kept: the same rows


@pytest.mark.parametrize("params", VARIANTS)
def test_the_kept_results_name_every_table_their_queries_read(applications, params):
    query = filters_query(QueueFilter(query_dict(params), queryset=queue_applications()))
    with recording_reads() as tables:
        _counts(query)
        _page_ids(query, 0, 50)
    declared = {table_of(model) for model in QUEUE_TABLES} | {EVERYTHING}
    assert tables - declared == set()


def test_another_officer_asking_the_same_filters_costs_no_count(
    applications, dri, django_assert_num_queries
):
    first = login(Client(), dri)
    second = login(Client(), UserFactory(email="dri2@example.org", role=Role.DRI))
    second.get(reverse("reviews:queue"))  # reads the menus
    params = {"state": "submitted", "sort": "name"}
    first.get(reverse("reviews:queue"), params)
    # Session, user, notifications bell, the rows by id and their choices.
    with django_assert_num_queries(5):
        response = second.get(reverse("reviews:queue"), params)
    assert [a.pk for a in response.context["page"].object_list] == expected(params)


def test_a_search_is_not_kept(applications, dri, django_assert_num_queries):
    client = login(Client(), dri)
    client.get(reverse("reviews:queue"), {"q": "Last0001"})
    with django_assert_num_queries(7):
        client.get(reverse("reviews:queue"), {"q": "Last0001"})


def test_a_change_of_state_is_seen_at_once(client, dri, applications):
    login(client, dri)
    before = shown(client, {"state": "submitted"})
    moved = applications[0].__class__.objects.get(pk=before[0])
    moved.state = ApplicationState.UNDER_REVIEW
    moved.save()
    after = shown(client, {"state": "submitted"})
    assert moved.pk not in after
    counts = dict(
        (row.key, row.count) for row in client.get(reverse("reviews:queue")).context["state_counts"]
    )
    assert counts["submitted"] == len(after)


def test_a_renamed_student_moves_in_the_name_order(client, dri, applications):
    login(client, dri)
    first = shown(client, {"sort": "name"})[0]
    last = applications[0].__class__.objects.get(pk=shown(client, {"sort": "name"})[-1])
    last.student.last_name = "Aaron"
    last.student.save()
    assert shown(client, {"sort": "name"})[0] == last.pk != first


def test_a_repeated_parameter_selects_the_rows_the_page_says(client, dri, applications):
    """The form reads the last value given; the kept rows must come from that same value."""
    login(client, dri)
    url = reverse("reviews:queue")
    for query, state in (
        ("?state=under_review&state=submitted", "submitted"),
        ("?state=submitted&state=under_review", "under_review"),
    ):
        context = client.get(url + query).context
        assert context["current_state"] == state
        assert {row.state for row in context["page"].object_list} == {state}
    newest_last = client.get(url + "?sort=-submitted&sort=submitted").context["page"]
    newest_first = client.get(url + "?sort=submitted&sort=-submitted").context["page"]
    assert [row.pk for row in newest_last.object_list] == expected({"sort": "submitted"})
    assert [row.pk for row in newest_first.object_list] == expected({"sort": "-submitted"})


@pytest.mark.parametrize("junk", [{"year": "junk"}, {"state": "nonsense"}, {"partner": "x"}])
def test_an_invalid_value_is_left_out_of_the_key(applications, junk):
    def key(params):
        return filters_query(QueueFilter(query_dict(params), queryset=queue_applications()))

    assert key(junk) == key({}) == ""
    assert key({**junk, "sort": "name"}) == key({"sort": "name"}) == "sort=name"
