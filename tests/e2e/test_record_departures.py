"""The DRI records several departures at once in chromium: the queue filtered on accepted
applications, the students ticked (the header's box ticks the page, then a line offers every
application of the filters, on every page), a confirmation that lists them and asks about the
stay not yet begun, and the results, row by row, on a page that reloads without recording
again. The pages fit a phone's width too."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.applications.models import ApplicationState
from mobility_portal.dates import long_date
from tests.e2e.conftest import PHONE
from tests.e2e.journeys import log_in
from tests.factories import StudentProfileFactory
from tests.reviews.dri.builders import in_state, nominated, state_of, stay_dated

S = ApplicationState
DRI = "dri@demo.mobility.example"


@pytest.fixture
def accepted_students(transactional_db):
    """Three accepted students of the demo's office: two whose stay has begun, one whose stay
    begins in ten days."""
    seed_demo()
    today = timezone.localdate()
    applications = {}
    for first_name, start in (
        ("Ada", today - timedelta(days=3)),
        ("Ben", today),
        ("Cleo", today + timedelta(days=10)),
    ):
        student = StudentProfileFactory(user__first_name=first_name, user__last_name="Leaving")
        application = in_state(nominated(student.user), S.ACCEPTED)
        applications[first_name] = stay_dated(
            application, start=start, end=start + timedelta(days=120)
        )
    return applications


def test_dri_records_several_departures_from_the_queue(accepted_students, page, shot, monkeypatch):
    # Two rows a page: the three students take two pages, as hundreds would take several.
    monkeypatch.setattr("apps.reviews.views.queue.QUEUE_PAGE_SIZE", 2)
    log_in(page, DRI, lands_on="/")
    page.goto("/staff/applications/?state=accepted&q=Leaving")
    expect(page.get_by_role("button", name="Record the ticked departures…")).to_be_visible()
    select_matching = page.get_by_role(
        "button", name="Select all 3 applications matching these filters…"
    )
    # The line offering every application of the filters waits for the page to be ticked.
    expect(select_matching).to_be_hidden()
    shot(page, "queue-accepted")

    # The header's box ticks every row of the page; the officer unticks one and ticks it again.
    header_box = page.get_by_role("checkbox", name="Select every application on this page")
    header_box.check()
    for name in ("Ada", "Ben"):
        expect(page.get_by_role("checkbox", name=f"Select {name} Leaving")).to_be_checked()
    expect(page.get_by_text("All 2 applications on this page are selected.")).to_be_visible()
    expect(select_matching).to_be_visible()
    page.get_by_role("checkbox", name="Select Ben Leaving").uncheck()
    expect(header_box).not_to_be_checked()
    expect(select_matching).to_be_hidden()
    page.get_by_role("checkbox", name="Select Ben Leaving").check()
    expect(header_box).to_be_checked()
    shot(page, "queue-page-ticked")
    # Cleo, on the next page, comes with every application of the filters.
    select_matching.click()

    expect(page.get_by_role("heading", name="Record departures")).to_be_visible()
    expect(page.get_by_role("heading", name="To record: 3 applications")).to_be_visible()
    expect(
        page.get_by_text("These are the 3 applications matching the queue's filters now.")
    ).to_be_visible()
    with translation.override("en"):
        early = long_date(timezone.localdate() + timedelta(days=10))
    confirm = page.get_by_label(
        f"The stay begins on {early}: I confirm the student has already left."
    )
    expect(confirm).not_to_be_checked()
    shot(page, "confirmation")
    # Nothing is recorded until the officer sends the page.
    assert state_of(accepted_students["Ada"]) == S.ACCEPTED

    # The button counts what the ticks leave to record: Cleo only once her box is ticked.
    expect(page.locator("button[type=submit].btn-primary")).to_have_text("Record 2 departures")
    confirm.check()
    expect(page.locator("button[type=submit].btn-primary")).to_have_text("Record 3 departures")
    # Cleo has not left yet: her box is left unticked, and she is left out, saying why.
    confirm.uncheck()
    page.get_by_role("button", name="Record 2 departures").click()
    expect(page).to_have_url(re.compile(r"/staff/applications/departures/results/[\w-]+/\?back="))
    expect(page.get_by_role("status")).to_contain_text("2 students are recorded as departed.")
    expect(page.get_by_role("heading", name="Recorded: 2 applications")).to_be_visible()
    expect(page.get_by_role("heading", name="Left out: 1 application")).to_be_visible()
    expect(page.get_by_text(f"Not recorded: the stay begins on {early}")).to_be_visible()
    shot(page, "results")
    assert state_of(accepted_students["Ada"]) == S.IN_MOBILITY
    assert state_of(accepted_students["Ben"]) == S.IN_MOBILITY
    assert state_of(accepted_students["Cleo"]) == S.ACCEPTED

    # The results reload as they are, with no form to send again and nothing recorded twice.
    page.reload()
    expect(page.get_by_role("heading", name="Recorded: 2 applications")).to_be_visible()
    assert accepted_students["Ada"].history.filter(to_state=S.IN_MOBILITY).count() == 1

    # Back to the queue as it was left: only Cleo is still to record.
    page.get_by_role("link", name="Back to the applications").click()
    expect(page.get_by_role("checkbox", name="Select Cleo Leaving")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Select Ada Leaving")).to_have_count(0)


def test_without_script_every_application_of_the_filters_is_one_button_away(
    accepted_students, browser, live_server, monkeypatch
):
    monkeypatch.setattr("apps.reviews.views.queue.QUEUE_PAGE_SIZE", 2)
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, DRI, lands_on="/")
        page.goto("/staff/applications/?state=accepted&q=Leaving")
        page.get_by_role("button", name="Select all 3 applications matching these filters…").click()
        expect(page.get_by_role("heading", name="To record: 3 applications")).to_be_visible()
        # No script counts the ticks: with Cleo's box to tick or not, the button says no number.
        expect(page.locator("button[type=submit].btn-primary")).to_have_text("Record departures")
    finally:
        context.close()


def test_the_confirmation_fits_a_phone(accepted_students, phone, live_server, shot):
    page = phone
    log_in(page, DRI, lands_on="/")
    # In French, the portal's first language, whose longer words widen the pages.
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    ids = "&".join(f"application={a.pk}" for a in accepted_students.values())
    page.goto(f"/staff/applications/departures/?{ids}")
    page.wait_for_load_state()
    shot(page, "confirmation-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("button[type=submit].btn-primary").click()
    page.wait_for_load_state()
    shot(page, "results-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_with_no_box_ticked_nothing_is_recorded_and_the_button_says_so(
    accepted_students, page, live_server, shot
):
    """Only Cleo, whose stay begins in ten days: until her box is ticked there is nothing to
    record, and the button cannot be pressed. In French too, whose plural rules differ."""
    log_in(page, DRI, lands_on="/")
    page.goto(f"/staff/applications/departures/?application={accepted_students['Cleo'].pk}")
    button = page.locator("button[type=submit].btn-primary")
    expect(button).to_have_text("Record 0 departures")
    expect(button).to_be_disabled()
    hint = page.get_by_text("Nothing to record yet: tick at least one box above.")
    expect(hint).to_be_visible()
    shot(page, "none-ticked")
    page.get_by_role("checkbox").check()
    expect(button).to_have_text("Record 1 departure")
    expect(button).to_be_enabled()
    expect(hint).to_be_hidden()

    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page.reload()
    page.get_by_role("checkbox").uncheck()  # the browser may keep the box as it was left
    expect(button).to_have_text("Enregistrer 0 départ")
    expect(button).to_be_disabled()
    page.get_by_role("checkbox").check()
    expect(button).to_have_text("Enregistrer 1 départ")
    button.click()
    expect(page.get_by_role("status")).to_contain_text("1 étudiant")
    assert state_of(accepted_students["Cleo"]) == S.IN_MOBILITY
