"""The progress fragment the operations page polls while a re-check runs."""

import pytest
from django.urls import reverse

from apps.applications.models import PlanRecheck, PlanRecheckStatus
from tests.applications.factories import login
from tests.scale.recheck_helpers import active_run, run_in

PROGRESS = reverse("reviews:operations_progress")

pytestmark = pytest.mark.django_db


def test_a_running_check_keeps_polling(client, dri, django_assert_max_num_queries):
    active_run(dri)
    login(client, dri).get(PROGRESS)
    # Session and user, the run, the bell's count (a context processor), the staff idle
    # timeout saving the session (3).
    with django_assert_max_num_queries(7):
        response = client.get(PROGRESS, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'hx-trigger="every 2s"' in content
    assert 'aria-valuenow="40"' in content
    assert "4 of 10 plans checked" in content
    assert "no-cache" in response["Cache-Control"]


def test_a_finished_check_stops_the_polling(client, dri):
    run_in(PlanRecheckStatus.DONE, started_by=dri)
    content = login(client, dri).get(PROGRESS).content.decode()
    assert 'hx-trigger="every 2s"' not in content
    assert 'data-status="done"' in content


def test_before_any_check(client, dri):
    assert "No re-check yet." in login(client, dri).get(PROGRESS).content.decode()


@pytest.mark.parametrize("persona", ["student", "advisor", "dfi"])
def test_others_are_refused(client, request, persona):
    assert login(client, request.getfixturevalue(persona)).get(PROGRESS).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(PROGRESS).url.startswith(reverse("login"))


def test_a_check_of_one_plan_says_plan(client, dri):
    """ "0 of 1 plans checked": the count of plans takes the singular or the plural."""
    run = active_run(dri)
    PlanRecheck.objects.filter(pk=run.pk).update(total=1, checked=0)
    content = login(client, dri).get(PROGRESS).content.decode()
    assert "0 of 1 plan checked" in content
