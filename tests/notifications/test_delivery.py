from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.notifications import delivery
from apps.notifications.events import CALL_CLOSING
from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.outbox import Recipient, queue
from tests.factories import CallFactory


@pytest.fixture
def pending(db, student):
    call = CallFactory()
    ids = queue(
        CALL_CLOSING,
        key="test",
        recipients=[Recipient.of(student)],
        context={"call": call.pk, "days": 7},
        link="/applications/",
    )
    return Notification.objects.get(pk=ids[0])


class SmtpRefuses(Exception):
    pass


def test_queue_writes_one_row_per_address_once(db, student, advisor):
    call = CallFactory()
    recipients = [Recipient.of(student), Recipient.of(student), Recipient.of(advisor)]
    context = {"call": call.pk, "days": 1}
    first = queue(CALL_CLOSING, key="k", recipients=recipients, context=context, link="/")
    again = queue(CALL_CLOSING, key="k", recipients=recipients, context=context, link="/")
    assert len(first) == 2
    assert sorted(again) == sorted(first)
    assert Notification.objects.count() == 2


def test_delivery_sends_once_in_the_recipients_language(pending, student, mailoutbox):
    student.language = "en"
    student.save()
    pending.language = "en"
    pending.save()
    assert delivery.deliver(pending.pk) == "sent"
    assert delivery.deliver(pending.pk) == "skipped"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [student.email]
    assert "closes in 7 days" in message.subject
    assert "http://" in message.body and "/applications/" in message.body
    assert message.alternatives[0][1] == "text/html"
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.SENT and pending.attempts == 1


def test_french_recipient_gets_french(pending, mailoutbox):
    delivery.deliver(pending.pk)
    assert "ferme dans 7 jours" in mailoutbox[0].subject


def test_failure_retries_with_backoff_then_fails(pending, settings, monkeypatch):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60

    def refuse(self, fail_silently=False):
        raise SmtpRefuses("550 mailbox unavailable")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse)
    before = timezone.now()
    assert delivery.deliver(pending.pk) == "retry"
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.PENDING
    assert pending.next_attempt_at >= before + timedelta(seconds=60)
    assert "550" in pending.last_error

    assert delivery.deliver(pending.pk) == "skipped"  # not due yet
    for expected_wait in (120,):
        Notification.objects.filter(pk=pending.pk).update(next_attempt_at=timezone.now())
        assert delivery.deliver(pending.pk) == "retry"
        pending.refresh_from_db()
        assert pending.next_attempt_at >= timezone.now() + timedelta(seconds=expected_wait - 5)
    Notification.objects.filter(pk=pending.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver(pending.pk) == "failed"
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.FAILED
    assert pending.attempts == 3


def test_requeue_gives_failed_rows_new_attempts(pending, mailoutbox):
    Notification.objects.filter(pk=pending.pk).update(status=DeliveryStatus.FAILED, attempts=5)
    assert delivery.requeue(Notification.objects.all()) == 1
    assert delivery.deliver(pending.pk) == "sent"
    assert len(mailoutbox) == 1


def test_relay_returns_due_rows_and_reclaims_rows_of_dead_workers(pending, settings):
    settings.NOTIFICATION_STALE_SECONDS = 600
    assert delivery.due_ids() == [pending.pk]
    Notification.objects.filter(pk=pending.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - timedelta(seconds=30)
    )
    assert delivery.due_ids() == []
    Notification.objects.filter(pk=pending.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=601)
    )
    assert delivery.due_ids() == [pending.pk]


def test_a_row_whose_worker_died_on_every_attempt_fails_for_good(pending, settings):
    settings.NOTIFICATION_STALE_SECONDS = 600
    settings.NOTIFICATION_MAX_ATTEMPTS = 5
    Notification.objects.filter(pk=pending.pk).update(
        status=DeliveryStatus.SENDING,
        claimed_at=timezone.now() - timedelta(seconds=601),
        attempts=5,
    )
    assert delivery.due_ids() == []
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.FAILED
    assert "worker stopped" in pending.last_error


def test_the_relay_stops_at_the_first_page_the_broker_does_not_take(monkeypatch):
    pages = []
    monkeypatch.setattr(delivery, "due_ids", lambda limit: list(range(limit)))
    monkeypatch.setattr(delivery, "dispatch", lambda ids: pages.append(ids) or 0)
    with pytest.raises(delivery.RelayIncomplete, match="500 due notification"):
        delivery.relay_pending()  # it must not look done: cron mails the failure
    assert len(pages) == 1


def test_a_recipient_deactivated_after_the_row_was_written_gets_nothing(pending, mailoutbox):
    assert pending.recipient is not None
    type(pending.recipient).objects.filter(pk=pending.recipient_id).update(is_active=False)
    assert delivery.deliver(pending.pk) == "failed"
    assert mailoutbox == []
    pending.refresh_from_db()
    assert pending.status == DeliveryStatus.FAILED
    assert pending.last_error == "The recipient's account is deactivated."


