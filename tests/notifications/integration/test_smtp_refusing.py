from collections import defaultdict
from itertools import pairwise

from apps.notifications.delivery import requeue
from apps.notifications.models import DeliveryStatus, Notification
from tests.services import SHARES_REDIS

from .builders import dri_listening, once_each, submit, submittable_applications
from .polling import wait_until
from .smtp_sink import REFUSAL_TEXT
from .workers import NOTIFICATION_ENV

pytestmark = SHARES_REDIS

SUBMISSIONS = 3
MAX_ATTEMPTS = int(NOTIFICATION_ENV["NOTIFICATION_MAX_ATTEMPTS"])
RETRY_BASE = int(NOTIFICATION_ENV["NOTIFICATION_RETRY_BASE_SECONDS"])


def test_refused_mail_is_retried_with_backoff_then_failed_and_sent_once_requeued(
    settings, smtp_sink, real_broker, start_workers
):
    dri_listening(settings)
    applications = submittable_applications(SUBMISSIONS)
    smtp_sink.refusing = True
    start_workers(1, beat=True)
    submit(applications)
    rows = Notification.objects.all()
    attempts_seen = defaultdict(list)

    def all_failed() -> bool:
        for pk, attempts in rows.values_list("pk", "attempts"):
            if attempts_seen[pk][-1:] != [attempts]:
                attempts_seen[pk].append(attempts)
        return not rows.exclude(status=DeliveryStatus.FAILED).exists()

    wait_until(all_failed, timeout=30, what="every refused row marked failed")

    assert rows.count() == 2 * SUBMISSIONS
    for row in rows:
        assert row.attempts == MAX_ATTEMPTS
        assert row.last_error.startswith("SMTPDataError: (550,") and REFUSAL_TEXT in row.last_error
        assert attempts_seen[row.pk][-MAX_ATTEMPTS:] == list(range(1, MAX_ATTEMPTS + 1))
        tried_at = [
            refusal.at for refusal in smtp_sink.refused if refusal.notification == str(row.pk)
        ]
        assert len(tried_at) == MAX_ATTEMPTS
        waits = [later - earlier for earlier, later in pairwise(tried_at)]
        # exponential back-off: base × 2^(attempt − 1) before each retry, at least
        assert all(wait >= RETRY_BASE * 2**number for number, wait in enumerate(waits)), waits
    assert smtp_sink.accepted == []

    smtp_sink.refusing = False
    assert requeue(Notification.objects.all()) == 2 * SUBMISSIONS

    wait_until(
        lambda: not rows.exclude(status=DeliveryStatus.SENT).exists(),
        timeout=30,
        what="every requeued row sent",
    )
    assert smtp_sink.deliveries() == once_each(rows)
    assert set(rows.values_list("attempts", "last_error")) == {(1, "")}
