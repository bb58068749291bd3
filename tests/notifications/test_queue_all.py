"""Many events queued at once (outbox.queue_all, a seat allocation's nominations): the rows
`queue` writes for each, one address once per key, handed to the workers once, after commit."""

import pytest

from apps.notifications import outbox
from apps.notifications.events import CALL_CLOSING
from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.outbox import Announcement, Recipient, queue, queue_all
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db


def announcement(call, key: str, *recipients) -> Announcement:
    return Announcement(
        CALL_CLOSING,
        key=key,
        recipients=[Recipient.of(user) for user in recipients],
        context={"call": call.pk, "days": 3},
        link="/applications/",
    )


def rows() -> list[tuple]:
    return sorted(
        Notification.objects.values_list("key", "email", "subject", "subjects", "status", "link")
    )


def test_the_rows_are_those_queue_writes_for_each(student, advisor):
    call = CallFactory()
    queue_all(
        [
            announcement(call, "a", student, student, advisor),
            announcement(call, "b", student),
            announcement(call, "a", advisor),  # written already under this key
        ]
    )
    together = rows()
    Notification.objects.all().delete()
    for key, users in (("a", [student, advisor]), ("b", [student])):
        queue(
            CALL_CLOSING,
            key=key,
            recipients=[Recipient.of(user) for user in users],
            context={"call": call.pk, "days": 3},
            link="/applications/",
        )
    assert len(together) == 3
    assert together == rows()


def test_a_deactivated_user_gets_nothing(student, advisor):
    advisor.is_active = False
    advisor.save()
    ids = queue_all([announcement(CallFactory(), "a", student, advisor)])
    assert list(Notification.objects.filter(pk__in=ids).values_list("email", flat=True)) == [
        student.email
    ]


def test_more_rows_than_a_statement_takes_are_all_written_and_handed_over_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    call = CallFactory()
    students = [UserFactory() for _n in range(5)]
    monkeypatch.setattr(outbox, "rows_per_insert", lambda model: 2)
    monkeypatch.setattr(outbox, "MAX_PARAMETERS", 2)
    handed = []
    monkeypatch.setattr(outbox, "dispatch", handed.append)
    with django_capture_on_commit_callbacks(execute=True):
        ids = queue_all(
            [announcement(call, f"k{n}", student) for n, student in enumerate(students)]
        )
        assert handed == []
    assert len(ids) == 5
    assert handed == [ids]
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}


def test_nothing_to_announce_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert queue_all([]) == []
