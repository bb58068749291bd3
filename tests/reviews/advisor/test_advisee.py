"""What the advisor may see of one of their students, from the list on their home page: the
course plans sent to them and the student's applications, read only."""

import pytest
from django.urls import reverse

from apps.applications.models import CoursePlanStatus
from tests.applications.factories import CourseLineFactory, CoursePlanFactory, login
from tests.reviews.advisor.builders import sent_course_plan

pytestmark = pytest.mark.django_db

ADVISEE_MAX_QUERIES = 7


def advisee_url(student):
    return reverse("reviews:advisee", args=[student.pk])


def test_each_student_on_the_advisors_home_links_to_their_page(client, advisor, student):
    content = login(client, advisor).get(reverse("home")).content.decode()
    assert f'href="{advisee_url(student)}"' in content


def test_the_page_lists_the_course_plans_sent_and_the_applications(client, advisor, student):
    course_plan = sent_course_plan(student, lines=3)
    application = course_plan.activity.choices.get().application
    response = login(client, advisor).get(advisee_url(student))
    assert response.status_code == 200
    content = response.content.decode()
    assert student.student_profile.student_number in content
    assert reverse("reviews:advisor_course_plan", args=[course_plan.pk]) in content
    assert "3 of 3 courses to decide" in content
    assert reverse("applications:application_detail", args=[application.pk]) in content
    assert course_plan.activity.host_display in content


def test_a_draft_stays_private_and_the_version_sent_before_it_is_listed(client, advisor, student):
    """The student is writing version 2: the advisor sees version 1, which they were sent."""
    sent = sent_course_plan(student, lines=1, status=CoursePlanStatus.APPROVED)
    draft = CoursePlanFactory(activity=sent.activity, version=2, status=CoursePlanStatus.DRAFT)
    CourseLineFactory(course_plan=draft)
    response = login(client, advisor).get(advisee_url(student))
    assert response.context["course_plans"] == [sent]
    assert reverse("reviews:advisor_course_plan", args=[draft.pk]) not in (
        response.content.decode()
    )


def test_a_student_with_nothing_yet(client, advisor, student):
    content = login(client, advisor).get(advisee_url(student)).content.decode()
    assert "This student has sent you no course plan yet." in content
    assert "This student has not applied yet." in content


def test_another_advisors_student_is_not_found(client, advisor, other_student):
    assert login(client, advisor).get(advisee_url(other_student)).status_code == 404


def test_the_page_queries_stay_flat(client, advisor, student, django_assert_max_num_queries):
    for _index in range(8):
        sent_course_plan(student, lines=3)
    login(client, advisor)
    with django_assert_max_num_queries(ADVISEE_MAX_QUERIES):
        response = client.get(advisee_url(student))
    assert len(response.context["course_plans"]) == 8
    assert len(response.context["applications"]) == 8


def test_the_queue_links_each_student_to_their_page(client, advisor, student):
    sent_course_plan(student, lines=1)
    content = login(client, advisor).get(reverse("reviews:advisor_queue")).content.decode()
    assert f'href="{advisee_url(student)}"' in content


def test_the_review_of_a_course_plan_leads_to_the_students_page(client, advisor, student):
    course_plan = sent_course_plan(student, lines=1)
    page = login(client, advisor).get(reverse("reviews:advisor_course_plan", args=[course_plan.pk]))
    assert f'<a href="{advisee_url(student)}">{student}</a>' in page.content.decode()


def test_a_single_course_to_decide_is_singular(client, advisor, student):
    sent_course_plan(student, lines=1)
    content = login(client, advisor).get(advisee_url(student)).content.decode()
    assert "1 of 1 course to decide" in content
