"""The cron commands, for a machine without Celery beat: each runs what beat would run, says
in one line what it did, and on error says so in one line and exits non-zero."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command, load_command_class
from django.db import DatabaseError, connections
from django.utils import timezone, translation

from apps.applications.models import Application
from apps.notifications import delivery, reminders
from apps.notifications.events import CALL_CLOSING
from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.outbox import Recipient, queue
from tests.factories import CallFactory


def run(name: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(name, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_send_deadline_reminders_writes_the_due_reminders_once(student):
    call = CallFactory(closes_on=timezone.localdate() + timedelta(days=1))
    Application.objects.create(student=student, call=call)
    assert run("send_deadline_reminders") == "1 new deadline reminder queued for delivery.\n"
    assert run("send_deadline_reminders") == "0 new deadline reminders queued for delivery.\n"
    assert list(Notification.objects.values_list("email", flat=True)) == [student.email]


@pytest.mark.django_db
def test_send_pending_notifications_sends_new_rows_and_due_retries(student, mailoutbox):
    call = CallFactory()
    ids = [
        queue(
            CALL_CLOSING,
            key=f"pending-{number}",
            recipients=[Recipient.of(student)],
            context={"call": call.pk, "days": 7},
            link="/",
        )[0]
        for number in range(2)
    ]
    Notification.objects.filter(pk=ids[0]).update(
        attempts=1,
        last_error="SMTPServerDisconnected",
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )
    assert run("send_pending_notifications") == (
        "2 pending notifications handed over for delivery.\n"
    )
    assert len(mailoutbox) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert run("send_pending_notifications") == (
        "0 pending notifications handed over for delivery.\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "module", "function"),
    [
        ("send_deadline_reminders", reminders, "remind_closing_calls"),
        ("send_pending_notifications", delivery, "relay_pending"),
    ],
)
def test_a_failure_is_one_line_and_a_non_zero_exit(monkeypatch, capsys, name, module, function):
    def broken(*args, **kwargs):
        raise DatabaseError("no such table:\nnotifications_notification")

    monkeypatch.setattr(module, function, broken, raising=False)
    # run_from_argv closes the connections when it ends, which the test's transaction needs.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    command = load_command_class("apps.notifications", name)
    with translation.override("en"), pytest.raises(SystemExit) as exit_status:
        command.run_from_argv(["manage.py", name])
    assert exit_status.value.code != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "DatabaseError: no such table: notifications_notification" in captured.err


@pytest.mark.django_db
def test_the_relay_command_fails_when_the_broker_takes_nothing(student, monkeypatch):
    """It printed "0 pending notifications handed over" and exited 0 with rows waiting."""
    from django.core.management.base import CommandError

    queue(
        CALL_CLOSING,
        key="waiting",
        recipients=[Recipient.of(student)],
        context={"call": CallFactory().pk, "days": 7},
        link="/",
    )
    monkeypatch.setattr(delivery, "dispatch", lambda ids: 0)
    with pytest.raises(CommandError, match="not handed over"):
        call_command("send_pending_notifications", stdout=StringIO())
