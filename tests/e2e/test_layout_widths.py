"""The pages fit the common widths: a laptop's 1,280 px, a tablet's 1,024 and 768, a phone's 375,
in French, the portal's first language, whose longer words widen everything."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.accounts.models import User
from apps.applications import services
from apps.applications.models import ActivityKind, Application, ApplicationState, SummerType
from apps.reviews.demo import seed_demo_dossiers
from tests.e2e.conftest import PHONE
from tests.e2e.journeys import exchange_semester, log_in

LAPTOP = {"width": 1280, "height": 800}
TABLET = {"width": 1024, "height": 768}

STUDENT = "student@demo.mobility.example"
LONG_PARTNER = "Norwegian University of Science and Technology"
LONG_HOST = "Karlsruher Institut für Technologie – Internationale Sommerschule"


@pytest.fixture
def window(browser, live_server):
    """window(size) opens a page of that size, read in English until in_language() says else."""
    contexts = []

    def open_window(size):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=size)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_window
    for context in contexts:
        context.close()


def in_language(page, language: str) -> None:
    """The site's pages read in `language` from the next one on. The cookie is set for the
    site's root: set for the page's address, it held for that page's path only, and once a
    first cookie for the root was set, the server read that one (the last of the two it was
    sent), so a second language set from a page below the root never applied."""
    scheme, host = urlsplit(page.url)[:2]
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": f"{scheme}://{host}/"}]
    )


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# Where each role signs in (the page they land on) and a page of theirs in the menu.
PERSONAS = [
    ("student@demo.mobility.example", "/dashboard/", "/plan/"),
    ("advisor@demo.mobility.example", "/", "/advisor/course-plans/"),
    ("dri@demo.mobility.example", "/", "/staff/applications/"),
    ("dfi@demo.mobility.example", "/", "/staff/applications/"),
    ("admin@demo.mobility.example", "/", "/staff/applications/"),
]

MENU_LINE = """nav => {
  const row = nav.querySelector('.container').getBoundingClientRect();
  const items = [nav.querySelector('.navbar-brand'),
                 ...nav.querySelectorAll('#nav-main > .navbar-nav > .nav-item')];
  const boxes = items.map(item => item.getBoundingClientRect());
  const tops = boxes.map(box => box.top);
  return {
    height: nav.getBoundingClientRect().height,
    rows: Math.max(...tops) - Math.min(...tops),
    beyond: Math.max(...boxes.map(box => box.right)) - row.right,
  };
}"""


@pytest.mark.parametrize(("email", "lands_on", "path"), PERSONAS)
def test_the_menu_is_one_line_on_a_laptop(
    transactional_db, live_server, window, shot, email, lands_on, path
):
    """At 1,280 px (1,366 alike) every role's menu is open on one line, in French and in
    English, even under a long name; it folds into the burger menu on a tablet. It folded below
    1,400 px, and the DRI's and the admin's ran past the window even there."""
    seed_demo()
    User.objects.filter(email=email).update(
        first_name="Marie-Charlotte", last_name="de La Tour d'Auvergne-Lauraguais"
    )
    page = window(LAPTOP)
    log_in(page, email, lands_on=lands_on)
    for language in ("fr", "en"):
        in_language(page, language)
        page.goto(path)
        page.wait_for_load_state()
        shot(page, f"laptop-{language}")
        nav = page.locator("nav.navbar")
        expect(nav.locator(".navbar-toggler")).to_be_hidden()
        expect(nav.locator("#nav-main")).to_be_visible()
        line = nav.evaluate(MENU_LINE)
        assert line["rows"] < 8, line  # every item on the brand's line
        assert line["height"] < 64, line  # a single line: 56 px
        assert line["beyond"] <= 0, line
        assert scroll_width(page) <= LAPTOP["width"]
        # The page shown is marked, for screen readers too.
        expect(nav.locator('[aria-current="page"]')).to_have_attribute("href", path)
    bell = page.locator("#notification-bell .nav-label-when-folded")
    assert bell.bounding_box()["width"] <= 1  # the bar shows the bell alone
    page.set_viewport_size(TABLET)
    expect(page.locator("nav.navbar .navbar-toggler")).to_be_visible()
    expect(page.locator("#nav-main")).to_be_hidden()
    # Folded, the bell is named beside it (a bare icon among the menu's words).
    page.locator("nav.navbar .navbar-toggler").click()
    expect(bell).to_be_visible()
    assert bell.bounding_box()["width"] > 40


def test_staff_reach_their_other_pages_with_the_keyboard(
    transactional_db, live_server, window, shot
):
    """The DRI's Dashboard, Operations, Programmes, catalogue and admin site are under "More":
    a button that opens with Enter, is walked with the arrows and closes with Escape. Their
    language switch is in their own menu."""
    seed_demo()
    page = window(LAPTOP)
    log_in(page, "dri@demo.mobility.example", lands_on="/")
    in_language(page, "fr")
    page.goto("/staff/dashboard/")
    more = page.locator("nav.navbar #nav-more")
    # Underlined, like the link of the page shown, when that page is under it.
    expect(more).to_have_class(re.compile(r"\bactive\b"))
    expect(more).to_have_attribute("aria-expanded", "false")
    more.focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    shot(page, "more")
    page.keyboard.press("ArrowDown")
    expect(page.locator(":focus")).to_have_attribute("href", "/staff/dashboard/")
    expect(page.locator(":focus")).to_have_attribute("aria-current", "page")
    page.keyboard.press("ArrowDown")
    expect(page.locator(":focus")).to_have_text("Nominations aux partenaires")
    page.keyboard.press("ArrowDown")
    expect(page.locator(":focus")).to_have_text("Opérations")
    page.keyboard.press("Escape")
    expect(more).to_have_attribute("aria-expanded", "false")
    expect(more).to_be_focused()

    page.locator("nav.navbar #nav-user").click()
    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/staff/dashboard/$"))


def summer_stay(email: str, host_name: str, year: int) -> None:
    student = User.objects.get(email=email)
    services.activity_create(
        actor=student,
        plan=services.plan_for_student(student),
        fields={
            "kind": ActivityKind.SUMMER_STAY,
            "start": date(year, 7, 1),
            "end": date(year, 8, 25),
            "host_name": host_name,
            "country": "DE",
            "summer_type": SummerType.SUMMER_SCHOOL,
        },
    )


BAR_LABELS = """svg => [...svg.querySelectorAll('.timeline-label')].map(label => {
  const group = label.closest('g');
  const bar = group.querySelector('rect').getBoundingClientRect();
  const box = label.getBoundingClientRect();
  return {
    text: label.textContent, title: group.querySelector('title').textContent,
    inside: box.left >= bar.left && box.right <= bar.right,
    cut: label.scrollWidth > label.clientWidth,
    ellipsis: getComputedStyle(label).textOverflow === 'ellipsis',
  };
})"""


def test_a_long_host_name_ends_with_an_ellipsis_inside_its_bar(
    transactional_db, live_server, window, shot
):
    """Each bar's label stops at its bar's end with an ellipsis (it ran past the bar, and off
    the picture); the full name stays the bar's tooltip and is read once by screen readers, in
    the picture's description. On a phone the picture scrolls in its box at a readable size."""
    seed_demo()
    semester = exchange_semester(STUDENT, LONG_PARTNER)
    summer_stay(STUDENT, LONG_HOST, semester.end.year)
    page = window(LAPTOP)
    log_in(page, STUDENT)
    in_language(page, "fr")
    page.goto("/plan/")
    shot(page, "plan")
    timeline = page.locator("svg.plan-timeline")
    labels = timeline.evaluate(BAR_LABELS)
    assert [label["text"] for label in labels] == [LONG_PARTNER, LONG_HOST]
    for label in labels:
        assert label["inside"], label
        assert label["cut"] and label["ellipsis"], label
        assert label["text"] in label["title"]
    # Screen readers get each name once: from the picture's name, not again from its drawing.
    described = timeline.aria_snapshot()
    assert described.count(LONG_PARTNER) == 1 and described.count(LONG_HOST) == 1, described

    page.set_viewport_size(PHONE)
    shot(page, "plan-phone")
    text_size = timeline.evaluate(
        "svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * 12"
    )
    assert text_size >= 9  # 4 px when the picture shrank to the phone's width
    assert scroll_width(page) <= PHONE["width"]


