"""The main journeys with the keyboard alone, as a person who cannot use a mouse goes through
them: Tab to each control (whose focus must show), Enter or Space to act, typing and arrows
to fill. No click, no `fill`, no `select_option` in this file."""

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.accounts.demo_data import DEMO_PASSWORD
from apps.applications.models import Activity, Application, ApplicationState
from tests.e2e.journeys import submitted_application

STUDENT = "student@demo.mobility.example"
DRI = "dri@demo.mobility.example"
MOST_TABS = 120

# What has the focus: its tag, the name it is labelled with and whether its focus shows (an
# outline of 2 px at least: Bootstrap's pale glow alone is 1.4:1 against white).
FOCUSED = """() => {
  const element = document.activeElement;
  const label = element.labels && element.labels[0] ? element.labels[0].innerText : "";
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    name: (element.getAttribute("aria-label") || label || element.innerText || element.value
           || "").replace(/\\*$/, "").trim().replace(/\\s+/g, " "),
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""


@pytest.fixture
def demo_world(transactional_db):
    seed_demo()


def tab_to(page, name: str | re.Pattern, *, backwards: bool = False) -> dict:
    """Press Tab (Shift+Tab) until the focus is on the control named `name` (the whole name,
    or a pattern it matches); every control passed on the way must show its focus."""
    passed = []
    for _ in range(MOST_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        passed.append(focused["name"])
        if focused["tag"] != "body":
            assert focused["ring"], f"no visible focus on {focused}"
        matches = (
            name.search(focused["name"])
            if isinstance(name, re.Pattern)
            else focused["name"] == name
        )
        if matches:
            return focused
    raise AssertionError(f"{name!r} not reached with the keyboard, past {passed[:30]}")


def follow(page, name: str, path: str) -> None:
    """Tab to the link named `name` and open it with Enter: the page at `path` (a pattern)."""
    tab_to(page, name)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{path}$"))
    page.wait_for_load_state()


def type_into(page, name: str | re.Pattern, text: str) -> None:
    tab_to(page, name)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def type_date(page, name: str, day: int, month: int, year: int) -> None:
    """Type a date into its field, which takes the day, month and year in turn, in the order of
    chromium's own language (month first here, whatever the page's): typed day first and read
    back otherwise, the date is typed again from the field's first part, month first."""
    tab_to(page, name)
    page.keyboard.type(f"{day:02}{month:02}{year}")
    wanted = f"{year}-{month:02}-{day:02}"
    if page.evaluate("() => document.activeElement.value") != wanted:
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(f"{month:02}{day:02}{year}")
    assert page.evaluate("() => document.activeElement.value") == wanted


def choose_by_keyboard(page, name: str, option: str) -> None:
    """Walk the menu named `name` with the arrows, from its first option to `option`."""
    tab_to(page, name)
    labels = page.evaluate("() => [...document.activeElement.options].map(o => o.label)")
    target = next(index for index, label in enumerate(labels) if option in label)
    page.keyboard.press("Home")
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.selectedIndex") == target


def sign_in(page, email: str, lands_on: str) -> None:
    page.goto("/accounts/login/")
    expect(page.get_by_label("E-mail address")).to_be_focused()  # the page starts there
    page.keyboard.type(email)
    type_into(page, "Password", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    # The whole path, from the host on: "/$" alone matched the login page's own address, and
    # the first Tab then went to a page still loading (CI saw the skip link never focused).
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(lands_on)}$"))
    page.wait_for_load_state()  # the URL changes before the page it names has loaded
    # On every other page the first Tab reaches the skip link, which takes the focus past the
    # menu to the page's content.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    tab_to(page, "Skip to main content", backwards=True)  # back to the menu


def test_a_student_adds_a_stay_to_their_plan_with_the_keyboard(demo_world, page, shot):
    sign_in(page, STUDENT, "/dashboard/")
    follow(page, "My plan", "/plan/")
    follow(page, "Add an activity", "/plan/activities/new/")

    choose_by_keyboard(page, "Kind", "One semester of exchange")
    type_date(page, "First day", 1, 9, 2027)
    type_date(page, "Last day", 31, 1, 2028)
    choose_by_keyboard(page, "Partner institution", "Technische Universität Berlin")
    type_into(page, "Planned ECTS credits", "20")
    live = page.locator("#live-check")
    expect(live.locator('[data-rule="SEMESTER_ECTS"]')).to_be_visible()
    shot(page, "live-check-by-keyboard")

    type_into(page, "Planned ECTS credits", "30")
    expect(live.locator('[data-rule="SEMESTER_ECTS"]')).to_have_count(0)
    tab_to(page, "Save")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/plan/$"))
    page.wait_for_load_state()
    shot(page, "plan-by-keyboard")
    stay = Activity.objects.get(plan__student__email=STUDENT)
    assert (stay.kind, str(stay.start), str(stay.end), stay.ects) == (
        "exchange_semester",
        "2027-09-01",
        "2028-01-31",
        30,
    )
    assert stay.partner.name == "Technische Universität Berlin"


def test_the_dri_asks_a_student_for_changes_with_the_keyboard(demo_world, page, shot):
    application = submitted_application(STUDENT, ["KTH Royal Institute of Technology"])
    sign_in(page, DRI, "/")
    follow(page, "Applications", "/staff/applications/")
    follow(page, "Camille Martin", rf"/staff/applications/{application.pk}/(\\?.*)?")
    expect(page.get_by_role("heading", name=re.compile("^Camille Martin"))).to_be_visible()
    type_into(page, "What the student should change", "Please add your language certificate.")
    tab_to(page, "Send back to the student")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The student is asked for changes.")).to_be_visible()
    shot(page, "changes-requested-by-keyboard")
    application.refresh_from_db()
    assert application.state == ApplicationState.CHANGES_REQUESTED
    assert application.history.latest("pk").comment == "Please add your language certificate."
    assert Application.objects.count() == 1
