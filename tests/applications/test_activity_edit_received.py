"""Editing a stay that is part of an application the office has received: the edit page says
so at the top (which applications, and that the office sees the change), and the message after
saving says the office is shown it. The applications are those for which the delete page
refuses to remove the stay (services.applications_received_naming)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import Activity, Application, ApplicationState
from tests.applications.factories import (
    ApplicationFactory,
    ChoiceFactory,
    draft_with_choice,
    login,
    messages_of,
)
from tests.applications.plan_helpers import activity_post_data
from tests.factories import CallFactory
from tests.reviews.dri.builders import in_state, submitted

S = ApplicationState
pytestmark = pytest.mark.django_db
WARNING = 'id="received-applications"'
TOLD = "the international relations office is shown the change"


def edit_url(activity: Activity) -> str:
    return reverse("applications:activity_edit", args=[activity.pk])


def moved_by_a_week(activity: Activity, **changes) -> dict[str, str]:
    """The edit form's data for the stay as stored, a week later (same academic year)."""
    return activity_post_data(
        kind=activity.kind,
        start=activity.start + timedelta(days=7),
        end=activity.end + timedelta(days=7),
        host_name=activity.host_name,
        country=activity.country,
        ects=activity.ects,
        partner=activity.partner_id or "",
    ) | {name: str(value) for name, value in changes.items()}


def test_the_edit_page_of_a_stay_in_a_submitted_application_warns_at_the_top(client, student):
    application = submitted(student)
    activity = application.choices.get().activity

    response = login(client, student).get(edit_url(activity))

    content = response.content.decode()
    assert response.context["received"] == [application]
    assert WARNING in content
    assert content.index(WARNING) < content.index('id="activity-form"')
    assert "This activity is part of an application the international relations office" in content
    assert f"Application to {application.call}" in content
    assert reverse("applications:application_detail", args=[application.pk]) in content
    assert "If you change it, the office sees the change in your dossier." in content


def test_saving_it_says_the_office_is_shown_the_change(client, student):
    application = submitted(student)
    activity = application.choices.get().activity
    data = moved_by_a_week(activity)

    response = login(client, student).post(edit_url(activity), data)

    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).start == activity.start + timedelta(days=7)
    message = messages_of(response)[-1]
    assert message == (
        "Activity saved; the plan is checked below. It is part of your application to "
        f"{application.call}: the international relations office is shown the change in it."
    )


def test_several_applications_are_each_named(client, student):
    first = submitted(student)
    activity = first.choices.get().activity
    second = ApplicationFactory(
        student=student, call=CallFactory(academic_year=first.call.academic_year)
    )
    ChoiceFactory(application=second, rank=1, activity=activity)
    in_state(second, S.UNDER_REVIEW)

    page = login(client, student).get(edit_url(activity)).content.decode()
    assert "This activity is part of 2 applications the international relations office" in page
    assert f"Application to {first.call}" in page and f"Application to {second.call}" in page

    response = client.post(edit_url(activity), moved_by_a_week(activity))
    assert messages_of(response)[-1].endswith(
        f"It is part of your applications to {first.call}, {second.call}: the international "
        "relations office is shown the change in them."
    )


@pytest.mark.parametrize("state", [S.DRAFT, S.WITHDRAWN, S.REFUSED])
def test_a_draft_a_withdrawn_or_a_refused_application_does_not_warn(client, student, state):
    application = draft_with_choice(student)
    Application.objects.filter(pk=application.pk).update(state=state)
    activity = application.choices.get().activity

    page = login(client, student).get(edit_url(activity))
    assert page.context["received"] == []
    assert WARNING not in page.content.decode()

    response = client.post(edit_url(activity), moved_by_a_week(activity))
    assert response.status_code == 302
    assert messages_of(response)[-1] == "Activity saved; the plan is checked below."


def test_the_warning_names_what_the_delete_page_refuses_for(student):
    """One check for both pages: the applications that stop the removal are those the edit
    page warns about."""
    application = submitted(student)
    activity = application.choices.get().activity
    assert services.activity_removal(activity).blockers == [application]
    assert services.applications_received_naming(activity) == [application]


def test_saving_it_unchanged_does_not_say_the_office_is_shown_a_change(client, student):
    application = submitted(student)
    activity = application.choices.get().activity
    form = login(client, student).get(edit_url(activity)).context["form"]
    data = {
        name: "" if value is None else str(value)
        for name, value in ((field.html_name, field.value()) for field in form)
        if value is not False
    }

    response = client.post(edit_url(activity), data)

    assert response.status_code == 302
    assert messages_of(response)[-1] == "Activity saved; the plan is checked below."


def test_a_refused_change_shows_the_warning_with_the_form(client, student):
    application = submitted(student)
    activity = application.choices.get().activity
    data = moved_by_a_week(activity, host_name="Somewhere Else")

    response = login(client, student).post(edit_url(activity), data)

    assert response.status_code == 400
    assert WARNING in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).host_name == activity.host_name


def test_the_edit_page_reads_the_applications_in_one_query(
    client, student, django_assert_num_queries
):
    first = submitted(student)
    activity = first.choices.get().activity
    login(client, student)
    client.get(edit_url(activity))  # warm the caches of the session and the regulations
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(edit_url(activity))
    for _index in range(3):
        other = ApplicationFactory(
            student=student, call=CallFactory(academic_year=first.call.academic_year)
        )
        ChoiceFactory(application=other, rank=1, activity=activity)
        in_state(other, S.SUBMITTED)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(edit_url(activity))
    assert len(page.context["received"]) == 4
