"""The DRI's list of agreements in the admin, its filters open beside it, fits a laptop's width:
the partner's name never wrapped (the admin keeps a foreign key's cell on one line) and the
first and last years took a column each under headers of three words that do not wrap either,
so the table ran about 350 px past its box in French, the years out of sight behind a
sideways scroll."""

import pytest

from apps.accounts.demo import seed_demo
from tests.e2e.journeys import log_in
from tests.e2e.test_layout_widths import LAPTOP, scroll_width

AGREEMENTS = "/admin/programmes/agreement/"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_agreement_list_and_its_filters_fit_a_laptop(
    transactional_db, live_server, browser, language
):
    seed_demo()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, "dri@demo.mobility.example", lands_on="/")
    # For every path of the site (the site's address, not the page's: set from a page below
    # the root, the cookie holds for that page's path only).
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(AGREEMENTS)
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#changelist-filter").is_visible()
    results = page.locator("#changelist-form .results")
    # Every agreement of the demo is listed, its years with it (no second page).
    assert page.locator("#result_list tbody tr").count() > 50
    widths = results.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert widths[0] <= widths[1], widths
    assert scroll_width(page) <= LAPTOP["width"]
    context.close()
