"""A course plan whose stay no application wants any more (its application withdrawn, refused,
or nominated to another of its choices) awaits nothing of the advisor: their queue leaves it
out, and so do the review page (read only, with why), the service (it refuses a decision) and
the student's page (not counted as awaiting them). All three read the queue's definition."""

import pytest
from django.urls import reverse

from apps.applications.errors import ServiceError
from apps.applications.models import Application, ApplicationState, LineDecision
from apps.reviews.services.course_plans import course_line_decide, course_line_undo
from tests.applications.factories import ChoiceFactory, login, messages_of, semester_for
from tests.reviews.advisor.builders import sent_course_plan

NOT_WANTED = "No application of the student wants this stay any more"


def review_url(course_plan):
    return reverse("reviews:advisor_course_plan", args=[course_plan.pk])


def advisee_url(student):
    return reverse("reviews:advisee", args=[student.pk])


def withdrawn(course_plan, state=ApplicationState.WITHDRAWN):
    Application.objects.filter(choices__activity=course_plan.activity).update(state=state)
    return course_plan


def nominated_elsewhere(course_plan, student):
    application = Application.objects.get(choices__activity=course_plan.activity)
    elsewhere = ChoiceFactory(application=application, rank=2, activity=semester_for(student))
    application.nominated_choice = elsewhere
    application.state = ApplicationState.NOMINATED
    application.save()
    return application


@pytest.fixture
def course_plan(student):
    return sent_course_plan(student, lines=2)


def first_line(course_plan):
    return course_plan.lines.order_by("pk").first()


# --- the service ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state", [ApplicationState.WITHDRAWN, ApplicationState.REFUSED, ApplicationState.HOST_REFUSED]
)
def test_the_service_refuses_a_decision_on_a_stay_no_application_wants(advisor, course_plan, state):
    withdrawn(course_plan, state)
    line = first_line(course_plan)
    with pytest.raises(ServiceError, match=NOT_WANTED):
        course_line_decide(actor=advisor, line=line, approve=True, comment="")
    line.refresh_from_db()
    assert line.decision == LineDecision.PENDING
    assert not line.decision_history.exists()


def test_the_service_refuses_a_decision_once_another_stay_is_nominated(
    advisor, student, course_plan
):
    nominated_elsewhere(course_plan, student)
    with pytest.raises(ServiceError, match=NOT_WANTED):
        course_line_decide(actor=advisor, line=first_line(course_plan), approve=True, comment="")


def test_the_service_refuses_to_undo_a_decision_on_a_stay_no_longer_wanted(advisor, course_plan):
    line = course_line_decide(actor=advisor, line=first_line(course_plan), approve=True, comment="")
    withdrawn(course_plan)
    with pytest.raises(ServiceError, match=NOT_WANTED):
        course_line_undo(actor=advisor, line=line, seen=LineDecision.APPROVED)
    line.refresh_from_db()
    assert line.decision == LineDecision.APPROVED


def test_the_decision_is_taken_again_once_an_application_names_the_stay_again(
    advisor, student, course_plan
):
    application = nominated_elsewhere(course_plan, student)
    application.nominated_choice = application.choices.get(rank=1)
    application.save()
    line = course_line_decide(actor=advisor, line=first_line(course_plan), approve=True, comment="")
    assert line.decision == LineDecision.APPROVED


# --- the review page --------------------------------------------------------------------------


def test_the_review_page_shows_it_read_only_and_says_why(client, advisor, course_plan):
    withdrawn(course_plan)
    response = login(client, advisor).get(review_url(course_plan))
    assert response.status_code == 200
    assert response.context["can_decide"] is False
    assert all(form is None for _line, form in response.context["rows"])
    content = response.content.decode()
    assert "this course plan awaits no decision of yours and is shown read only" in content
    assert 'name="decision"' not in content
    assert "No current application names this stay" in content


def test_a_decision_posted_from_a_page_left_open_is_refused(client, advisor, course_plan):
    """The page was opened while the application still wanted the stay; it was withdrawn
    before the advisor sent their decision."""
    line = first_line(course_plan)
    login(client, advisor)
    assert client.get(review_url(course_plan)).context["can_decide"] is True
    withdrawn(course_plan)
    response = client.post(
        review_url(course_plan),
        {"line": line.pk, "decision": "reject", "comment": "Not this one."},
    )
    assert response.status_code == 409
    assert any(NOT_WANTED in message for message in messages_of(response))
    assert response.context["unsaved_comment"] == (line.pk, "Not this one.")
    line.refresh_from_db()
    assert line.decision == LineDecision.PENDING


def test_the_review_page_of_a_stay_still_wanted_says_nothing_of_it(client, advisor, course_plan):
    response = login(client, advisor).get(review_url(course_plan))
    assert response.context["can_decide"] is True
    assert "awaits no decision of yours" not in response.content.decode()


# --- the student's page -----------------------------------------------------------------------


def test_the_students_page_does_not_count_it_as_awaiting(client, advisor, student, course_plan):
    withdrawn(course_plan)
    response = login(client, advisor).get(advisee_url(student))
    content = response.content.decode()
    assert review_url(course_plan) in content  # still listed, to read
    assert "courses to decide" not in content
    assert "Awaiting the advisor" not in content
    assert "No current application names this stay" in content


# --- the three agree --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    ["none", "withdrawn", "refused", "host_refused", "completed", "elsewhere"],
)
def test_queue_review_page_and_students_page_agree(client, advisor, student, course_plan, change):
    if change == "elsewhere":
        nominated_elsewhere(course_plan, student)
    elif change != "none":
        withdrawn(course_plan, change)
    login(client, advisor)
    in_queue = course_plan in client.get(reverse("reviews:advisor_queue")).context["page"]
    decidable = client.get(review_url(course_plan)).context["can_decide"]
    (listed,) = client.get(advisee_url(student)).context["course_plans"]
    awaiting_on_students_page = listed.status == "pending" and listed.still_wanted
    assert in_queue == decidable == awaiting_on_students_page == (change == "none")
