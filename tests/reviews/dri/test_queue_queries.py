"""The queue's query count does not grow with its rows."""

import pytest
from django.urls import reverse

from tests.applications.factories import CoursePlanFactory, login
from tests.reviews.dri.builders import bulk_applications

# Session, user, notifications bell; the per-state counts (which give the paginator its count),
# the ids of the page's rows, the rows by id and their choices. The filter's menus (years,
# calls, partners, countries) come from the shared cache once the first visit has read them.
# Measured: 7 with 60 applications as with 2,000.
QUEUE_MAX_QUERIES = 7


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_queue_queries_stay_flat_with_two_thousand_applications(
    client, dri, django_assert_max_num_queries
):
    applications = bulk_applications(2000)
    for application in applications[:50]:
        CoursePlanFactory(activity=application.choices.first().activity)
    login(client, dri).get(reverse("reviews:queue"))  # writes the session, reads the menus
    for params in (
        {},
        {"sort": "-score", "page": 7},
        {
            "q": "Last0",
            "has_errors": "true",
            "course_plan_approved": "false",
            "country": "DE",
            "kind": "exchange_semester",
            "year": applications[0].call.academic_year,
        },
        # The nominated stay against today is never kept: the counts and ids are read anew.
        {"state": "accepted", "stay": "begun", "sort": "name"},
    ):
        with django_assert_max_num_queries(QUEUE_MAX_QUERIES):
            response = client.get(reverse("reviews:queue"), params)
        assert response.status_code == 200
    assert len(client.get(reverse("reviews:queue")).context["page"].object_list) == 50


def test_the_student_search_has_trigram_indexes_on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"])
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "user_first_name_fold_trgm",
        "user_last_name_fold_trgm",
        "user_email_trgm",
        "profile_number_trgm",
    }


def test_the_folded_name_search_reads_its_trigram_indexes_on_postgresql(db):
    """The indexes are built on the very expression the search writes (tables inlined, not
    parameters): otherwise every search would read the whole user table."""
    from django.db import connection
    from django.db.models import Q

    from apps.accounts.models import User
    from mobility_portal.search import fold

    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    bulk_applications(200)
    with connection.cursor() as cursor:
        # A table this small is read whole whatever its indexes: what is checked here is that
        # the indexes can serve the search at all, which a different expression could not.
        cursor.execute("SET LOCAL enable_seqscan = off")
    word = fold("Léa")
    search = User.objects.filter(
        Q(first_name__fold__contains=word) | Q(last_name__fold__contains=word)
    )
    plan = search.values("pk").explain()
    assert "user_first_name_fold_trgm" in plan
    assert "user_last_name_fold_trgm" in plan


def test_the_name_sort_reads_the_collated_index_on_postgresql(db):
    """Sorted by student name, the first page is read in the index's order, not by sorting
    every application: the index compares names with the same collation as the sort."""
    from django.db import connection
    from django.http import QueryDict

    from apps.reviews.filters import QueueFilter
    from apps.reviews.selectors_queue import queue_applications

    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    bulk_applications(2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for sort in ("name", "-name"):
        rows = QueueFilter(QueryDict(f"sort={sort}"), queryset=queue_applications()).qs
        plan = rows.values_list("pk", flat=True)[:50].explain()
        assert "user_name_collated_idx" in plan, sort
