"""The admin's lists read a constant number of queries, however many rows a page shows: at
10,000 students the course plans' list ran two queries per row (its activity, then the
activity's partner), 102 for a page of 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.applications.factories import ActivityFactory, CoursePlanFactory, login
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def changelist_queries(client, admin_user, url: str) -> int:
    login(client, admin_user)
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_course_plans_list_reads_as_many_queries_for_one_row_as_for_many(client, admin_user):
    url = reverse("admin:applications_courseplan_changelist")
    CoursePlanFactory(activity=ActivityFactory(partner=PartnerFactory()))
    one = changelist_queries(client, admin_user, url)
    for _row in range(5):
        CoursePlanFactory(activity=ActivityFactory(partner=PartnerFactory()))
    assert changelist_queries(client, admin_user, url) == one
