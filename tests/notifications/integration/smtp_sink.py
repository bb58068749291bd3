"""An SMTP server on loopback that keeps what it receives, or refuses it with 550."""

import email
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from aiosmtpd.controller import Controller

NOTIFICATION_HEADER = "X-Mobility-Notification"
REFUSAL_TEXT = "5.2.1 Mailbox unavailable (test sink refusing)"


@dataclass(frozen=True)
class Received:
    notification: str  # the X-Mobility-Notification header: the outbox row's id
    recipients: tuple[str, ...]
    at: float  # time.monotonic() on arrival


class SmtpSink:
    """aiosmtpd handler: every message lands in `accepted`, or in `refused` while `refusing`."""

    def __init__(self) -> None:
        self.port = 0
        self.refusing = False
        self._accepted: list[Received] = []
        self._refused: list[Received] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        received = Received(
            notification=message[NOTIFICATION_HEADER] or "",
            recipients=tuple(envelope.rcpt_tos),
            at=time.monotonic(),
        )
        with self._lock:
            refusing = self.refusing
            (self._refused if refusing else self._accepted).append(received)
        return f"550 {REFUSAL_TEXT}" if refusing else "250 Message accepted for delivery"

    @property
    def accepted(self) -> list[Received]:
        with self._lock:
            return list(self._accepted)

    @property
    def refused(self) -> list[Received]:
        with self._lock:
            return list(self._refused)

    def deliveries(self) -> Counter[tuple[str, str]]:
        """How many times each (notification id, recipient address) pair arrived."""
        return Counter(
            (received.notification, recipient)
            for received in self.accepted
            for recipient in received.recipients
        )

    @property
    def email_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
