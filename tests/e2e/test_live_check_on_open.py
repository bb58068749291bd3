"""The live check beside an activity's form speaks as soon as the form holds an activity: when a
student opens a saved one to fix it, and when the form comes back with an error. It used to say
"Fill in the activity to see what the regulations say" until the student typed something."""

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.applications import services
from tests.e2e.journeys import exchange_semester, log_in

STUDENT = "student@demo.mobility.example"


@pytest.fixture
def demo_world(transactional_db):
    seed_demo()


def test_a_saved_activity_opened_again_shows_its_findings_at_once(demo_world, page, shot):
    activity = exchange_semester(STUDENT, "Technische Universität Berlin")
    fields = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    services.activity_update(
        actor=activity.plan.student, activity=activity, fields={**fields, "ects": 20}
    )
    log_in(page, STUDENT)
    page.goto(f"/plan/activities/{activity.pk}/")
    live = page.locator("#live-check")
    expect(live.locator('[data-rule="SEMESTER_ECTS"]')).to_be_visible()
    expect(live).not_to_contain_text("Fill in the activity")
    shot(page, "opened-with-its-findings")


def test_a_form_back_with_an_error_still_shows_the_check(demo_world, page, shot):
    log_in(page, STUDENT)
    page.goto("/plan/activities/new/")
    page.locator("#id_kind").select_option("exchange_semester")
    page.locator("#id_start").fill("2027-09-01")
    page.locator("#id_end").fill("2028-01-31")
    page.locator("#id_host_name").fill("Universidad de Chile")
    page.locator("#id_ects").fill("20")
    page.locator("#activity-form").get_by_role("button", name="Save").click()
    expect(page.locator("#id_country")).to_have_class(re.compile("is-invalid"))
    live = page.locator("#live-check")
    expect(live).not_to_contain_text("Fill in the activity")
    shot(page, "back-with-an-error")
