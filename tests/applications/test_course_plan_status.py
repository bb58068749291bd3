"""What the student's course plan page says of the version sent: it awaits the advisor only
when the advisor has it before them. Withdrawn from one call and applying again to another
with the same stay (still a draft), the student was told "Awaiting the advisor" while the
advisor's queue, by its rule (course_plan_stay_still_wanted), held nothing."""

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import Application, ApplicationState, CoursePlanStatus
from apps.reviews.selectors_advisor import advisee_course_plans, course_plans_to_review
from tests.applications.factories import (
    ApplicationFactory,
    ChoiceFactory,
    DocumentFactory,
    complete_application,
    login,
)
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

LINES = [
    {
        "code": "IN2064",
        "title": "Machine Learning",
        "ects": 30,
        "semester": "WS",
        "home_requirement": "S7",
    }
]
AWAITING = "Version 1: Awaiting the advisor"
WAITS = "Version 1: goes to your study advisor once an application with this stay is submitted"


def edit_page(client, student, activity):
    return login(client, student).get(reverse("applications:course_plan_edit", args=[activity.pk]))


def version_page(client, student, activity, version=1):
    return login(client, student).get(
        reverse("applications:course_plan_version", args=[activity.pk, version])
    )


def submitted_with_course_plan(student):
    application = complete_application(student)
    activity = application.choices.get().activity
    services.course_plan_replace_lines(actor=student, activity=activity, lines=LINES)
    services.application_submit(actor=student, application=application)
    return Application.objects.get(pk=application.pk), activity


def draft_naming(student, activity, *, like: Application) -> Application:
    """A draft to another call of the same academic year, with the same stay and documents."""
    draft = ApplicationFactory(
        student=student, call=CallFactory(academic_year=like.call.academic_year)
    )
    ChoiceFactory(application=draft, rank=1, activity=activity)
    for document in like.documents.all():
        DocumentFactory(application=draft, kind=document.kind)
    return draft


def test_a_submitted_application_puts_the_course_plan_before_the_advisor(client, student, advisor):
    application, activity = submitted_with_course_plan(student)
    course_plan = activity.course_plans.get()
    assert course_plan.status == CoursePlanStatus.PENDING
    assert list(course_plans_to_review(advisor)) == [course_plan]

    response = edit_page(client, student, activity)

    content = response.content.decode()
    assert AWAITING in content
    assert WAITS not in content
    assert response.context["waits_for_an_application"] is False
    assert 'id="waits-for-an-application"' not in content
    assert "Awaiting the advisor" in version_page(client, student, activity).content.decode()


def test_withdrawn_then_a_draft_with_the_same_stay_does_not_await_the_advisor(
    client, student, advisor
):
    first, activity = submitted_with_course_plan(student)
    services.application_withdraw(actor=student, application=first)
    second = draft_naming(student, activity, like=first)
    course_plan = activity.course_plans.get()
    assert course_plan.status == CoursePlanStatus.PENDING  # as it was sent
    # The advisor's side: nothing awaits them, and their student page says no application
    # wants the stay.
    assert list(course_plans_to_review(advisor)) == []
    assert [plan.still_wanted for plan in advisee_course_plans(student)] == [False]

    response = edit_page(client, student, activity)

    content = response.content.decode()
    assert "Awaiting the advisor" not in content
    assert WAITS in content
    assert response.context["waits_for_an_application"] is True
    assert 'id="waits-for-an-application"' in content
    assert "They receive it once you submit an application with this stay." in content
    version = version_page(client, student, activity).content.decode()
    assert "Awaiting the advisor" not in version
    assert "Goes to your study advisor once an application with this stay is submitted" in version

    # Submitting the draft puts the version before the advisor: both sides say so again.
    services.application_submit(actor=student, application=second)
    assert Application.objects.get(pk=second.pk).state == ApplicationState.SUBMITTED
    assert list(course_plans_to_review(advisor)) == [course_plan]
    content = edit_page(client, student, activity).content.decode()
    assert AWAITING in content
    assert WAITS not in content


def test_lines_rejected_of_a_stay_no_application_wants_say_when_the_new_version_goes(
    client, student, advisor
):
    from apps.reviews.services.course_plans import course_line_decide

    first, activity = submitted_with_course_plan(student)
    course_plan = activity.course_plans.get()
    course_line_decide(
        actor=advisor, line=course_plan.lines.get(), approve=False, comment="Too close."
    )
    services.application_withdraw(actor=student, application=first)

    content = edit_page(client, student, activity).content.decode()

    assert "Version 1: Some courses refused" in content  # the advisor's decision stands
    assert "The new version goes to your advisor once an application with this stay" in content
    assert 'id="waits-for-an-application"' in content


def test_the_student_page_and_the_advisor_queue_read_one_rule(student, advisor):
    """Each state of the application that chose the stay: the student's page says the version
    awaits the advisor exactly when the advisor's queue lists it."""
    from apps.applications.selectors import (
        course_plan_waits_for_an_application,
        latest_course_plan,
    )

    first, activity = submitted_with_course_plan(student)
    for state in ApplicationState.values:
        Application.objects.filter(pk=first.pk).update(state=state)
        in_queue = bool(list(course_plans_to_review(advisor)))
        waits = course_plan_waits_for_an_application(latest_course_plan(activity))
        assert in_queue is not waits, state


@pytest.mark.parametrize("withdrawn", [False, True], ids=["submitted", "withdrawn"])
def test_the_pages_read_whether_the_advisor_has_it_without_a_query_more(
    client, student, withdrawn, django_assert_max_num_queries
):
    """Whether an application wants the stay is read with the latest version (an annotation):
    the course plan page and the version page keep their counts, whichever the story."""
    application, activity = submitted_with_course_plan(student)
    if withdrawn:
        services.application_withdraw(actor=student, application=application)
    edit_url = reverse("applications:course_plan_edit", args=[activity.pk])
    version_url = reverse("applications:course_plan_version", args=[activity.pk, 1])
    login(client, student).get(edit_url)  # the session and the regulations, cached
    with django_assert_max_num_queries(6):
        response = client.get(edit_url)
    assert response.context["waits_for_an_application"] is withdrawn
    with django_assert_max_num_queries(7):
        client.get(version_url)
