"""The advisor's queue: the latest versions awaiting them, of their own students only."""

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import Application, ApplicationState, CoursePlanStatus, LineDecision
from tests.applications.factories import ChoiceFactory, login, semester_for
from tests.factories import StudentProfileFactory
from tests.reviews.advisor.builders import approve_all, dossier_abroad, sent_course_plan

QUEUE_URL = reverse("reviews:advisor_queue")
QUEUE_MAX_QUERIES = 8


def test_advisor_sees_their_students_plans_with_lines_pending(client, advisor, student):
    course_plan = sent_course_plan(student, lines=3)
    first = course_plan.lines.first()
    first.decision = LineDecision.APPROVED
    first.save()
    response = login(client, advisor).get(QUEUE_URL)
    assert response.status_code == 200
    (row,) = response.context["page"].object_list
    assert row == course_plan
    assert (row.pending_count, row.line_count) == (2, 3)
    content = response.content.decode()
    assert reverse("reviews:advisor_course_plan", args=[course_plan.pk]) in content
    assert "2 of 3" in content
    assert str(student) in content


def test_other_advisors_students_drafts_and_decided_plans_are_left_out(
    client, advisor, student, other_student
):
    sent_course_plan(other_student)
    sent_course_plan(student, status=CoursePlanStatus.DRAFT)
    sent_course_plan(student, status=CoursePlanStatus.APPROVED)
    response = login(client, advisor).get(QUEUE_URL)
    assert list(response.context["page"].object_list) == []
    content = response.content.decode()
    assert content.count("No course plan awaits your decision.") == 1
    assert "0 course plans" not in content


def test_only_the_latest_version_is_listed(client, advisor, student):
    first = sent_course_plan(student, lines=1)
    line = {"code": "X1", "title": "New", "ects": 6, "semester": "Fall", "home_requirement": "E"}
    second = services.course_plan_replace_lines(
        actor=student, activity=first.activity, lines=[line]
    )
    response = login(client, advisor).get(QUEUE_URL)
    assert list(response.context["page"].object_list) == [second]


@pytest.mark.parametrize(
    "state", [ApplicationState.WITHDRAWN, ApplicationState.REFUSED, ApplicationState.COMPLETED]
)
def test_a_stay_no_live_application_wants_is_left_out(client, advisor, student, state):
    sent_course_plan(student)
    Application.objects.filter(student=student).update(state=state)
    response = login(client, advisor).get(QUEUE_URL)
    assert list(response.context["page"].object_list) == []


def test_a_stay_left_for_another_nomination_is_left_out_until_named_again(client, advisor, student):
    course_plan = sent_course_plan(student)
    application = Application.objects.get(student=student)
    elsewhere = ChoiceFactory(application=application, rank=2, activity=semester_for(student))
    application.nominated_choice = elsewhere
    application.state = ApplicationState.NOMINATED
    application.save()
    login(client, advisor)
    assert list(client.get(QUEUE_URL).context["page"].object_list) == []

    application.nominated_choice = application.choices.get(rank=1)
    application.save()
    assert list(client.get(QUEUE_URL).context["page"].object_list) == [course_plan]


def test_decided_course_plans_stay_within_the_advisors_reach(
    client, advisor, student, other_student
):
    """Once decided, a course plan left the queue and the advisor had no way back to it."""
    approved = approve_all(sent_course_plan(student), advisor)
    changes = sent_course_plan(student, status=CoursePlanStatus.CHANGES_REQUESTED)
    approve_all(sent_course_plan(other_student), advisor)
    withdrawn = approve_all(sent_course_plan(student), advisor)
    Application.objects.filter(choices__activity=withdrawn.activity).update(
        state=ApplicationState.WITHDRAWN
    )
    response = login(client, advisor).get(QUEUE_URL)
    assert set(response.context["decided"]) == {approved, changes}
    content = response.content.decode()
    assert reverse("reviews:advisor_course_plan", args=[approved.pk]) in content


def test_students_back_from_mobility_are_listed_for_recognition(client, advisor, student):
    application, course_plan = dossier_abroad(student, advisor)
    response = login(client, advisor).get(QUEUE_URL)
    (row,) = response.context["recognitions"]
    assert row == application
    assert row.recognition_plan_pk == course_plan.pk
    assert reverse("reviews:return_recognition", args=[course_plan.pk]) in (
        response.content.decode()
    )


def test_queue_is_paginated_in_flat_queries(
    client, advisor, django_assert_max_num_queries, settings
):
    settings.CATALOGUE_PAGE_SIZE = 20
    for _index in range(25):
        student = StudentProfileFactory(advisor=advisor).user
        sent_course_plan(student, lines=3)
        dossier_abroad(student, advisor)
    login(client, advisor)
    with django_assert_max_num_queries(QUEUE_MAX_QUERIES):
        response = client.get(QUEUE_URL)
    assert len(response.context["page"].object_list) == 20
    assert len(response.context["recognitions"]) == 25
    assert len(response.context["decided"]) == 20
    second = client.get(QUEUE_URL, {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_the_decided_course_plans_have_their_own_pages(client, advisor, settings):
    """They grow with the advisor's students and their choices: all of them on one page made
    a list of hundreds of rows."""
    settings.CATALOGUE_PAGE_SIZE = 2
    for _index in range(3):
        student = StudentProfileFactory(advisor=advisor).user
        sent_course_plan(student)
        approve_all(sent_course_plan(student), advisor)
    login(client, advisor)
    first = client.get(QUEUE_URL)
    assert len(first.context["decided"]) == 2
    content = first.content.decode()
    assert 'href="?decided=2"' in content and 'href="?page=2"' in content
    both = client.get(QUEUE_URL, {"page": 2, "decided": 2})
    assert len(both.context["decided"]) == 1
    assert len(both.context["page"].object_list) == 1
    content = both.content.decode()
    # Each list's links keep the other list's page.
    assert 'href="?page=2&amp;decided=1"' in content
    assert 'href="?decided=2&amp;page=1"' in content
    assert 'aria-label="Pages of the course plans decided on"' in content


@pytest.mark.parametrize("who", ["student", "dfi", "dri"])
def test_other_roles_are_forbidden(client, request, who):
    assert login(client, request.getfixturevalue(who)).get(QUEUE_URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(QUEUE_URL).url.startswith(reverse("login"))


def test_decided_course_plans_name_who_decided_after_a_change_of_advisor(
    client, advisor, other_advisor, student
):
    """Given the student, the new advisor found their predecessor's decisions listed as
    'Course plans you have decided on', with nothing saying they were not theirs."""
    approved = approve_all(sent_course_plan(student), advisor)
    profile = student.student_profile
    profile.advisor = other_advisor
    profile.save(update_fields=["advisor"])
    response = login(client, other_advisor).get(QUEUE_URL)
    (row,) = response.context["decided"]
    assert row == approved
    assert row.decided_by_name == advisor.get_full_name()
    assert f" data-decided-by>{advisor.get_full_name()}</td>" in response.content.decode()
