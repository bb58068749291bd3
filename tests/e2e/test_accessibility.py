"""Every page each role reaches passes axe-core's WCAG 2.2 A and AA checks and its best
practices (the engine that browser extensions and RGAA audits run), in French, the portal's
first language, and in English; so do the pages a wrong entry leads to.

The pages are found by following the links from where each role lands, as a person clicking
through would: a new page is checked without this file changing. Links that only differ by an id
(another dossier, another stay) count as one page."""

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.reviews.demo import seed_demo_dossiers
from tests.e2e.accessibility import violations
from tests.e2e.journeys import log_in
from tests.e2e.test_layout_widths import in_language

# Files, not pages (exports, documents, the learning agreement), leaving (the admin site is
# Django's, language switches and signing out change the session).
NOT_PAGES = re.compile(
    r"/logout|/download|/i18n/|/admin/|/static/|/media/|learning-agreement|"
    r"\.(pdf|csv|xlsx|xml|json|zip|svg)$"
)
MOST_PAGES = 60

# Where each role lands once signed in, and a page deep in their pages the crawl must reach;
# the students of the demo dossiers have an application submitted with its course plan, and a
# summer stay awaiting validation.
PERSONAS = [
    ("student@demo.mobility.example", "/dashboard/", "/privacy/erasure/"),
    ("lea.petit@demo.mobility.example", "/dashboard/", "/plan/activities/N/courses/"),
    ("ines.chevalier@demo.mobility.example", "/dashboard/", "/applications/"),
    ("advisor@demo.mobility.example", "/", "/advisor/course-plans/N/"),
    ("dri@demo.mobility.example", "/", "/staff/applications/N/"),
    ("dfi@demo.mobility.example", "/", "/advisor/validations/N/"),
    ("admin@demo.mobility.example", "/", "/staff/erasure-requests/"),
]


def same_page(path: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(path).path)


def pages_reached(page, start: str) -> Iterator[str]:
    """Open the pages linked from `start`, then from those, breadth first, once each (see
    `same_page`), up to MOST_PAGES; yields each path once it is open."""
    base = page.url.split("/", 3)[:3]
    origin = "/".join(base)
    waiting, opened = [start], set()
    while waiting and len(opened) < MOST_PAGES:
        path = waiting.pop(0)
        if same_page(path) in opened:
            continue
        opened.add(same_page(path))
        response = page.goto(path)
        page.wait_for_load_state()
        assert response.ok, f"{path}: {response.status}"
        yield path
        for href in page.eval_on_selector_all("a[href]", "a => a.map(e => e.getAttribute('href'))"):
            url = urljoin(page.url, href).split("#")[0]
            if not url.startswith(origin + "/"):
                continue
            target = url[len(origin) :]
            if not NOT_PAGES.search(urlsplit(target).path) and same_page(target) not in opened:
                waiting.append(target)


@pytest.mark.parametrize(("email", "lands_on", "deep_page"), PERSONAS)
def test_every_page_a_role_reaches_passes_axe(
    transactional_db, live_server, page, email, lands_on, deep_page
):
    seed_demo()
    seed_demo_dossiers()
    log_in(page, email, lands_on=lands_on)
    in_language(page, "fr")
    found, reached = [], []
    for path in pages_reached(page, lands_on):
        reached.append(path)
        found += violations(page)
    assert deep_page in {same_page(path) for path in reached}, reached
    in_language(page, "en")
    page.goto(lands_on)
    found += violations(page)
    assert found == [], "\n".join(found)


def test_signed_out_pages_and_wrong_entries_pass_axe(transactional_db, live_server, page):
    """The login page and the password reset, as they stand and after a wrong entry, and the
    student's forms showing what is wrong."""
    seed_demo()
    found = []
    page.goto("/accounts/password/reset/")
    found += violations(page)
    page.locator("#main input[type=email]").fill("not an address")
    page.locator("#main input[type=email]").evaluate("input => input.type = 'text'")
    page.locator("#main button[type=submit]").click()
    page.wait_for_load_state()
    found += violations(page)
    page.goto("/accounts/login/")
    found += violations(page)
    page.get_by_label("E-mail address").fill("student@demo.mobility.example")
    page.get_by_label("Password").fill("not the password")
    page.locator("#main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#main .alert, #main .invalid-feedback, #main .errorlist").count() > 0
    found += violations(page)
    log_in(page, "student@demo.mobility.example")
    page.goto("/plan/activities/new/")
    page.locator("#main form [required]").evaluate_all(
        "fields => fields.forEach(field => field.removeAttribute('required'))"
    )
    page.locator("#main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("#main .is-invalid").count() > 0  # the form came back with its errors
    found += violations(page)
    assert found == [], "\n".join(found)


def test_a_box_that_scrolls_sideways_is_reached_and_scrolled_from_the_keyboard(
    transactional_db, live_server, browser
):
    """On a phone the plan's timeline scrolls sideways in its box: the keyboard reaches the box
    (Tab), its arrows scroll it, and a screen reader names it after its heading. On a laptop,
    where it fits, the box is no stop on the way."""
    seed_demo()
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    log_in(page, "student@demo.mobility.example")
    page.goto("/plan/")
    box = page.locator(".timeline-scroll")
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "group")
    expect(box).to_have_accessible_name("Timeline")
    box.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(box).not_to_have_attribute("tabindex", "0")
    expect(box).not_to_have_attribute("role", "group")
    context.close()
