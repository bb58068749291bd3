"""The DRI nominates a student by mistake in chromium, takes it back from the dossier with a
reason and a confirmation, and sees the dossier as it was: submitted, the nomination offered
again, the history saying what was undone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.applications.models import ApplicationState
from tests.e2e.journeys import log_in
from tests.factories import StudentProfileFactory
from tests.reviews.dri.builders import state_of, submitted

S = ApplicationState
DRI = "dri@demo.mobility.example"
REASON = "Nominated on the wrong dossier."


@pytest.fixture
def application(transactional_db):
    seed_demo()
    student = StudentProfileFactory(user__first_name="Mia", user__last_name="Misclick")
    return submitted(student.user)


def test_dri_undoes_a_nomination_made_by_mistake(application, page, shot):
    log_in(page, DRI, lands_on="/")
    page.goto(reverse("reviews:dossier", args=[application.pk]))
    expect(page.get_by_role("button", name="Undo the nomination")).to_have_count(0)

    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Nominate the student").click()
    expect(page.get_by_role("status").first).to_contain_text("The student is nominated to")
    assert state_of(application) == S.NOMINATED
    shot(page, "nominated")

    undo = page.locator("form#undo")
    expect(undo).to_contain_text("the application goes back to submitted")
    undo.get_by_label("Why this is undone").fill(REASON)
    # Without the confirmation nothing happens: the browser asks for the box first.
    undo.get_by_role("button", name="Undo the nomination").click()
    assert state_of(application) == S.NOMINATED
    undo.get_by_label("I confirm: the nomination is undone").check()
    shot(page, "undo-confirmed")
    undo.get_by_role("button", name="Undo the nomination").click()

    expect(page.get_by_role("status").first).to_contain_text(
        "Undone: the application is submitted again; the student is told."
    )
    assert state_of(application) == S.SUBMITTED
    expect(page.get_by_role("button", name="Nominate the student")).to_be_visible()
    expect(page.get_by_role("button", name="Undo the nomination")).to_have_count(0)
    history = page.locator("section[aria-labelledby=history-title]")
    expect(history).to_contain_text("undo of the previous step")
    expect(history).to_contain_text("undone")
    expect(history).to_contain_text(REASON)
    shot(page, "back-to-submitted")
