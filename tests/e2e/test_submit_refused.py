"""A student submits a draft that still lacks its documents, on a phone: one alert says the
application is not submitted and leads to the Submission section, which lists what is missing
(each reason was repeated above it, one red alert each)."""

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.accounts.models import User
from apps.applications import services
from tests.e2e.journeys import demo_call, exchange_agreement, exchange_semester, log_in

STUDENT = "student@demo.mobility.example"


@pytest.fixture
def draft_without_documents(transactional_db):
    seed_demo()
    activity = exchange_semester(STUDENT, "Politecnico di Milano")
    student = User.objects.get(email=STUDENT)
    application = services.application_start(actor=student, call=demo_call())
    services.application_update(
        actor=student,
        application=application,
        motivation="A semester of engineering abroad.",
        choices=[services.ChoiceInput(activity, exchange_agreement("Politecnico di Milano"))],
    )
    return application


def test_one_alert_leads_to_what_is_missing(draft_without_documents, phone, shot):
    log_in(phone, STUDENT)
    phone.goto(f"/applications/{draft_without_documents.pk}/")
    phone.get_by_role("button", name="Submit my application").click()
    phone.wait_for_load_state()
    alerts = phone.locator("main .alert-danger")
    expect(alerts).to_have_count(1)
    expect(alerts).to_have_text("Your application is not submitted: see Submission.")
    expect(phone.locator("main").get_by_text("Missing document: CV.")).to_have_count(1)
    shot(phone, "refused")
    alerts.get_by_role("link", name="Submission").click()
    expect(phone).to_have_url(f"{phone.url.split('#')[0]}#submit-title")
    expect(phone.get_by_role("heading", name="Submission")).to_be_in_viewport()
    expect(phone.get_by_text("Missing document: CV.")).to_be_in_viewport()
