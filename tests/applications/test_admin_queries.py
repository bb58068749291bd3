"""The admin's lists and read-only pages read a constant number of queries, however many rows
they show: at 10,000 students the course plans' list ran two queries per row (its activity, then
the activity's partner), 102 for a page of 100; an application's page read each choice's
activity, agreement and partner and each move's author, a course plan's page each line's
decider."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.applications.models import LineDecision, Transition
from tests.applications.factories import (
    ActivityFactory,
    ApplicationFactory,
    ChoiceFactory,
    CourseLineFactory,
    CoursePlanFactory,
    login,
)
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


def page_queries(client, admin_user, url: str) -> int:
    return changelist_queries(client, admin_user, url)  # any admin page, warmed up the same way


def test_an_application_reads_as_many_queries_with_one_choice_and_move_as_with_many(
    client, admin_user, student
):
    def application_with(rows: int):
        application = ApplicationFactory(student=student)
        for _row in range(rows):
            ChoiceFactory(
                application=application, activity=ActivityFactory(partner=PartnerFactory())
            )
            Transition.objects.create(
                application=application, actor=admin_user, from_state="draft", to_state="submitted"
            )
        return reverse("admin:applications_application_change", args=[application.pk])

    one = page_queries(client, admin_user, application_with(1))
    assert page_queries(client, admin_user, application_with(4)) == one


def test_a_course_plan_reads_as_many_queries_for_one_line_as_for_many(client, admin_user):
    def course_plan_with(lines: int):
        course_plan = CoursePlanFactory(activity=ActivityFactory(partner=PartnerFactory()))
        for _line in range(lines):
            CourseLineFactory(
                course_plan=course_plan, decision=LineDecision.APPROVED, decided_by=admin_user
            )
        return reverse("admin:applications_courseplan_change", args=[course_plan.pk])

    one = page_queries(client, admin_user, course_plan_with(1))
    assert page_queries(client, admin_user, course_plan_with(4)) == one


def test_the_erasure_requests_list_and_page_read_as_many_queries_for_one_row_as_for_many(
    client, admin_user
):
    from apps.applications.erasure import erasure_request_refuse, erasure_request_submit
    from apps.applications.models import ErasureRequest
    from tests.factories import StudentProfileFactory

    def refused_request() -> ErasureRequest:
        request = erasure_request_submit(actor=StudentProfileFactory().user)
        erasure_request_refuse(actor=admin_user, request=request, reason="No.")
        return request

    url = reverse("admin:applications_erasurerequest_changelist")
    first = refused_request()
    one = changelist_queries(client, admin_user, url)
    for _row in range(5):
        refused_request()
    assert changelist_queries(client, admin_user, url) == one
    pending = erasure_request_submit(actor=StudentProfileFactory().user)

    def page(request: ErasureRequest) -> str:
        return reverse("admin:applications_erasurerequest_change", args=[request.pk])

    # One audit row or two, each naming its author: the same queries.
    assert page_queries(client, admin_user, page(pending)) == page_queries(
        client, admin_user, page(first)
    )
