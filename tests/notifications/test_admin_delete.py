"""The notifications admin refuses to delete a row not delivered yet (pending, or being sent):
its message would be lost without a trace. Rows sent, or failed, are deleted as before, one by
one or with the bulk action (after Django's confirmation)."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from apps.notifications.admin import NotificationAdmin
from apps.notifications.delivery import requeue
from apps.notifications.models import DeliveryStatus, Notification
from tests.applications.factories import login, messages_of

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:notifications_notification_changelist"


def row(status: str) -> Notification:
    return Notification.objects.create(
        key=f"test:{status}",
        event="application_decision",
        email=f"{status}@example.org",
        language="en",
        status=status,
    )


def remaining() -> list[str]:
    return sorted(Notification.objects.values_list("status", flat=True))


@pytest.mark.parametrize("status", [DeliveryStatus.PENDING, DeliveryStatus.SENDING])
def test_a_row_not_delivered_yet_cannot_be_deleted(client, admin_user, status):
    notification = row(status)
    login(client, admin_user)
    change = client.get(reverse("admin:notifications_notification_change", args=[notification.pk]))
    assert change.status_code == 200
    delete_url = reverse("admin:notifications_notification_delete", args=[notification.pk])
    assert delete_url not in change.content.decode()
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert remaining() == [status]


@pytest.mark.parametrize("status", [DeliveryStatus.SENT, DeliveryStatus.FAILED])
def test_a_row_sent_or_failed_is_deleted_after_confirmation(client, admin_user, status):
    notification = row(status)
    login(client, admin_user)
    delete_url = reverse("admin:notifications_notification_delete", args=[notification.pk])
    assert (
        delete_url
        in client.get(
            reverse("admin:notifications_notification_change", args=[notification.pk])
        ).content.decode()
    )
    assert client.get(delete_url).status_code == 200
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert remaining() == []


@pytest.mark.parametrize("confirmed", [False, True])
def test_the_bulk_deletion_is_refused_whole_when_a_selected_row_is_not_delivered(
    client, admin_user, confirmed
):
    rows = [row(status) for status in DeliveryStatus.values]
    login(client, admin_user)
    data = {"action": "delete_selected", "_selected_action": [r.pk for r in rows]}
    if confirmed:  # the confirmation page's own post, forged or stale
        data["post"] = "yes"
    response = client.post(reverse(CHANGELIST), data)
    assert response.status_code == 302
    assert messages_of(response) == [
        "2 selected notifications are not delivered yet: deleting them would lose their "
        "messages. Nothing was deleted."
    ]
    assert remaining() == sorted(DeliveryStatus.values)


def test_the_bulk_deletion_of_rows_sent_or_failed_confirms_then_deletes(client, admin_user):
    rows = [row(DeliveryStatus.SENT), row(DeliveryStatus.FAILED)]
    kept = row(DeliveryStatus.PENDING)
    login(client, admin_user)
    data = {"action": "delete_selected", "_selected_action": [r.pk for r in rows]}
    confirmation = client.post(reverse(CHANGELIST), data)
    assert confirmation.status_code == 200
    assert "<title>Delete multiple objects" in confirmation.content.decode()
    assert Notification.objects.count() == 3
    done = client.post(reverse(CHANGELIST), {**data, "post": "yes"})
    assert done.status_code == 302
    assert list(Notification.objects.all()) == [kept]


def test_the_deletion_keeps_a_row_sent_again_since_it_was_confirmed(rf, admin_user):
    """Failed when the deletion was confirmed, queued again from the admin before it ran."""
    failed, sent = row(DeliveryStatus.FAILED), row(DeliveryStatus.SENT)
    selected = Notification.objects.filter(pk__in=[failed.pk, sent.pk])
    requeue(Notification.objects.filter(pk=failed.pk))
    request = rf.post("/")
    request.user = admin_user
    NotificationAdmin(Notification, site).delete_queryset(request, selected)
    assert list(Notification.objects.all()) == [failed]
