"""Sending a partner its list of nominated students: the audit row, the e-mail through the
outbox, and the guards against a second click or a page read before a change."""

import pytest
from django.core import mail

from apps.applications.errors import ServiceError
from apps.applications.models import Application
from apps.notifications import delivery
from apps.notifications.models import Notification
from apps.notifications.rendering import render_message
from apps.reviews.models import NominationNotice
from apps.reviews.services.nominations import SeenList, nomination_notice_send
from tests.factories import CallFactory, LanguageFactory, PartnerFactory

from .builders import S, nominated, partner_with_address, seen_now

pytestmark = pytest.mark.django_db


def send(actor, call, partner, seen=None):
    return nomination_notice_send(
        actor=actor, call=call, partner=partner, seen=seen or seen_now(call, partner)
    )


def test_sending_writes_the_audit_row_and_one_pending_e_mail_to_the_partner(
    dri, django_capture_on_commit_callbacks
):
    call = CallFactory(name="Exchanges")
    partner = partner_with_address(name="Universität Wien")
    first = nominated(call, partner)
    accepted = nominated(call, partner, state=S.ACCEPTED)
    nominated(call, partner, state=S.WITHDRAWN)
    nominated(CallFactory(), partner)  # another call's
    with django_capture_on_commit_callbacks(execute=True):
        notice = send(dri, call, partner)
    assert notice.actor == dri and notice.email == "incoming@partner.example"
    assert notice.application_ids == sorted([first.pk, accepted.pk])
    assert notice.added_ids == [] and notice.removed_ids == [] and notice.previous is None
    row = Notification.objects.get(event="nominations_to_partner")
    assert row.recipient is None and row.email == "incoming@partner.example"
    assert row.context == {"call": call.pk, "nomination_notice": notice.pk}
    # Delivered after the commit (eager workers in tests): sent once, to the partner.
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["incoming@partner.example"]


@pytest.mark.parametrize("mailbox", ["dri-box@school.example", ""])
def test_the_partners_answer_goes_to_the_offices_mailbox_when_there_is_one(
    dri, settings, django_capture_on_commit_callbacks, mailbox
):
    """Reply-To the office's shared address: the partner's answer reached the no-reply
    sender. Without a shared address, no Reply-To (the sender, as before)."""
    settings.DRI_MAILBOX = mailbox
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    with django_capture_on_commit_callbacks(execute=True):
        send(dri, call, partner)
    [message] = mail.outbox
    assert message.to == ["incoming@partner.example"]
    assert message.reply_to == ([mailbox] if mailbox else [])
    assert ("Reply-To" in message.message()) == bool(mailbox)
    if mailbox:
        assert message.message()["Reply-To"] == mailbox


def test_the_other_e_mails_keep_no_reply_to(settings):
    """Only what goes to a partner asks for answers at the office's mailbox: a student's
    notice does not send their answer to the office's shared address."""
    from apps.notifications.events import EVENTS

    settings.DRI_MAILBOX = "dri-box@school.example"
    assert [name for name, event in EVENTS.items() if event.replies_to_office] == [
        "nominations_to_partner"
    ]
    assert delivery.reply_to(Notification(event="application_decision")) == []
    assert delivery.reply_to(Notification(event="nominations_to_partner")) == [
        "dri-box@school.example"
    ]


def test_the_first_list_names_every_student_with_what_the_partner_needs(dri):
    call = CallFactory(name="Exchanges")
    partner = partner_with_address(name="Universität Wien")
    application = nominated(call, partner, first_name="Léa", last_name="Martin")
    profile = application.student.student_profile
    send(dri, call, partner)
    message = render_message(Notification.objects.get(event="nominations_to_partner"))
    assert message.subject == f"Students nominated to your institution: {call}"
    assert "nominates 1 student to Universität Wien" in message.text
    assert "Léa Martin" in message.text and application.student.email in message.text
    assert profile.student_number in message.text and str(profile.filiere) in message.text
    assert "Semester or year exchange" in message.text
    assert "replaces" not in message.text
    assert "Léa Martin" in message.html and "<table" in message.html


def test_a_changed_list_is_sent_in_full_with_what_changed_since_the_last_one(dri):
    call = CallFactory(name="Exchanges")
    partner = partner_with_address(name="Universität Wien")
    stays = nominated(call, partner, first_name="Léa", last_name="Martin")
    leaves = nominated(call, partner, first_name="Hugo", last_name="Petit")
    first = send(dri, call, partner)
    Application.objects.filter(pk=leaves.pk).update(state=S.WITHDRAWN)
    arrives = nominated(call, partner, first_name="Inès", last_name="Roux")
    second = send(dri, call, partner)
    assert second.previous == first
    assert second.application_ids == sorted([stays.pk, arrives.pk])
    assert second.added_ids == [arrives.pk] and second.removed_ids == [leaves.pk]
    text = render_message(Notification.objects.get(key__contains=f":{second.pk}:")).text
    assert "This list replaces the one" in text
    since, gone = text.index("Nominated since:"), text.index("No longer nominated:")
    assert "Inès Roux" in text[since:gone] and "Hugo Petit" in text[gone:]
    assert "nominates 2 students" in text and "Léa Martin" in text


def test_a_second_click_on_the_same_page_sends_nothing_more(dri):
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    seen = seen_now(call, partner)
    send(dri, call, partner, seen)
    with pytest.raises(ServiceError, match="since you opened the page"):
        send(dri, call, partner, seen)
    assert NominationNotice.objects.count() == 1
    assert Notification.objects.filter(event="nominations_to_partner").count() == 1


