"""On a phone-sized window a wide table scrolls inside its own box: the page itself never
scrolls sideways."""

import pytest

from apps.accounts.demo import seed_demo
from apps.applications.models import Activity
from apps.reviews.demo import seed_demo_dossiers
from tests.e2e.conftest import PHONE
from tests.e2e.journeys import exchange_semester, log_in


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


NARROWEST = {"width": 320, "height": 740}  # what a page must fit without scrolling sideways


def test_an_activity_s_buttons_wrap_on_the_narrowest_phone(
    transactional_db, live_server, browser, shot
):
    """Edit, Course plan and Remove (in French, the longest words) wrap inside the activity's
    card: kept on one line, they stuck out of it and the plan scrolled sideways."""
    seed_demo()
    exchange_semester("student@demo.mobility.example", "Politecnico di Milano")
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=NARROWEST)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, "student@demo.mobility.example")
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page.goto("/plan/")
    shot(page, "plan")
    card = page.locator("article.card").first
    card_right = card.evaluate("element => element.getBoundingClientRect().right")
    for name in ("Modifier", "Programme de cours", "Supprimer"):
        button = card.get_by_role("link", name=name, exact=True)
        assert button.evaluate("element => element.getBoundingClientRect().right") <= card_right
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROWEST["width"]
    context.close()


IN_VIEW = """element => {
  const box = element.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


def test_a_refusal_without_its_reason_opens_at_the_reason_on_a_phone(
    transactional_db, live_server, phone, shot
):
    """The DFI refused a stay without a reason: the page came back at its top, the only error
    far below the phone's screen, as if nothing had happened. It opens at the reason, which has
    the focus."""
    seed_demo()
    seed_demo_dossiers()
    log_in(phone, "dfi@demo.mobility.example", lands_on="/")
    awaiting = Activity.objects.filter(validation_requested_at__isnull=False).first()
    phone.goto(f"/advisor/validations/{awaiting.pk}/")
    phone.get_by_role("button", name="Refuse").click()
    phone.wait_for_load_state()
    shot(phone, "refused-without-reason")
    comment = phone.locator("#main form .is-invalid").first
    assert comment.evaluate("element => element === document.activeElement")
    assert comment.evaluate(IN_VIEW)
    assert phone.evaluate("window.scrollY") > 0
