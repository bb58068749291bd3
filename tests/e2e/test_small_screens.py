"""On a phone-sized window a wide table scrolls inside its own box: the page itself never
scrolls sideways."""

import pytest

from apps.accounts.demo import seed_demo
from tests.e2e.journeys import log_in

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize(
    ("email", "lands_on", "path"),
    [
        ("student@demo.mobility.example", "/dashboard/", "/dashboard/"),
        ("dri@demo.mobility.example", "/", "/staff/applications/"),
    ],
)
def test_a_wide_table_does_not_widen_the_page(
    transactional_db, live_server, phone, shot, email, lands_on, path
):
    seed_demo()
    log_in(phone, email, lands_on=lands_on)
    # In French, the portal's first language, whose longer words widen the tables.
    phone.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    phone.goto(path)
    phone.wait_for_load_state()
    shot(phone, "phone")
    # A visually hidden text in a table cell is absolutely positioned: unless the scrolling
    # box is its containing block, it sticks out of the page and the whole page scrolls.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
