"""axe-core, the accessibility engine of browser extensions and RGAA audits, run on a page."""

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

# WCAG 2.2 levels A and AA, and axe's best practices (landmarks, one main heading, ...).
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

axe = Axe()


def violations(page) -> list[str]:
    """axe-core's findings on the page as it stands, one line per rule and element."""
    page.wait_for_load_state()
    try:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": RULES}})
    except PlaywrightError as error:
        # A step that sent a form may still be on its way to the next page: check that one.
        if "Execution context was destroyed" not in str(error):
            raise
        page.wait_for_load_state()
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": RULES}})
    return [
        f"{urlsplit(page.url).path}: {violation['id']} ({violation['help']}) "
        f"at {node['html'][:160]}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]
