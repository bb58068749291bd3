"""The staff operations page: the plans' verdicts, the latest re-check and the recent ones."""

import pytest
from django.urls import reverse

from apps.applications.models import PlanRecheckStatus
from tests.applications.factories import login
from tests.scale.recheck_helpers import active_run, run_in, stale_verdicts

OPERATIONS = reverse("reviews:operations")

pytestmark = pytest.mark.django_db


def test_dri_sees_the_verdicts_and_the_runs(client, dri, student, other_student):
    stale_verdicts(student, other_student)
    run_in(PlanRecheckStatus.DONE, started_by=dri)
    response = login(client, dri).get(OPERATIONS)
    assert response.status_code == 200
    verdicts = response.context["verdicts"]
    assert (verdicts.total, verdicts.never_checked) == (2, 2)
    assert len(response.context["runs"]) == 1
    content = response.content.decode()
    assert reverse("reviews:operations_recheck") in content
    assert 'hx-trigger="every 2s"' not in content


def test_an_active_run_is_polled_and_cannot_be_started_again(client, dri):
    active_run(dri)
    content = login(client, dri).get(OPERATIONS).content.decode()
    assert 'hx-trigger="every 2s"' in content
    assert reverse("reviews:operations_progress") in content
    assert 'type="submit" disabled' in content


def test_admin_sees_it(client, admin_user):
    assert login(client, admin_user).get(OPERATIONS).status_code == 200


@pytest.mark.parametrize("persona", ["student", "advisor", "dfi"])
def test_others_are_refused(client, request, persona):
    assert login(client, request.getfixturevalue(persona)).get(OPERATIONS).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(OPERATIONS).url.startswith(reverse("login"))
