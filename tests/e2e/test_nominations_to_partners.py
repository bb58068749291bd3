"""The DRI sends a partner the list of the students nominated there, in chromium: from the
"More" menu to the call's partners, the partner's students and the e-mail's preview, the
confirmation, and the page saying the list went; the e-mail is in the outbox, its answers
going to the office's mailbox."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.programmes.models import Partner
from apps.reviews.models import NominationNotice
from apps.reviews.services.decisions import application_nominate
from tests.e2e.journeys import log_in, main_menu, submitted_application

DRI = "dri@demo.mobility.example"
STUDENT = "student@demo.mobility.example"  # Camille Martin
LEA = "lea.petit@demo.mobility.example"
BERLIN = "Technische Universität Berlin"
INCOMING = "incoming@tu-berlin.example"
MAILBOX = "international@school.example"


@pytest.fixture
def berlin_nominations(transactional_db, settings):
    from apps.accounts.demo import seed_demo

    settings.DRI_MAILBOX = MAILBOX
    seed_demo()
    Partner.objects.filter(name=BERLIN).update(nomination_email=INCOMING)
    dri = User.objects.get(email=DRI)
    for email in (STUDENT, LEA):
        application = submitted_application(email, [BERLIN])
        application_nominate(actor=dri, application=application, choice=application.choices.get())
    mail.outbox.clear()  # the students' own notices of their nomination


def test_dri_previews_and_sends_a_partner_its_list(berlin_nominations, page, shot):
    log_in(page, DRI, lands_on="/")
    menu = main_menu(page)
    menu.get_by_role("button", name="More").click()
    menu.get_by_role("link", name="Nominations to partners").click()
    expect(page.get_by_role("heading", name="Nominations to partners")).to_be_visible()
    row = page.get_by_role("row", name=BERLIN)
    expect(row).to_contain_text(INCOMING)
    expect(row).to_contain_text("Never")
    expect(row.get_by_role("cell").nth(1)).to_have_text("2")
    shot(page, "partners")

    row.get_by_role("link", name=BERLIN).click()
    expect(page.get_by_role("heading", name=f"Nominations to {BERLIN}")).to_be_visible()
    expect(page.get_by_role("heading", name="2 students nominated")).to_be_visible()
    students = page.get_by_role("table", name="Students nominated")
    expect(students).to_contain_text("Camille Martin")
    expect(students).to_contain_text("Léa Petit")
    # The preview: the e-mail as the partner reads it, nothing sent yet.
    preview = page.locator(".card", has_text="Subject")
    expect(preview).to_contain_text("Students nominated to your institution")
    expect(preview).to_contain_text(f"For any question, write to {MAILBOX}.")
    expect(
        page.get_by_text("No list has been sent to this partner for this call yet.")
    ).to_be_visible()
    shot(page, "preview")

    page.get_by_role("button", name=f"Send to {INCOMING}…").click()
    expect(page.get_by_text(f"Send the list of 2 students to {INCOMING}?")).to_be_visible()
    assert not NominationNotice.objects.exists()
    shot(page, "confirmation")

    page.get_by_role("button", name="Yes, send it").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"The list of 2 students is queued for {INCOMING}."
    )
    expect(page.get_by_text("The e-mail went out.")).to_be_visible()
    expect(page.get_by_text("The list has not changed since.")).to_be_visible()
    expect(page.get_by_role("button", name=f"Send again to {INCOMING}…")).to_be_visible()
    shot(page, "sent")

    notice = NominationNotice.objects.get()
    assert notice.actor.email == DRI and len(notice.application_ids) == 2
    [message] = [message for message in mail.outbox if message.to == [INCOMING]]
    assert message.subject.startswith("Students nominated to your institution")
    assert message.reply_to == [MAILBOX]
    assert "Camille" in message.body and "Petit" in message.body

    page.get_by_role("link", name="Nominations to partners").first.click()
    row = page.get_by_role("row", name=BERLIN)
    expect(row).to_contain_text("Unchanged")
    expect(row).to_contain_text("by ")
    shot(page, "partners-after")
