"""Apply to a call while the plan has no study stay in the call's academic year: the draft
would have no destination to choose. No application is written; the student is told why, with
a link to their plan. An empty draft started before stays theirs, to open or withdraw."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
# The session, the user, the applications, the plan's stays, the calls, the unread notices.
CALLS_PAGE_QUERIES = 6


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


def calls_page(client) -> str:
    return client.get(reverse("applications:application_list")).content.decode()


def test_the_calls_say_why_instead_of_apply_when_the_plan_has_no_stay_for_them(
    client, student, call
):
    """The list offers Apply only where it starts an application: for the call of a year with
    no study stay, the reason Apply would give, and the plan, instead."""
    other_year = CallFactory(name="Exchanges 2028", academic_year=2028)
    semester_for(student, start=free_start_in(student, 2028))
    page = calls_page(login(client, student))

    assert REASON in page
    assert page.count(f'href="{reverse("applications:plan")}">Open my plan</a>') == 1
    assert f'action="{start_url(call)}"' not in page
    assert f'action="{start_url(other_year)}"' in page


def test_a_call_not_open_yet_says_now_that_the_plan_has_no_stay_for_it(client, student):
    """Said while there is time to add the stay, not only once the call is open."""
    soon = {
        "opens_on": date.today() + timedelta(days=5),
        "closes_on": date.today() + timedelta(days=40),
    }
    without = CallFactory(name="Second round", academic_year=2028, **soon)
    with_stay = CallFactory(name="Third round", academic_year=2029, **soon)
    semester_for(student, start=free_start_in(student, 2029))
    page = calls_page(login(client, student))

    note = "Your plan has no study stay in 2028–2029 yet: add one before the call opens."
    assert page.count(note) == 1
    assert "2029–2030 yet" not in page
    assert f'action="{start_url(without)}"' not in page
    assert f'action="{start_url(with_stay)}"' not in page  # not open: nobody applies yet


def test_a_call_applied_to_is_opened_whatever_the_plan(client, student, call):
    """An empty draft started before Apply refused it is opened, as Apply would open it."""
    services.plan_for_student(student)
    empty = Application.objects.create(student=student, call=call)
    page = calls_page(login(client, student))
    assert REASON not in page
    assert reverse("applications:application_detail", args=[empty.pk]) in page


def test_the_dashboard_says_it_too_and_does_not_invite_to_apply(client, student, call):
    semester_for(student, start=free_start_in(student, 2028))
    response = login(client, student).get(reverse("applications:dashboard"))
    page = response.content.decode()
    assert REASON in page
    assert f'action="{start_url(call)}"' not in page
    assert "is open: apply" not in response.context["step"].text


def test_the_calls_cost_the_same_for_one_call_as_for_eight(
    client, student, call, django_assert_num_queries
):
    """Whether each call has a stay is read from one query of the plan, not one per call."""
    semester_for(student, start=free_start_in(student, 2027))
    login(client, student)
    with CaptureQueriesContext(connection) as one_call:
        assert REASON not in calls_page(client)
    for year in range(2027, 2034):
        CallFactory(academic_year=year)
    assert len(one_call) == CALLS_PAGE_QUERIES
    with django_assert_num_queries(CALLS_PAGE_QUERIES):
        page = calls_page(client)
    assert page.count("the academic year of this call: add one to your plan") == 6  # 2028-2033
