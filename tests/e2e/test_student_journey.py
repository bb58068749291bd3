"""A demo student builds a plan, sees the live check catch an error and clear it, applies
with two choices, uploads the documents, submits and sees the history — in chromium."""

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.applications.models import Application, ApplicationState
from tests.e2e.journeys import choose_option, log_in, main_menu

STUDENT = "student@demo.mobility.example"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def demo_world(transactional_db):
    seed_demo()


def test_student_plans_applies_uploads_and_submits(demo_world, page, shot, tmp_path):
    log_in(page, STUDENT)
    shot(page, "dashboard")

    # Build a plan: an exchange semester whose ECTS are first too few.
    main_menu(page).get_by_role("link", name="My plan").click()
    page.get_by_role("link", name="Add an activity").first.click()
    page.locator("#id_kind").select_option("exchange_semester")
    page.locator("#id_start").fill("2027-09-01")
    page.locator("#id_end").fill("2028-01-31")
    page.locator("#id_partner").select_option(label="Technische Universität Berlin")
    page.locator("#id_ects").fill("20")
    live = page.locator("#live-check")
    expect(live.locator('[data-rule="SEMESTER_ECTS"]')).to_be_visible()
    shot(page, "live-check-error")

    page.locator("#id_ects").fill("30")
    expect(live.locator('[data-rule="SEMESTER_ECTS"]')).to_have_count(0)
    expect(live.locator('[data-rule="SEMESTER_INTERNSHIP"]')).to_be_visible()
    shot(page, "live-check-fixed")
    page.locator("#activity-form").get_by_role("button", name="Save").click()

    page.locator("#id_engineering_internship_validated").check()
    page.locator("form[action$='/plan/facts/']").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Compliant with the regulations")).to_be_visible()
    shot(page, "plan-compliant")

    # Apply to the open call with two ranked choices.
    main_menu(page).get_by_role("link", name="My applications").click()
    page.get_by_role("button", name=re.compile("^Apply")).first.click()
    choose_option(page, "#id_choice_1", "Technische Universität Berlin")
    choose_option(page, "#id_choice_2", "KTH")
    page.locator("#id_motivation").fill("Telecommunications research in Berlin, then Stockholm.")
    shot(page, "choices")
    page.get_by_role("button", name="Save").click()

    # Upload the four documents an exchange asks for.
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(PDF)
    upload = page.locator("#document-upload")
    for kind in ("cv", "transcript", "language_certificate", "learning_agreement"):
        upload.locator("#id_kind").select_option(kind)
        upload.locator("input[type=file]").set_input_files(str(pdf))
        upload.get_by_role("button", name="Upload").click()
        upload = page.locator("#document-upload")
    shot(page, "documents")

    page.get_by_role("button", name="Submit my application").click()
    expect(page.get_by_text("Submitted").first).to_be_visible()
    shot(page, "submitted-with-history")

    application = Application.objects.get(student__email=STUDENT)
    assert application.state == ApplicationState.SUBMITTED
    assert [choice.rank for choice in application.choices.all()] == [1, 2]
    assert application.documents.count() == 4
    assert application.history.get().to_state == ApplicationState.SUBMITTED
