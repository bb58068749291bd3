import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.applications.models import Application, ApplicationState
from apps.notifications.models import DeliveryStatus, Notification
from tests.applications.factories import login, messages_of
from tests.services import SHARES_REDIS

from .broker import DEAD_BROKER_URL, drained, point_celery_at
from .builders import dri_listening, once_each, submittable_applications
from .polling import wait_until

pytestmark = SHARES_REDIS

STUDENTS = 20
AT_ONCE = 5  # students submitting at the same moment, fewer than Celery's broker pool (10)
SUBMITTED = "Your application is submitted. The international relations office will review it."
# A dead broker may cost a request Celery's broker connection timeout, and no more.
QUICK_SECONDS = django_settings.CELERY_BROKER_CONNECTION_TIMEOUT + 2.0


def submit_as_student(application: Application) -> tuple[list[str], float]:
    """One student's POST, in a thread of its own; (the messages they see, seconds taken)."""
    try:
        client = login(Client(), application.student)
        started = time.monotonic()
        response = client.post(reverse("applications:application_submit", args=[application.pk]))
        return messages_of(response), time.monotonic() - started
    finally:
        connection.close()


def warm_up(application: Application) -> None:
    """Load the application page once, so the timings below leave out the process's
    one-off start-up costs (URL resolver, templates, imports)."""
    page = reverse("applications:application_detail", args=[application.pk])
    assert login(Client(), application.student).get(page).status_code == 200


def test_students_submit_while_broker_is_down_and_mail_follows_once_it_is_back(
    settings, smtp_sink, real_broker, start_workers
):
    dri_listening(settings)
    applications = submittable_applications(STUDENTS)
    warm_up(applications[0])

    point_celery_at(DEAD_BROKER_URL)
    try:
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            outcomes = list(pool.map(submit_as_student, applications))
    finally:
        point_celery_at(real_broker)

    assert [messages for messages, _seconds in outcomes] == [[SUBMITTED]] * STUDENTS
    slowest = max(seconds for _messages, seconds in outcomes)
    assert slowest < QUICK_SECONDS
    assert set(Application.objects.values_list("state", flat=True)) == {ApplicationState.SUBMITTED}
    assert Notification.objects.filter(status=DeliveryStatus.PENDING, attempts=0).count() == (
        2 * STUDENTS
    )
    assert drained(real_broker)  # nothing reached the real broker while it was "down"

    start_workers(1, beat=True)

    wait_until(
        lambda: not Notification.objects.exclude(status=DeliveryStatus.SENT).exists(),
        timeout=30,
        what="all rows relayed and sent",
    )
    assert smtp_sink.deliveries() == once_each(Notification.objects.all())