def test_a_long_chart_label_ends_with_an_ellipsis_before_its_bar(
    transactional_db, live_server, window, shot
):
    """In French "Acceptée par l'établissement d'accueil" ran off the dashboard chart's left
    edge; it is cut with an ellipsis before its bar, whole in the table beside."""
    seed_demo()
    seed_demo_dossiers()
    Application.objects.filter(student__email="hugo.leroy@demo.mobility.example").update(
        state=ApplicationState.ACCEPTED
    )
    page = window(LAPTOP)
    log_in(page, "dri@demo.mobility.example", lands_on="/")
    in_language(page, "fr")
    page.goto("/staff/dashboard/")
    shot(page, "dashboard")
    labels = page.locator("svg.reporting-chart").first.evaluate(
        """svg => [...svg.querySelectorAll('.chart-label')].map(label => {
          const picture = svg.getBoundingClientRect();
          const bar = label.closest('g').querySelector('rect').getBoundingClientRect();
          const box = label.getBoundingClientRect();
          return {text: label.textContent, cut: label.scrollWidth > label.clientWidth,
                  inside: box.left >= picture.left && box.right <= bar.left};
        })"""
    )
    accepted = next(label for label in labels if label["text"].startswith("Acceptée"))
    assert accepted["cut"], accepted
    assert all(label["inside"] for label in labels), labels


