"""Browser tests: Playwright for Python driving Debian's chromium against the live server.

Screenshots of each step land in e2e-artifacts/ (git-ignored). Without chromium the tests are
skipped locally; on CI (REQUIRE_SERVICES=1) a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.accessibility import violations

ARTIFACTS = Path(__file__).resolve().parents[2] / "e2e-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM}")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM calls the
    # tests and the database teardown make beside it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


# A phone's screen, as the tests of small screens read the pages.
PHONE = {"width": 375, "height": 740}


def _page_of(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _page_of(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A page on a phone's screen (PHONE)."""
    context, page = _page_of(browser, live_server, viewport=PHONE)
    yield page
    context.close()


@pytest.fixture
def shot(request):
    """shot(page, "step-name") saves a full-page screenshot under e2e-artifacts/<test>/, and
    checks the page as it stands with axe-core: the test fails at its end if any step of the
    journey was not accessible (tests/e2e/accessibility.py)."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))
    found: list[str] = []

    def take(page, step: str) -> Path:
        path = folder / f"{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        found.extend(f"{step}: {line}" for line in violations(page))
        return path

    yield take
    assert found == [], "Not accessible:\n" + "\n".join(found)
