"""Anonymising old dossiers at scale: the students due are found in one query, however many
there are (at 10,000 students it asked each of 658 candidates whether an application of theirs
was still open: 659 queries), and their notifications are forgotten in one statement per batch
of students (it reads the whole table: 12 ms a student at 10,000 students)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.applications.models import Application, Transition
from apps.applications.privacy import anonymise_old_dossiers, students_due_for_anonymisation
from apps.notifications.models import Notification
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db


def old_dossier(state: str = "completed") -> Application:
    student = UserFactory(role="student")
    application = Application.objects.create(student=student, call=CallFactory(), state=state)
    moved = Transition.objects.create(
        application=application, actor=student, from_state="returned", to_state=state
    )
    Transition.objects.filter(pk=moved.pk).update(at=timezone.now() - timedelta(days=365 * 6))
    return application


def queries_finding_the_students_due() -> tuple[int, set]:
    with CaptureQueriesContext(connection) as queries:
        due = students_due_for_anonymisation(5)
    return len(queries), {student.pk for student in due}


def test_the_students_due_are_found_in_one_query_for_one_or_many():
    first = old_dossier()
    count, due = queries_finding_the_students_due()
    assert (count, due) == (1, {first.student_id})
    many = [old_dossier() for _n in range(4)]
    # Moved long ago too, but an application of the student is still open: not due.
    still_open = old_dossier()
    Application.objects.create(student=still_open.student, call=CallFactory(), state="submitted")
    count, due = queries_finding_the_students_due()
    assert (count, due) == (1, {first.student_id, *(a.student_id for a in many)})


def notified(application: Application) -> Notification:
    return Notification.objects.create(
        key=f"test:{application.pk}",
        event="application_submitted",
        recipient=None,
        email="box@school.example",
        language="en",
        context={"application": application.pk},
    )


def notification_statements() -> int:
    with CaptureQueriesContext(connection) as queries:
        anonymise_old_dossiers(5)
    return sum("notifications_notification" in query["sql"] for query in queries)


def test_the_notifications_of_many_students_are_forgotten_in_one_statement():
    kept = notified(old_dossier(state="submitted"))  # still open: not due
    notified(old_dossier())
    assert notification_statements() == 1
    for _n in range(3):
        notified(old_dossier())
    assert notification_statements() == 1
    assert list(Notification.objects.all()) == [kept]
