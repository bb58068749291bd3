"""Starting the re-check of every plan from the operations page (a POST)."""

import pytest
from django.urls import reverse

from apps.applications.models import MobilityPlan, PlanRecheck, PlanRecheckStatus
from tests.applications.factories import login, messages_of
from tests.scale.recheck_helpers import active_run, stale_verdicts

START = reverse("reviews:operations_recheck")

pytestmark = pytest.mark.django_db


def test_dri_starts_it_and_every_verdict_is_renewed(
    client, dri, student, other_student, django_capture_on_commit_callbacks
):
    stale_verdicts(student, other_student)
    login(client, dri)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START)
    assert response.url == reverse("reviews:operations")
    assert messages_of(response) == ["Every plan is being checked again; progress is shown below."]
    run = PlanRecheck.objects.get()
    assert (run.status, run.checked, run.with_errors) == (PlanRecheckStatus.DONE, 2, 2)
    assert not MobilityPlan.objects.filter(compliant=True).exists()


def test_refused_while_one_runs(client, dri):
    active_run(dri)
    response = login(client, dri).post(START)
    assert response.status_code == 302
    assert messages_of(response) == ["A re-check of every plan is already running: 4 of 10 done."]
    assert PlanRecheck.objects.count() == 1


def test_a_get_changes_nothing(client, dri):
    assert login(client, dri).get(START).status_code == 405
    assert not PlanRecheck.objects.exists()


@pytest.mark.parametrize("persona", ["student", "advisor", "dfi"])
def test_others_are_refused(client, request, persona):
    assert login(client, request.getfixturevalue(persona)).post(START).status_code == 403
    assert not PlanRecheck.objects.exists()


def test_anonymous_is_sent_to_login(client):
    assert client.post(START).url.startswith(reverse("login"))
    assert not PlanRecheck.objects.exists()


def test_a_broker_that_cannot_take_the_run_fails_it_and_says_so(
    client, dri, monkeypatch, django_capture_on_commit_callbacks
):
    """It was a 500, and a run queued for ever that kept the button disabled."""
    from kombu.exceptions import OperationalError

    from apps.applications import tasks

    def refuse(*_args, **_kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.recheck_all_plans, "delay", refuse)
    login(client, dri)
    # The callbacks run inside the request, as when no test transaction wraps it.
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda callback, using=None, robust=False: callback()
    )
    response = client.post(START)
    assert response.status_code == 302
    assert messages_of(response) == [
        "The background workers could not be reached: the re-check did not start. Try again "
        "later, or ask IT to look at the task queue."
    ]
    run = PlanRecheck.objects.get()
    assert run.status == PlanRecheckStatus.FAILED
    page = client.get(reverse("reviews:operations")).content.decode()
    assert 'type="submit" disabled' not in page


def test_a_stalled_run_is_said_to_be_stalled_and_another_may_start(client, dri):
    from datetime import timedelta

    from tests.scale.recheck_helpers import run_in

    run_in(PlanRecheckStatus.RUNNING, started_by=dri, idle=timedelta(hours=3))
    login(client, dri)
    page = client.get(reverse("reviews:operations")).content.decode()
    assert "No progress since" in page
    assert 'hx-trigger="every 2s"' not in page
    assert 'type="submit" disabled' not in page
    client.post(START)
    assert PlanRecheck.objects.count() == 2