# Every text the dashboard's charts show (not their titles, descriptions and tooltips, which
# are not drawn): its size in the window's pixels (an SVG's text is scaled with its picture),
# whether it lies inside its chart's box, and whether it shows whole or cut with an ellipsis.
# A chart of one pixel is hidden but for screen readers.
CHART_TEXTS = """main => [...main.querySelectorAll('.reporting-chart, .reporting-bars')]
  .filter(chart => chart.getBoundingClientRect().width > 1)
  .flatMap(chart => {
    const box = chart.getBoundingClientRect();
    const scale = chart.viewBox ? box.width / chart.viewBox.baseVal.width : 1;
    const walker = document.createTreeWalker(chart, NodeFilter.SHOW_TEXT);
    const texts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const drawn = range.getBoundingClientRect();
      if (!node.textContent.trim() || drawn.width === 0) continue;
      const element = node.parentElement;
      const style = getComputedStyle(element);
      const shown = element.getBoundingClientRect();
      texts.push({
        chart: chart.tagName, text: node.textContent.trim(),
        size: parseFloat(style.fontSize) * scale,
        inside: shown.left >= box.left - 0.5 && shown.right <= box.right + 0.5,
        whole: element.scrollWidth <= element.clientWidth || style.textOverflow === 'ellipsis',
      });
    }
    return texts;
  })"""


@pytest.mark.parametrize("size", [PHONE, {"width": 320, "height": 740}], ids=["375", "320"])
def test_the_dashboard_charts_are_readable_on_a_phone(
    transactional_db, live_server, window, shot, size
):
    """The charts' pictures shrank to a phone's width with their text, to 7 px at 375 px: on a
    phone each bar takes the column's width, its label above it, in the page's own text size.
    A laptop still shows the pictures."""
    seed_demo()
    seed_demo_dossiers()
    Application.objects.filter(student__email="hugo.leroy@demo.mobility.example").update(
        state=ApplicationState.ACCEPTED
    )
    page = window(size)
    log_in(page, "dri@demo.mobility.example", lands_on="/")
    in_language(page, "fr")
    page.goto("/staff/dashboard/")
    shot(page, "dashboard")
    texts = page.locator("#main").evaluate(CHART_TEXTS)
    assert {text["chart"] for text in texts} == {"DIV"}, texts
    assert any(text["text"].startswith("Acceptée") for text in texts), texts
    for text in texts:
        assert text["size"] >= 10, text
        assert text["inside"] and text["whole"], text
    assert scroll_width(page) <= size["width"]

    page.set_viewport_size(LAPTOP)
    texts = page.locator("#main").evaluate(CHART_TEXTS)
    assert {text["chart"] for text in texts} == {"svg"}, texts
    assert scroll_width(page) <= LAPTOP["width"]


# Key pages of each role; {dossier} is Léa Petit's application, with a timeline, {stay} the stay
# it chose, with a course plan.
PHONE_PAGES = [
    (STUDENT, "/dashboard/", ["/dashboard/", "/plan/", "/applications/", "/catalogue/"]),
    (
        "lea.petit@demo.mobility.example",
        "/dashboard/",
        [
            "/plan/activities/{stay}/courses/",
            "/plan/activities/{stay}/courses/versions/",
            "/plan/activities/{stay}/courses/versions/1/",
        ],
    ),
    ("advisor@demo.mobility.example", "/", ["/", "/advisor/course-plans/"]),
    (
        "dri@demo.mobility.example",
        "/",
        [
            "/staff/applications/",
            "/staff/applications/{dossier}/",
            "/staff/dashboard/",
            "/advisor/validations/",
        ],
    ),
]


@pytest.mark.parametrize(("email", "lands_on", "paths"), PHONE_PAGES)
def test_key_pages_do_not_scroll_sideways_on_a_phone(
    transactional_db, live_server, window, shot, email, lands_on, paths
):
    seed_demo()
    seed_demo_dossiers()
    application = Application.objects.get(student__email="lea.petit@demo.mobility.example")
    dossier, stay = application.pk, application.choices.get().activity_id
    page = window(PHONE)
    log_in(page, email, lands_on=lands_on)
    in_language(page, "fr")
    for path in paths:
        page.goto(path.format(dossier=dossier, stay=stay))
        page.wait_for_load_state()
        shot(page, "phone")
        assert scroll_width(page) <= PHONE["width"], path


