from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.erasure import erasure_request_cancel, erasure_request_submit
from apps.applications.models import ApplicationState
from mobility_portal.dates import long_date
from tests.applications.factories import (
    ActivityFactory,
    ApplicationFactory,
    complete_application,
    draft_with_choice,
    free_start_in,
    login,
    plan_for,
    semester_for,
)
from tests.factories import CallFactory, UserFactory

DASHBOARD_MAX_QUERIES = 14


def dashboard_url():
    return reverse("applications:dashboard")


def dashboard(client, user):
    response = login(client, user).get(dashboard_url())
    assert response.status_code == 200
    return response


def test_student_home_redirects_to_the_dashboard(client, student):
    assert login(client, student).get(reverse("home")).url == dashboard_url()


def test_without_profile_the_student_waits_for_the_administrators(client, db):
    response = dashboard(client, UserFactory())
    assert response.context["step"].url is None
    assert "administrators complete it" in response.context["step"].text


def test_empty_plan_asks_for_a_first_activity(client, student):
    response = dashboard(client, student)
    step = response.context["step"]
    assert step.url == reverse("applications:activity_add")
    assert step.url in response.content.decode()
    assert "Your plan is empty." in response.content.decode()


def test_plan_errors_are_counted_with_a_link_to_the_plan(client, student):
    semester_for(student, ects=20)
    CallFactory()
    response = dashboard(client, student)
    assert response.context["check"].error_count == 1
    assert response.context["step"].url == reverse("applications:plan")
    assert "1 error to fix" in response.content.decode()


def test_fae_progress_shows_qualifying_and_required_days(client, student):
    ActivityFactory(
        plan=plan_for(student),
        kind="summer_stay",
        summer_type="summer_school",
        start=timezone.localdate(),
        end=timezone.localdate() + timedelta(days=40),
        ects=None,
        approved_by_dfi=True,
        approved_by_dri=True,
    )
    response = dashboard(client, student)
    assert "41 / 119 days" in response.content.decode()


def test_open_call_without_application_invites_to_apply(client, student):
    semester_for(student, start=free_start_in(student, 2027))  # a stay of the call's year
    call = CallFactory(name="Exchange 2027")
    response = dashboard(client, student)
    assert response.context["step"].url == reverse("applications:application_list")
    assert "Exchange 2027" in response.context["step"].text
    content = response.content.decode()
    assert reverse("applications:application_start", args=[call.pk]) in content
    assert "Compliant with the regulations" in content


def test_a_pending_erasure_request_is_the_next_step_not_applying(client, student):
    """With an open call and a compliant plan, the dashboard said "The call is open: apply."
    while the request waits; the portal then refuses to start an application."""
    semester_for(student, start=free_start_in(student, 2027))  # a stay of the call's year
    CallFactory(name="Exchange 2027")
    request = erasure_request_submit(actor=student)
    response = dashboard(client, student)
    step = response.context["step"]
    assert step.url == reverse("applications:privacy_export")
    assert step.text == (
        f"You asked on {long_date(request.created_at)} for your personal data to be erased. "
        "The administrators have not handled your request yet: you will be told of the outcome "
        "by e-mail. To apply to a call, cancel your request first."
    )
    assert step.url in response.content.decode()
    erasure_request_cancel(actor=student, request=request)
    step = dashboard(client, student).context["step"]
    assert step.url == reverse("applications:application_list")


def test_draft_lists_what_is_missing(client, student):
    application = draft_with_choice(student)
    step = dashboard(client, student).context["step"]
    assert step.url == reverse("applications:application_detail", args=[application.pk])
    assert "Missing document: CV." in step.details


def test_submitted_application_waits_for_review(client, student):
    application = complete_application(student)
    services.application_submit(actor=student, application=application)
    response = dashboard(client, student)
    assert "review" in response.context["step"].text
    assert [a.state for a in response.context["applications"]] == [ApplicationState.SUBMITTED]


def test_changes_asked_for_by_the_office_are_announced(client, student, dri):
    from apps.reviews.services.decisions import application_request_changes

    application = complete_application(student)
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    application_request_changes(actor=dri, application=application, message="Add your CV.")
    step = dashboard(client, student).context["step"]
    assert "asks for changes" in step.text
    assert step.url == reverse("applications:application_detail", args=[application.pk])


@pytest.mark.parametrize(
    ("state", "says"),
    [
        (ApplicationState.NOMINATED, "You are nominated to {destination}"),
        (
            ApplicationState.HOST_REFUSED,
            "{destination} did not accept you. The international relations office may nominate "
            "you to another of your choices",
        ),
    ],
)
def test_the_nominated_destination_is_named(client, student, state, says):
    application = complete_application(student)
    choice = application.choices.get(rank=1)
    ApplicationFactory._meta.model.objects.filter(pk=application.pk).update(
        state=state, nominated_choice=choice
    )
    step = dashboard(client, student).context["step"]
    assert says.format(destination=choice.destination) in step.text


@pytest.mark.parametrize("why", ["past year", "no choice left"])
def test_a_host_refusal_that_nothing_can_follow_asks_to_remove_the_stay_or_apply_again(
    client, student, why
):
    """Before the open call's advice: the stay refused still counts toward the time abroad."""
    today = timezone.localdate()
    past = CallFactory(academic_year=today.year - 3) if why == "past year" else None
    application = complete_application(student, **({"call": past} if past else {}))
    choice = application.choices.get(rank=1)
    ApplicationFactory._meta.model.objects.filter(pk=application.pk).update(
        state=ApplicationState.HOST_REFUSED, nominated_choice=choice
    )
    if why == "no choice left":
        application.choices.update(host_refused_at=timezone.now())
    open_call = CallFactory(opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=9))
    step = dashboard(client, student).context["step"]
    assert "did not accept you" not in step.text
    # The host it was nominated to (and refused at), which a nomination moves the stay to.
    assert f"for the stay at {choice.destination} is refused by the host" in step.text
    # Refused by the host, the application is still one to withdraw before the stay goes.
    assert "If you will not go, withdraw the application, then remove the stay" in step.text
    assert open_call.pk


def test_upcoming_calls_are_listed_with_their_dates(client, student):
    today = timezone.localdate()
    CallFactory(name="Past", opens_on=today - timedelta(days=60), closes_on=today - timedelta(1))
    upcoming = CallFactory(
        name="Next year", opens_on=today + timedelta(days=10), closes_on=today + timedelta(days=40)
    )
    response = dashboard(client, student)
    assert [row.call for row in response.context["calls"]] == [upcoming]
    assert not response.context["calls"][0].is_open


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi", "admin_user"])
def test_dashboard_is_for_students(client, request, persona):
    response = login(client, request.getfixturevalue(persona)).get(dashboard_url())
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(dashboard_url()).url.startswith(reverse("login"))


def world_of(student, activity_count: int) -> None:
    """`activity_count` activities and three applications, one of them an open draft."""
    ActivityFactory.create_batch(activity_count, plan=plan_for(student))
    draft_with_choice(student)
    for state in (ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN):
        ApplicationFactory(student=student, call=CallFactory(), state=state)


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(dashboard_url()).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_dashboard_query_count_does_not_grow_with_rows(
    client, student, other_student, django_assert_max_num_queries
):
    world_of(student, 2)
    few = dashboard_queries(login(client, student))
    world_of(other_student, 20)
    login(client, other_student)
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        many = dashboard_queries(client)
    assert many == few
