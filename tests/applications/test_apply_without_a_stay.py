"""Apply to a call while the plan has no study stay in the call's academic year: the draft
would have no destination to choose. No application is written; the student is told why, with
a link to their plan. An empty draft started before stays theirs, to open or withdraw."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from apps.applications import services
from apps.applications.errors import NoStayForCall
from apps.applications.models import Activity, ActivityKind, Application, ApplicationState
from tests.applications.factories import free_start_in, login, messages_of, semester_for
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db
REASON = (
    "Your plan has no study stay in 2027–2028, the academic year of this call: add one to "
    "your plan, then apply."
)


@pytest.fixture
def call(db):
    return CallFactory(name="Exchanges", academic_year=2027)


def start_url(call) -> str:
    return reverse("applications:application_start", args=[call.pk])


def test_apply_without_a_stay_writes_nothing_and_says_why(client, student, call):
    response = login(client, student).post(start_url(call))

    assert response.url == reverse("applications:application_list")
    assert not Application.objects.exists()
    plan_link = f'<a class="alert-link" href="{reverse("applications:plan")}">Open my plan</a>'
    assert messages_of(response) == [f"{REASON} {plan_link}"]
    page = client.get(response.url).content.decode()
    assert plan_link in page  # a link, not escaped text
    assert "You have not applied yet." in page


@pytest.mark.parametrize(
    "activity",
    [
        {"start": date(2028, 9, 1), "end": date(2029, 1, 31)},  # a study stay of another year
        {  # a stay of the call's year, but no study: nothing to apply for through a call
            "kind": ActivityKind.ENGINEERING_INTERNSHIP,
            "start": date(2027, 9, 1),
            "end": date(2028, 1, 31),
            "ects": None,
        },
    ],
    ids=["another-year", "not-a-study-stay"],
)
def test_a_stay_the_call_cannot_take_does_not_count(client, student, call, activity):
    semester_for(student, **activity)
    response = login(client, student).post(start_url(call))
    assert not Application.objects.exists()
    assert messages_of(response)[0].startswith(REASON)


def test_the_service_refuses_and_writes_no_row(student, call):
    with translation.override("en"), pytest.raises(NoStayForCall) as refused:
        services.application_start(actor=student, call=call)
    assert refused.value.reasons == [REASON]
    assert not Application.objects.exists()


def test_with_a_study_stay_of_the_call_year_the_draft_is_started_as_before(client, student, call):
    semester_for(student, start=free_start_in(student, call.academic_year))
    response = login(client, student).post(start_url(call))
    application = Application.objects.get(student=student, call=call)
    assert application.state == ApplicationState.DRAFT
    assert response.url == reverse("applications:application_edit", args=[application.pk])
    assert messages_of(response) == [
        "Your application is started: choose your destinations and tell us why."
    ]


def test_an_empty_draft_from_before_is_opened_and_can_be_withdrawn(client, student, call):
    """Started before Apply refused it: Apply opens it (no second row), and the student takes
    it out of their live applications by withdrawing it."""
    services.plan_for_student(student)
    empty = Application.objects.create(student=student, call=call)
    assert not Activity.objects.filter(plan__student=student).exists()

    response = login(client, student).post(start_url(call))
    assert response.url == reverse("applications:application_detail", args=[empty.pk])
    assert Application.objects.count() == 1

    withdrawn = client.post(
        reverse("applications:application_withdraw", args=[empty.pk]), {"seen_state": "draft"}
    )
    assert messages_of(withdrawn)[-1] == "Your application is withdrawn."
    empty.refresh_from_db()
    assert empty.state == ApplicationState.WITHDRAWN

    # Withdrawn before it was submitted: starting it again gives it back, still no new row.
    again = client.post(start_url(call))
    assert again.url == reverse("applications:application_edit", args=[empty.pk])
    empty.refresh_from_db()
    assert empty.state == ApplicationState.DRAFT
    assert Application.objects.count() == 1
