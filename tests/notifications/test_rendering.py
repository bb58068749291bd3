"""What an e-mail says: numbers agree with their nouns, the HTML names the reader's language,
and a name with a line break cannot break the subject header."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.applications.models import Application
from apps.notifications import delivery, events
from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.reminders import remind_closing_calls
from apps.notifications.rendering import render_message, subject_in
from tests.applications.factories import CoursePlanFactory
from tests.applications.plan_helpers import add_activity
from tests.factories import CallFactory


def reminder_for(student, days: int) -> Notification:
    today = timezone.localdate()
    call = CallFactory(closes_on=today + timedelta(days=days))
    Application.objects.create(student=student, call=call)
    remind_closing_calls(today)
    return Notification.objects.get()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "days", "subject", "body"),
    [
        ("en", 1, "closes in 1 day", "the call closes in 1 day."),
        ("en", 7, "closes in 7 days", "the call closes in 7 days."),
        ("fr", 1, "ferme dans 1 jour", "l'appel ferme dans 1 jour."),
        ("fr", 7, "ferme dans 7 jours", "l'appel ferme dans 7 jours."),
    ],
)
def test_the_reminder_says_day_or_days_as_the_number_wants(
    student, mailoutbox, language, days, subject, body
):
    student.language = language
    student.save()
    notification = reminder_for(student, days)
    assert notification.subject.endswith(subject)
    assert delivery.deliver(notification.pk) == "sent"
    message = mailoutbox[0]
    assert message.subject.endswith(subject)
    assert body in message.body
    assert body in message.alternatives[0][0]
    # Each sentence once, none glued to the next (the French plural once ran two together).
    assert not re.search(r"[a-zé]\.[A-ZÉ]", message.body)
    assert message.body.count(body) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_html_email_declares_the_readers_language(student, language):
    student.language = language
    student.save()
    notification = reminder_for(student, 7)
    assert f'<html lang="{language}">' in render_message(notification).html
    other = "fr" if language == "en" else "en"
    assert f'<html lang="{other}">' in render_message(notification, other).html


@pytest.mark.django_db
@pytest.mark.parametrize("host_name", ["Uni\nBerlin", "Uni\r\n\tBerlin", "Uni\u2028Berlin"])
def test_a_line_break_in_a_name_cannot_break_the_subject(student, mailoutbox, host_name):
    activity = add_activity(student, host_name=host_name)
    events.announce_course_plan_decided(CoursePlanFactory(activity=activity))
    notification = Notification.objects.get()
    assert "Uni Berlin" in notification.subject
    assert delivery.deliver(notification.pk) == "sent"
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT
    assert "Uni Berlin" in mailoutbox[0].subject


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "kind"),
    [("en", "summer stay (between 2A and 3A)"), ("fr", "séjour d'été (entre la 2A et la 3A)")],
)
def test_a_label_inside_a_subject_keeps_its_capitals_after_the_first_letter(
    student, dri, language, kind
):
    activity = add_activity(
        student,
        kind="summer_stay",
        summer_type="summer_school",
        ects=None,
        start=date(2027, 7, 1),
        end=date(2027, 8, 15),
    )
    activity.validation_requested_at = timezone.now()
    events.announce_validation_requested(activity)
    subject = Notification.objects.get(recipient=dri).subject
    assert kind in subject_in(events.VALIDATION_REQUESTED, {"activity": activity.pk}, language)
    assert "2a" not in subject


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "kind"),
    [("en", "your summer stay (between 2A and 3A)"), ("fr", "séjour d'été (entre la 2A et la 3A)")],
)
def test_a_decision_on_a_stay_names_it_inside_the_sentence_and_keeps_the_lines(
    student, dfi, language, kind
):
    from apps.reviews.services.validations import activity_validate

    activity = add_activity(
        student,
        kind="summer_stay",
        summer_type="summer_school",
        ects=None,
        start=date(2027, 7, 1),
        end=date(2027, 8, 15),
    )
    activity.validation_requested_at = timezone.now()
    activity.save()
    activity_validate(
        actor=dfi, activity=activity, approved=True, comment="Fine.\nSend the certificate."
    )
    notification = Notification.objects.get(recipient=student, event="activity_validated")
    message = render_message(notification, language)
    assert kind in message.text
    assert "Fine.<br>Send the certificate." in message.html
