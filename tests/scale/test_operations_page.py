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


def test_failed_e_mails_are_shown_and_sent_again(client, dri, student, settings, mailoutbox):
    """Only the IT admin could see that a student was never told; the office now sees the
    failures and sends them again once the mail server is back."""
    from apps.notifications.events import CALL_CLOSING
    from apps.notifications.models import DeliveryStatus, Notification
    from apps.notifications.outbox import Recipient, queue
    from tests.applications.factories import messages_of
    from tests.factories import CallFactory

    (pk,) = queue(
        CALL_CLOSING,
        key="lost",
        recipients=[Recipient.of(student)],
        context={"call": CallFactory().pk, "days": 7},
        link="/",
    )
    Notification.objects.filter(pk=pk).update(
        status=DeliveryStatus.FAILED, attempts=5, last_error="SMTPConnectError: refused"
    )
    login(client, dri)
    page = client.get(OPERATIONS)
    assert (page.context["outbox"].failed, page.context["outbox"].pending) == (1, 0)
    content = page.content.decode()
    assert student.email in content and "SMTPConnectError: refused" in content
    response = client.post(reverse("reviews:operations_send_again"))
    assert messages_of(response) == ["1 e-mail handed over again for delivery."]
    notification = Notification.objects.get(pk=pk)
    assert (notification.status, notification.attempts) in {
        (DeliveryStatus.PENDING, 0),
        (DeliveryStatus.SENT, 1),
    }


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_only_the_office_sends_e_mails_again(client, request, persona):
    response = login(client, request.getfixturevalue(persona)).post(
        reverse("reviews:operations_send_again")
    )
    assert response.status_code == 403
