"""The seat allocation's decision list shows the chosen destination in full, on a laptop and on
a phone, in French (the portal's first language, whose longer words widen everything) and in
English: it was cut after a few words at 1,280 px ("1. KTH Royal Institute of Te…") and showed
a letter or two on a phone."""

import pytest

from apps.accounts.demo import seed_demo
from tests.e2e.conftest import PHONE
from tests.e2e.journeys import demo_call, log_in, submitted_application

LAPTOP = {"width": 1280, "height": 800}

DRI = "dri@demo.mobility.example"
KTH = "KTH Royal Institute of Technology"
EPFL = "École polytechnique fédérale de Lausanne"

# Each decision list's chosen text, laid out as a paragraph of the list's font in the width
# the list gives its text (inside its padding, which holds the arrow): the height that text
# needs, and its widest line, against the height and width the list shows.
CHOSEN_TEXT = """() => [...document.querySelectorAll('select[name^="decision-"]')].map(select => {
  const style = getComputedStyle(select);
  const width = select.clientWidth - parseFloat(style.paddingLeft)
    - parseFloat(style.paddingRight);
  const text = document.createElement('div');
  text.style.cssText = 'position: absolute; visibility: hidden; white-space: normal;';
  text.style.width = `${width}px`;
  text.style.font = style.font;
  text.style.lineHeight = style.lineHeight;
  text.textContent = select.selectedOptions[0].text;
  document.body.append(text);
  const needed = {height: text.getBoundingClientRect().height, width: text.scrollWidth};
  text.remove();
  return {
    text: select.selectedOptions[0].text,
    needed,
    shown: {
      height: select.clientHeight - parseFloat(style.paddingTop)
        - parseFloat(style.paddingBottom),
      width,
    },
  };
})"""


@pytest.fixture
def allocation_page(transactional_db, live_server, browser):
    """open(size, language): the DRI's allocation page of the demo call, in which Camille is
    placed at KTH and Léa at EPFL."""
    seed_demo()
    submitted_application("student@demo.mobility.example", [KTH, EPFL])
    submitted_application("lea.petit@demo.mobility.example", [EPFL, KTH])
    contexts = []

    def open_page(size, language):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=size)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, DRI, lands_on="/")
        context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
        page.goto(f"/staff/allocation/{demo_call().pk}/")
        page.wait_for_load_state()
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_chosen_destination_is_shown_in_full(allocation_page, shot, size, language):
    page = allocation_page(size, language)
    table = page.locator(".table-responsive", has=page.locator('select[name^="decision-"]'))
    table.evaluate("box => { box.scrollLeft = box.scrollWidth; }")  # the decisions' column
    shot(page, "decisions")
    lists = page.evaluate(CHOSEN_TEXT)
    assert [chosen["text"].split(" — ")[0] for chosen in lists] == [f"1. {KTH}", f"1. {EPFL}"]
    for chosen in lists:
        # Every line of it, and the whole of each line (a pixel for rounding).
        assert chosen["needed"]["height"] <= chosen["shown"]["height"] + 1, chosen
        assert chosen["needed"]["width"] <= chosen["shown"]["width"] + 1, chosen
    # The page never scrolls sideways; on a laptop, the table does not either.
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    if size is LAPTOP:
        assert table.evaluate("box => box.scrollWidth <= box.clientWidth")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_proposal_and_its_reasons_read_as_lines_on_a_phone(allocation_page, shot, language):
    """At 375 px the column of the proposal and its reasons held about a word a line."""
    page = allocation_page(PHONE, language)
    cells = page.locator("td.allocation-proposal")
    assert cells.count() == 2
    shot(page, "proposals")
    for width in cells.evaluate_all("cells => cells.map(cell => cell.clientWidth)"):
        assert width >= 14 * 16, width  # about forty characters of the table's text a line
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
