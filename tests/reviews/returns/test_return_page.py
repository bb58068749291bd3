"""The student's return page: who reaches it, in which states, and what it shows."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.applications.models import ApplicationState
from tests.applications.factories import login, messages_of
from tests.reviews.advisor.builders import dossier_abroad, record_all, with_transcript

RETURN_MAX_QUERIES = 12


def return_url(application):
    return reverse("reviews:return_page", args=[application.pk])


@pytest.mark.parametrize("state", [ApplicationState.IN_MOBILITY, ApplicationState.RETURNED])
def test_owner_sees_the_approved_course_plan_to_fill_in(client, student, advisor, state):
    application, course_plan = dossier_abroad(student, advisor, state=state)
    response = login(client, student).get(return_url(application))
    assert response.status_code == 200
    assert response.context["course_plan"] == course_plan
    assert response.context["can_change"]
    assert [line for line, _field in response.context["ects_form"].rows()] == list(
        course_plan.lines.order_by("pk")
    )
    content = response.content.decode()
    assert reverse("reviews:return_transcript", args=[application.pk]) in content
    assert "Not uploaded yet." in content


def test_the_dossier_page_links_to_the_return(client, student, advisor):
    application, _course_plan = dossier_abroad(student, advisor)
    page = login(client, student).get(
        reverse("applications:application_detail", args=[application.pk])
    )
    assert return_url(application) in page.content.decode()


def test_a_completed_return_is_read_only(client, student, advisor):
    application, course_plan = dossier_abroad(student, advisor, state=ApplicationState.COMPLETED)
    record_all(course_plan)
    response = login(client, student).get(return_url(application))
    assert not response.context["can_change"]
    content = response.content.decode()
    assert "Save the credits obtained" not in content
    assert reverse("reviews:return_transcript", args=[application.pk]) not in content


def test_before_departure_there_is_no_return_page(client, student, advisor):
    application, _course_plan = dossier_abroad(student, advisor, state=ApplicationState.ACCEPTED)
    response = login(client, student).get(return_url(application))
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert messages_of(response) == [
        "This application is accepted by the host: the return is recorded during the mobility "
        "or after."
    ]


def test_another_student_finds_nothing(client, student, advisor, other_student):
    application, _course_plan = dossier_abroad(student, advisor)
    assert login(client, other_student).get(return_url(application)).status_code == 404


@pytest.mark.parametrize("who", ["advisor", "dri", "dfi"])
def test_staff_and_advisor_are_forbidden(client, request, student, advisor, who):
    application, _course_plan = dossier_abroad(student, advisor)
    response = login(client, request.getfixturevalue(who)).get(return_url(application))
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, student, advisor):
    application, _course_plan = dossier_abroad(student, advisor)
    assert client.get(return_url(application)).url.startswith(reverse("login"))


def test_return_page_queries_stay_flat(client, student, advisor, django_assert_max_num_queries):
    application, course_plan = dossier_abroad(student, advisor, lines=40)
    with_transcript(application)
    record_all(course_plan, obtained=5)
    login(client, student)
    with django_assert_max_num_queries(RETURN_MAX_QUERIES):
        response = client.get(return_url(application))
    assert response.context["credits"].missing == 40


def test_refused_credits_are_announced_at_the_top_with_a_link_to_each_course(
    client, student, advisor
):
    """The credits form refused: a summary read out on arrival, each error linked to its
    course's box (the errors were only beside the boxes, further down the page, unannounced)."""
    application, course_plan = dossier_abroad(student, advisor, state=ApplicationState.IN_MOBILITY)
    line = course_plan.lines.order_by("pk").first()
    response = login(client, student).post(return_url(application), {f"line_{line.pk}": "99"})
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', html, re.S)
    assert summary is not None
    assert f'href="#id_line_{line.pk}"' in summary.group(1)
    assert f"ECTS obtained for {line.code} {line.title}" in summary.group(1)
    assert "At most 6 ECTS: a course grants no more than its own." in summary.group(1)
    line.refresh_from_db()
    assert line.ects_obtained is None


def test_the_most_credits_a_course_grants_is_written_the_french_way(client, student, advisor):
    """7.5 ECTS is « 7,5 » in French: Django's own message wrote the limit as Python does."""
    application, course_plan = dossier_abroad(student, advisor, state=ApplicationState.IN_MOBILITY)
    line = course_plan.lines.order_by("pk").first()
    line.ects = Decimal("7.5")
    line.save(update_fields=["ects"])
    client.force_login(student)
    response = client.post(return_url(application), {f"line_{line.pk}": "8"})
    assert response.status_code == 400
    assert "Au plus 7,5 ECTS" in response.content.decode()