def test_a_list_that_changed_since_the_page_was_read_is_not_sent(dri):
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    seen = seen_now(call, partner)
    nominated(call, partner)
    with pytest.raises(ServiceError, match="students nominated to this partner changed"):
        send(dri, call, partner, seen)
    assert not NominationNotice.objects.exists() and not Notification.objects.exists()


def test_an_address_changed_since_the_page_was_read_is_not_used(dri):
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    seen = seen_now(call, partner)
    type(partner).objects.filter(pk=partner.pk).update(nomination_email="new@partner.example")
    with pytest.raises(ServiceError, match="e-mail for nominations changed"):
        send(dri, call, partner, seen)
    assert not NominationNotice.objects.exists()


def test_a_partner_without_address_gets_nothing(dri):
    call = CallFactory()
    partner = PartnerFactory()
    nominated(call, partner)
    with pytest.raises(ServiceError, match="no e-mail for nominations"):
        send(dri, call, partner)
    assert not NominationNotice.objects.exists()


def test_a_partner_nobody_is_nominated_to_gets_nothing(dri):
    call = CallFactory()
    partner = partner_with_address()
    with pytest.raises(ServiceError, match="No student is nominated"):
        send(dri, call, partner, SeenList([], partner.nomination_email, None))


def test_a_partner_whose_every_student_withdrew_is_told_so(dri):
    call = CallFactory(name="Exchanges")
    partner = partner_with_address(name="Universität Wien")
    leaves = nominated(call, partner, first_name="Hugo", last_name="Petit")
    send(dri, call, partner)
    Application.objects.filter(pk=leaves.pk).update(state=S.WITHDRAWN)
    notice = send(dri, call, partner)
    assert notice.application_ids == [] and notice.removed_ids == [leaves.pk]
    text = render_message(Notification.objects.get(key__contains=f":{notice.pk}:")).text
    assert "no longer nominates any student to Universität Wien" in text
    assert "Hugo Petit" in text


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_only_reviewers_send(request, persona):
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    with pytest.raises(ServiceError):
        send(request.getfixturevalue(persona), call, partner)
    assert not NominationNotice.objects.exists()


def test_a_partner_teaching_in_french_reads_french_the_others_english(dri):
    call = CallFactory()
    french = partner_with_address(country="CA", name="Université de Montréal")
    french.languages.add(LanguageFactory(code="fr", name="French"))
    english = partner_with_address(country="CA", name="University of Toronto")
    english.languages.add(LanguageFactory(code="en", name="English"))
    for partner in (french, english):
        nominated(call, partner)
    assert send(dri, call, french).language == "fr"
    assert send(dri, call, english).language == "en"
    assert set(Notification.objects.values_list("language", flat=True)) == {"fr", "en"}


def test_a_broker_down_loses_nothing_the_relay_sends_it_later(
    dri, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from apps.notifications import tasks

    def broker_down(pk):
        raise ConnectionError("broker away")

    monkeypatch.setattr(tasks.deliver, "delay", broker_down)
    call = CallFactory()
    partner = partner_with_address()
    nominated(call, partner)
    with django_capture_on_commit_callbacks(execute=True):
        send(dri, call, partner)
    row = Notification.objects.get(event="nominations_to_partner")
    assert row.status == "pending" and not mail.outbox
    monkeypatch.undo()
    assert delivery.deliver(row.pk) == "sent"
    assert mail.outbox[0].to == ["incoming@partner.example"]


def test_the_students_data_export_says_which_partner_received_their_name_and_when(dri):
    """The right of access covers the recipients of the data: each list naming the student,
    nominated or no longer nominated, and only those."""
    from apps.applications.privacy import personal_data

    call = CallFactory(name="Exchanges")
    partner = partner_with_address(name="Universität Wien")
    application = nominated(call, partner)
    other = nominated(call, partner)
    first = send(dri, call, partner)
    Application.objects.filter(pk=application.pk).update(state=S.WITHDRAWN)
    second = send(dri, call, partner)
    nominated(CallFactory(), partner_with_address(name="Elsewhere"))

    [data] = personal_data(application.student)["applications"]
    assert data["lists_sent_to_partners"] == [
        {
            "sent_at": first.sent_at,
            "partner": "Universität Wien",
            "email": "incoming@partner.example",
            "named_as": "nominated",
        },
        {
            "sent_at": second.sent_at,
            "partner": "Universität Wien",
            "email": "incoming@partner.example",
            "named_as": "no_longer_nominated",
        },
    ]
    [other_data] = personal_data(other.student)["applications"]
    assert [row["named_as"] for row in other_data["lists_sent_to_partners"]] == ["nominated"] * 2


def test_a_student_no_list_named_exports_none(dri):
    from apps.applications.privacy import personal_data

    call = CallFactory()
    partner = partner_with_address()
    application = nominated(call, partner)
    [data] = personal_data(application.student)["applications"]
    assert data["lists_sent_to_partners"] == []


def test_a_student_erased_since_the_last_list_is_not_named_by_an_address_of_nobody(dri):
    """Erased after withdrawing, a student was listed to the partner as 'No longer nominated:
    anonymised-12@invalid.example'."""
    from apps.applications.privacy import anonymise_student

    call = CallFactory()
    partner = partner_with_address()
    application = nominated(call, partner)
    nominated(call, partner)
    send(dri, call, partner)
    Application.objects.filter(pk=application.pk).update(state=S.WITHDRAWN)
    anonymise_student(application.student)
    send(dri, call, partner)
    message = render_message(Notification.objects.filter(event="nominations_to_partner").first())
    assert "a student whose data has been erased" in message.text
    assert "a student whose data has been erased" in message.html
    assert "invalid.example" not in message.text + message.html