def test_a_claimed_row_cannot_be_claimed_again(pending):
    assert delivery.claim(pending.pk) is not None
    assert delivery.claim(pending.pk) is None


def test_rows_handed_to_the_workers_are_not_relayed_again_within_the_lease(
    pending, settings, monkeypatch
):
    from apps.notifications import tasks
    from apps.notifications.outbox import dispatch

    settings.NOTIFICATION_QUEUE_LEASE_SECONDS = 120
    sent = []
    monkeypatch.setattr(tasks.deliver, "delay", sent.append)
    assert dispatch([pending.pk]) == 1
    assert sent == [pending.pk]
    assert delivery.due_ids() == []
    Notification.objects.filter(pk=pending.pk).update(
        queued_at=timezone.now() - timedelta(seconds=121)
    )
    assert delivery.due_ids() == [pending.pk]


def test_a_claim_clears_the_queue_mark(pending):
    Notification.objects.filter(pk=pending.pk).update(queued_at=timezone.now())
    claimed = delivery.claim(pending.pk)
    assert claimed.queued_at is None


def test_relay_pages_through_a_backlog(db, student, settings, monkeypatch):
    from apps.notifications import tasks

    call = CallFactory()
    for number in range(7):
        queue(
            CALL_CLOSING,
            key=f"backlog-{number}",
            recipients=[Recipient.of(student)],
            context={"call": call.pk, "days": 7},
            link="/",
        )
    handed = []
    monkeypatch.setattr(delivery, "RELAY_PAGE", 3)
    monkeypatch.setattr(tasks.deliver, "delay", handed.append)
    assert tasks.relay_pending() == 7
    assert sorted(handed) == sorted(Notification.objects.values_list("pk", flat=True))
    assert tasks.relay_pending() == 0


def test_an_attempt_failed_in_this_process_waits_for_its_back_off_not_the_lease(
    pending, settings, monkeypatch
):
    """Without a broker the worker is this process: dispatch marked the row queued after the
    failed attempt, so its first retry waited for the lease (12 minutes) instead of a minute."""
    from apps.notifications import tasks
    from apps.notifications.outbox import dispatch

    settings.NOTIFICATION_QUEUE_LEASE_SECONDS = 3600
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60

    def send_now_and_fail(pk):
        notification = delivery.claim(pk)
        delivery.record_failure(notification, SmtpRefuses("connection refused"))

    monkeypatch.setattr(tasks.deliver, "delay", send_now_and_fail)
    assert dispatch([pending.pk]) == 1
    pending.refresh_from_db()
    assert (pending.status, pending.queued_at) == (DeliveryStatus.PENDING, None)
    Notification.objects.filter(pk=pending.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)  # the back-off is over
    )
    assert delivery.due_ids() == [pending.pk]


def test_rows_the_broker_did_not_take_are_left_for_the_relay(db, student, monkeypatch):
    from apps.notifications import tasks
    from apps.notifications.outbox import dispatch

    call = CallFactory()
    ids = [
        queue(
            CALL_CLOSING,
            key=f"k{n}",
            recipients=[Recipient.of(student)],
            context={"call": call.pk, "days": 7},
            link="/",
        )[0]
        for n in range(3)
    ]
    taken = []

    def broker_takes_one(pk):
        if taken:
            raise ConnectionError("broker away")
        taken.append(pk)

    monkeypatch.setattr(tasks.deliver, "delay", broker_takes_one)
    Notification.objects.update(queued_at=None)
    assert dispatch(ids) == 1
    marked = dict(Notification.objects.values_list("pk", "queued_at"))
    assert marked[ids[0]] is not None
    assert marked[ids[1]] is None and marked[ids[2]] is None


def test_a_refused_hand_over_leaves_a_row_another_one_holds(pending, settings, monkeypatch):
    """The row already waits in the broker under another hand-over's lease: a later failed
    hand-over must not make it due again."""
    from apps.notifications import tasks
    from apps.notifications.outbox import dispatch

    settings.NOTIFICATION_QUEUE_LEASE_SECONDS = 3600
    monkeypatch.setattr(tasks.deliver, "delay", lambda pk: None)
    assert dispatch([pending.pk]) == 1

    def broker_away(pk):
        raise ConnectionError("broker away")

    monkeypatch.setattr(tasks.deliver, "delay", broker_away)
    assert dispatch([pending.pk]) == 0
    assert pending.pk not in delivery.due_ids()


def test_the_subjects_in_every_language_load_their_objects_once(
    db, student, django_assert_num_queries
):
    from apps.notifications.rendering import subjects_in_every_language

    call = CallFactory()
    with django_assert_num_queries(1):
        subjects = subjects_in_every_language(CALL_CLOSING, {"call": call.pk, "days": 7})
    assert set(subjects) == {"fr", "en"}