# Whether each of a form's boxes shows its whole text: a select its chosen option, a text box
# its hint; neither says when it cuts them, so the text is measured in the box's font.
TEXTS_CUT = """form => [...form.querySelectorAll('input[placeholder], select')].filter(box => {
  const style = getComputedStyle(box);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = style.font;
  const text = box.tagName === 'SELECT' ? box.options[box.selectedIndex].text : box.placeholder;
  const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return pen.measureText(text).width > room;
}).map(box => box.name)"""


@pytest.mark.parametrize("size", [LAPTOP, TABLET], ids=["laptop", "tablet"])
@pytest.mark.parametrize(
    ("email", "lands_on", "path"),
    [
        ("dri@demo.mobility.example", "/", "/staff/applications/"),
        (STUDENT, "/dashboard/", "/catalogue/"),
        ("advisor@demo.mobility.example", "/", "/"),
    ],
    ids=["queue", "catalogue", "advisees"],
)
def test_the_filters_show_their_whole_text(
    transactional_db, live_server, window, size, email, lands_on, path
):
    """In French the search boxes' hints and the queue's sort order were cut ("Nom, e-mail ou
    numéro d'étu", "Dépôt, du plus ancien au plu", "Nom, ville ou dom"), and the search of the
    advisor's students even in English ("Name, e-mail or studer"): they take more room."""
    seed_demo()
    page = window(size)
    log_in(page, email, lands_on=lands_on)
    in_language(page, "fr")
    page.goto(path)
    assert page.get_by_role("search").evaluate(TEXTS_CUT) == []


def test_the_validation_filter_takes_a_phone_s_width(transactional_db, live_server, window, shot):
    """Beside its button the list of the validation queue's filter was cut ("En attente de
    la"); on a phone it takes the whole width, the button below it."""
    seed_demo()
    page = window(PHONE)
    log_in(page, "dri@demo.mobility.example", lands_on="/")
    in_language(page, "fr")
    page.goto("/advisor/validations/")
    shot(page, "validations")
    assert page.locator("#main form").first.evaluate(TEXTS_CUT) == []


# The headings of the sections whose table scrolls sideways.
TABLES_SCROLLED = """() => [...document.querySelectorAll('#main .table-responsive')]
  .filter(box => box.scrollWidth > box.clientWidth)
  .map(box => box.closest('section').querySelector('h2').textContent.trim())"""


def test_the_advisors_tables_fit_a_phone(transactional_db, live_server, window, shot):
    """On a phone the queue's table scrolled sideways in French: what the advisor looks for,
    how many courses await them, was off the screen; version and dates go under the stay. So
    did the list of their students on their home page; track, year and filière go under the
    name."""
    seed_demo()
    seed_demo_dossiers()
    page = window(PHONE)
    log_in(page, "advisor@demo.mobility.example", lands_on="/")
    in_language(page, "fr")
    page.goto("/")
    page.wait_for_load_state()
    shot(page, "home")
    assert page.evaluate(TABLES_SCROLLED) == []
    expect(page.get_by_role("row", name="Léa Petit")).to_contain_text("Informatique")
    page.goto("/advisor/course-plans/")
    page.wait_for_load_state()
    shot(page, "queue")
    assert page.evaluate(TABLES_SCROLLED) == []
    expect(page.get_by_role("cell", name="4 sur 4")).to_be_in_viewport()


FIRST_BAR_IN_VIEW = """box => {
  const seen = box.getBoundingClientRect();
  const lefts = [...box.querySelectorAll('.timeline-bar')].map(
    bar => bar.getBoundingClientRect().left);
  const first = Math.min(...lefts);
  return {scrolled: box.scrollLeft, inView: first >= seen.left && first < seen.right - 40};
}"""


def test_on_a_phone_the_timeline_opens_on_the_first_stay(
    transactional_db, live_server, phone, shot
):
    """On a phone the timeline scrolls in its box and opened on the first year: a student
    whose stays are all in 3A saw an empty picture, and had to guess it scrolled."""
    seed_demo()
    exchange_semester(STUDENT, LONG_PARTNER)
    log_in(phone, STUDENT)
    phone.goto("/plan/")
    box = phone.locator(".timeline-scroll")
    shot(phone, "plan-phone")
    placed = box.evaluate(FIRST_BAR_IN_VIEW)
    assert placed["scrolled"] > 0 and placed["inView"], placed
    assert scroll_width(phone) <= PHONE["width"]
