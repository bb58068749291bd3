"""The DRI manages a partner and its agreements on one admin page: it fits a laptop's width.
The agreements' seven columns side by side ran it to about 2,000 px in French, the agreements'
notes and their delete boxes out of sight."""

from apps.accounts.demo import seed_demo
from apps.programmes.models import Partner
from tests.e2e.journeys import log_in
from tests.e2e.test_layout_widths import LAPTOP, in_language, scroll_width


def test_a_partner_and_its_agreements_fit_a_laptop(transactional_db, live_server, browser):
    seed_demo()
    partner = Partner.objects.get(name="Technische Universität Berlin")
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, "dri@demo.mobility.example", lands_on="/")
    for language in ("fr", "en"):
        in_language(page, language)
        page.goto(f"/admin/programmes/partner/{partner.pk}/change/")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("#id_agreements-1-notes").is_visible()  # its second agreement
        assert scroll_width(page) <= LAPTOP["width"], language
    context.close()
