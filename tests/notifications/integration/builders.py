"""What the integration tests deliver: submitted applications and their DRI recipients, or
outbox rows written directly."""

from collections import Counter

from django.db import transaction

from apps.accounts.roles import Role
from apps.applications import services
from apps.applications.models import Application
from apps.notifications.events import CALL_CLOSING
from apps.notifications.models import Notification
from tests.applications.factories import complete_application
from tests.factories import CallFactory, StudentProfileFactory, UserFactory

DRI_MAILBOX = "international.mailbox@example.org"


def dri_listening(settings) -> None:
    """The DRI mailbox and one opted-in DRI user: two e-mails per submission."""
    settings.DRI_MAILBOX = DRI_MAILBOX
    UserFactory(email="dri.watcher@example.org", role=Role.DRI, notify_new_applications=True)


def submittable_applications(count: int) -> list[Application]:
    with transaction.atomic():  # one commit instead of a dozen per application
        call = CallFactory()
        return [complete_application(StudentProfileFactory().user, call=call) for _ in range(count)]


def submit(applications: list[Application]) -> None:
    for application in applications:
        services.application_submit(actor=application.student, application=application)


def pending_notifications(count: int) -> list[int]:
    """Outbox rows written without handing them to a worker (no dispatch after commit)."""
    call = CallFactory()
    Notification.objects.bulk_create(
        Notification(
            key=f"integration:{number}",
            event=CALL_CLOSING.name,
            email=f"student{number}@example.org",
            language="en",
            context={"call": call.pk, "days": 7},
            subject=f"The call {call} closes in 7 days",
            link="/applications/",
        )
        for number in range(count)
    )
    written = Notification.objects.filter(key__startswith="integration:").order_by("pk")
    return list(written.values_list("pk", flat=True))


def once_each(notifications) -> Counter[tuple[str, str]]:
    """What the SMTP sink must have received: each row's (id, address) exactly once."""
    return Counter((str(pk), email) for pk, email in notifications.values_list("pk", "email"))
