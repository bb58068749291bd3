from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.tasks import deliver
from tests.services import SHARES_REDIS

from .broker import drained
from .builders import once_each, pending_notifications
from .polling import wait_until

pytestmark = SHARES_REDIS

ROWS = 100


def test_each_row_queued_twice_to_two_workers_is_sent_once(smtp_sink, real_broker, start_workers):
    ids = pending_notifications(ROWS)
    workers = start_workers(2)

    for pk in ids:
        deliver.delay(pk)
        deliver.delay(pk)

    wait_until(lambda: drained(real_broker), timeout=60, what="all 200 tasks done")
    wait_until(
        lambda: sum(worker.task_outcomes("skipped") for worker in workers) == ROWS,
        timeout=10,
        what="every second task logged as skipped",
    )
    assert smtp_sink.deliveries() == once_each(Notification.objects.all())
    assert set(Notification.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
    sent_by = [worker.task_outcomes("sent") for worker in workers]
    assert sum(sent_by) == ROWS
    assert all(sent_by), f"both workers must have delivered some rows: {sent_by}"
