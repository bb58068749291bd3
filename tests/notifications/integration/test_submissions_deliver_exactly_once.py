from apps.notifications.models import DeliveryStatus, Notification
from tests.services import SHARES_REDIS

from .broker import drained
from .builders import dri_listening, once_each, submit, submittable_applications
from .polling import wait_until

pytestmark = SHARES_REDIS

SUBMISSIONS = 200
EMAILS = 2 * SUBMISSIONS  # the DRI mailbox and the opted-in DRI user


def test_two_hundred_submissions_send_four_hundred_emails_once(
    settings, smtp_sink, real_broker, start_workers
):
    dri_listening(settings)
    applications = submittable_applications(SUBMISSIONS)
    start_workers(1, concurrency=2)  # no beat: every e-mail goes by the after-commit dispatch

    submit(applications)

    assert Notification.objects.count() == EMAILS
    wait_until(
        lambda: (
            len(smtp_sink.accepted) >= EMAILS
            and not Notification.objects.exclude(status=DeliveryStatus.SENT).exists()
        ),
        timeout=90,
        what=f"all {EMAILS} e-mails delivered and marked sent",
    )
    wait_until(lambda: drained(real_broker), timeout=30, what="every queued task done")
    assert smtp_sink.deliveries() == once_each(Notification.objects.all())
    assert set(Notification.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
