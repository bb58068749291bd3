"""The office hears that a dossier it sent back for changes is submitted again, and what the
student says they changed: in the e-mail and in the portal's notifications."""

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import ApplicationState
from apps.notifications import events
from apps.notifications.models import Notification
from apps.notifications.rendering import render_message
from apps.reviews.services.decisions import (
    application_reinstate,
    application_request_changes,
    application_withdraw_for_student,
)
from tests.applications.factories import complete_application, login
from tests.factories import UserFactory

S = ApplicationState
CHANGED = "I added the <b>B2</b> certificate.\nAnd signed the CV."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def mailbox(settings):
    """The office's shared address, and one officer who opted in to every submission."""
    settings.DRI_MAILBOX = "dri-box@school.example"
    return UserFactory(email="keen@school.example", role="dri", notify_new_applications=True)


def sent_back(student, dri):
    application = services.application_submit(
        actor=student, application=complete_application(student)
    )
    return application_request_changes(
        actor=dri, application=application, message="Add your B2 certificate."
    )


def resubmitted(student, dri, message=CHANGED):
    application = sent_back(student, dri)
    Notification.objects.all().delete()
    return services.application_submit(actor=student, application=application, message=message)


@pytest.mark.django_db
def test_a_first_submission_is_still_announced_as_new(student, dri, mailbox):
    services.application_submit(actor=student, application=complete_application(student))
    assert set(Notification.objects.values_list("event", "email")) == {
        ("application_submitted", "dri-box@school.example"),
        ("application_submitted", "keen@school.example"),
    }


@pytest.mark.django_db
def test_a_resubmission_reaches_the_office_and_the_officer_who_asked(student, dri, mailbox):
    """The officer who asked for the changes did not opt in to every submission: they wait
    for this one all the same."""
    application = resubmitted(student, dri)
    assert set(Notification.objects.values_list("event", "email")) == {
        ("application_resubmitted", "dri-box@school.example"),
        ("application_resubmitted", "keen@school.example"),
        ("application_resubmitted", dri.email),
    }
    notification = Notification.objects.get(recipient=dri)
    assert notification.link == reverse("reviews:dossier", args=[application.pk])
    # Written when the event happens, in the site's language (French).
    assert notification.subject == (
        f"Déposée à nouveau après modifications : {student} ({application.call})"
    )


@pytest.mark.django_db
def test_an_officer_who_left_the_office_is_not_told(student, dri, mailbox):
    application = sent_back(student, dri)
    dri.role = "dfi"
    dri.save(update_fields=["role"])
    Notification.objects.all().delete()
    services.application_submit(actor=student, application=application, message=CHANGED)
    assert dri.email not in set(Notification.objects.values_list("email", flat=True))


@pytest.mark.django_db
def test_the_email_quotes_the_student_text_and_html_escaped(student, dri, mailbox):
    resubmitted(student, dri)
    message = render_message(Notification.objects.get(recipient=dri), "en")
    said = "submitted their application to"
    assert said in message.text and "again, after the international relations office" in (
        message.text
    )
    assert "What they changed, in their words:\n" + CHANGED in message.text
    assert "I added the &lt;b&gt;B2&lt;/b&gt; certificate.<br>And signed the CV." in message.html
    assert "<b>B2</b>" not in message.html
    assert "did not say" not in message.text


@pytest.mark.django_db
def test_the_email_says_when_the_student_said_nothing(student, dri, mailbox):
    resubmitted(student, dri, message="")
    message = render_message(Notification.objects.get(recipient=dri), "en")
    assert "They did not say what they changed." in message.text
    assert "They did not say what they changed." in message.html
    assert "in their words" not in message.text


@pytest.mark.django_db
def test_a_reinstated_resubmission_is_not_news_to_the_office(student, dri, mailbox):
    application = resubmitted(student, dri)
    application = application_withdraw_for_student(
        actor=dri, application=application, reason="Asked by phone."
    )
    Notification.objects.all().delete()
    application_reinstate(actor=dri, application=application, reason="Changed their mind.")
    assert not Notification.objects.exclude(recipient=student).exists()


@pytest.mark.django_db
def test_the_portal_list_quotes_the_student_escaped(client, student, dri, mailbox):
    resubmitted(student, dri)
    content = login(client, dri).get(reverse("notifications:list")).content.decode()
    assert "Submitted again after changes:" in content
    assert "I added the &lt;b&gt;B2&lt;/b&gt; certificate.<br>And signed the CV." in content
    assert "<b>B2</b>" not in content


@pytest.mark.django_db
def test_the_portal_list_reads_the_quotes_at_once(
    client, student, dri, mailbox, django_assert_max_num_queries
):
    """Resubmissions among other notifications: one query for all their quotes."""
    application = resubmitted(student, dri)
    transition = application.history.last()
    for number in range(30):
        events.queue(
            events.APPLICATION_RESUBMITTED,
            key=f"copy:{number}",
            recipients=[events.Recipient.of(dri)],
            context={"application": application.pk, "transition": transition.pk},
            link="/",
        )
    login(client, dri).get(reverse("notifications:list"))  # a staff session's first page writes it
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:list"))
    rows = response.context["page"].object_list
    assert len(rows) == 25
    assert all(row.quote == CHANGED for row in rows)


@pytest.mark.django_db
def test_the_portal_list_shortens_a_long_message_the_dossier_has_in_full(client, student, dri):
    resubmitted(student, dri, message="word " * 400)
    content = login(client, dri).get(reverse("notifications:list")).content.decode()
    quote = content[content.index("<blockquote") : content.index("</blockquote>")]
    assert quote.count("word") < 100
    assert quote.rstrip().endswith("…")


@pytest.mark.django_db
def test_the_officer_told_is_the_one_who_asked_not_the_one_who_undid_a_withdrawal(
    student, dri, mailbox
):
    application = sent_back(student, dri)
    services.application_withdraw(actor=student, application=application)
    application.refresh_from_db()
    other = UserFactory(email="other-officer@school.example", role="dri")
    application_reinstate(actor=other, application=application, reason="Changed their mind.")
    application.refresh_from_db()
    Notification.objects.all().delete()
    services.application_submit(actor=student, application=application, message=CHANGED)
    told = set(Notification.objects.values_list("email", flat=True))
    assert dri.email in told
    assert other.email not in told


@pytest.mark.django_db
def test_an_administrator_who_asked_for_the_changes_is_told_too(student, admin_user, mailbox):
    """The administrators decide on applications as the office does: the one who asked for
    the changes waits for the answer like an officer."""
    application = sent_back(student, admin_user)
    Notification.objects.all().delete()
    services.application_submit(actor=student, application=application, message=CHANGED)
    assert admin_user.email in set(Notification.objects.values_list("email", flat=True))
