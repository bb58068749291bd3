"""Who hears of an erasure request and its outcome, and what they read: the administrators of a
request, the student of a refusal (in the portal and by e-mail), and the student of an erasure
by e-mail only, at the address they had before it, sent once the erasure is committed."""

import pytest
from django.urls import reverse

from apps.applications.erasure import (
    erasure_request_carry_out,
    erasure_request_refuse,
    erasure_request_submit,
)
from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.rendering import render_message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_student(student):
    student.language = "en"
    student.first_name, student.last_name = "Jane", "Doe"
    student.save(update_fields=["language", "first_name", "last_name"])
    return student


def test_a_request_reaches_the_administrators_only(english_student, admin_user, dri, dfi):
    plain_admin = UserFactory(email="it@example.org", role="admin", language="en")
    UserFactory(email="gone.admin@example.org", role="admin", is_active=False)
    request = erasure_request_submit(actor=english_student)
    rows = Notification.objects.filter(event="erasure_requested")
    assert set(rows.values_list("email", flat=True)) == {admin_user.email, plain_admin.email}
    row = rows.get(email=plain_admin.email)
    assert row.recipient == plain_admin
    assert row.link == reverse("reviews:erasure_request", args=[request.pk])
    assert row.subject == "Jane Doe asks for their personal data to be erased"
    message = render_message(row)
    assert "Jane Doe asked on" in message.text
    assert "refuse it with a reason the student will read" in message.text
    assert "Open the request" in message.html


def test_a_refusal_tells_the_student_why_in_the_portal_and_by_e_mail(
    english_student, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    request = erasure_request_submit(actor=english_student)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request_refuse(
            actor=admin_user, request=request, reason="Your diploma is being issued."
        )
    row = Notification.objects.get(event="erasure_refused")
    assert row.recipient == english_student  # an in-portal entry too
    assert row.link == reverse("applications:privacy_export")
    assert row.status == DeliveryStatus.SENT
    [message] = mailoutbox
    assert message.to == ["student@example.org"]
    assert message.subject == "Your request to erase your personal data is refused"
    assert "Reason: Your diploma is being issued." in message.body
    assert "your data stays in the portal as it is" in message.body


def test_the_erasure_e_mail_goes_to_the_address_before_erasure_after_commit(
    english_student, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    request = erasure_request_submit(actor=english_student)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        erasure_request_carry_out(actor=admin_user, request=request)
    # Nothing goes out before the erasure is committed.
    assert mailoutbox == []
    row = Notification.objects.get(event="erasure_done")
    assert (row.recipient, row.email, row.language) == (None, "student@example.org", "en")
    for callback in callbacks:
        callback()
    [message] = mailoutbox
    assert message.to == ["student@example.org"]
    assert message.subject == "Your personal data is erased from the Mobility Portal"
    assert "your personal data is erased from the Mobility Portal" in message.body
    assert "Your account is closed: you can no longer sign in." in message.body
    assert "the states, destinations and dates of your applications and stays" in message.body
    # Neither the old name nor the anonymised address is in it.
    assert "Jane" not in message.body and "invalid.example" not in message.body
    # No way into a portal they can no longer sign in to, and no word of "your dossier".
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert "Open the portal" not in text and "your dossier" not in text
        assert "because you asked for your data to be erased" in text
    assert "<a " not in html


def test_the_erasure_e_mail_forgets_the_address_once_sent(
    english_student, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    request = erasure_request_submit(actor=english_student)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request_carry_out(actor=admin_user, request=request)
    assert len(mailoutbox) == 1
    row = Notification.objects.get(event="erasure_done")
    assert row.status == DeliveryStatus.SENT
    assert "student@example.org" not in row.email + row.key
    assert not Notification.objects.filter(email="student@example.org").exists()


def test_other_e_mails_keep_their_address_once_sent(
    english_student, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    request = erasure_request_submit(actor=english_student)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request_refuse(actor=admin_user, request=request, reason="Not now.")
    row = Notification.objects.get(event="erasure_refused")
    assert row.email == "student@example.org" and row.key.endswith(":student@example.org")


def test_an_account_anonymised_already_gets_no_e_mail(english_student, admin_user):
    """Its request still pending when the anonymise_dossiers command went by: no address is
    left to write to, and the request is closed all the same."""
    from apps.applications.privacy import anonymise_student

    request = erasure_request_submit(actor=english_student)
    anonymise_student(english_student)
    erasure_request_carry_out(actor=admin_user, request=request)
    assert not Notification.objects.filter(event="erasure_done").exists()


def test_the_erasure_e_mail_forgets_the_address_when_it_fails_for_good(
    english_student, admin_user, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    """The student's old school address often dies with their leaving: refused on every
    attempt, the row must not keep it (nor the error that quotes it, nor the log) for ever."""
    from smtplib import SMTPRecipientsRefused

    from apps.notifications import delivery

    settings.NOTIFICATION_MAX_ATTEMPTS = 1

    def refused(self, *args, **kwargs):
        raise SMTPRecipientsRefused({"student@example.org": (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refused)
    request = erasure_request_submit(actor=english_student)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request_carry_out(actor=admin_user, request=request)
    row = Notification.objects.get(event="erasure_done")
    assert row.status == DeliveryStatus.FAILED
    assert "student@example.org" not in row.email + row.key + row.last_error
    assert row.last_error.startswith("SMTPRecipientsRefused")
    assert "failed for good" in caplog.text and "student@example.org" not in caplog.text
    assert delivery.deliver(row.pk) == "skipped"


def test_the_erasure_e_mail_forgets_the_address_when_its_worker_died_on_every_attempt(
    english_student,
    other_student,
    admin_user,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """A message that stops its worker each time it is sent ends failed without a delivery
    reporting it: the relay that gives it up forgets the address too."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.notifications import delivery

    settings.NOTIFICATION_STALE_SECONDS = 600
    monkeypatch.setattr(delivery, "deliver", lambda pk: "skipped")  # the worker dies
    request = erasure_request_submit(actor=english_student)
    other_request = erasure_request_submit(actor=other_student)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request_carry_out(actor=admin_user, request=request)
        erasure_request_refuse(actor=admin_user, request=other_request, reason="Not now.")
    row = Notification.objects.get(event="erasure_done")
    request_notice = Notification.objects.get(event="erasure_refused")  # another event
    Notification.objects.filter(pk__in=[row.pk, request_notice.pk]).update(
        status=DeliveryStatus.SENDING,
        claimed_at=timezone.now() - timedelta(seconds=601),
        attempts=settings.NOTIFICATION_MAX_ATTEMPTS,
    )
    assert not {row.pk, request_notice.pk} & set(delivery.due_ids())
    row.refresh_from_db()
    request_notice.refresh_from_db()
    assert row.status == request_notice.status == DeliveryStatus.FAILED
    assert "worker stopped" in row.last_error
    assert row.email == f"forgotten-{row.pk}@invalid.example"
    assert row.key == f"erasure_done:forgotten:{row.pk}"
    assert request_notice.email == other_student.email  # nobody asked to forget it
