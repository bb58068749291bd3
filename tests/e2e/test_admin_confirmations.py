"""The admin's two confirmations, sent back by a browser: the partners import's text (with the
line breaks a browser gives a form's values) and the agreements' extension by one year."""

from playwright.sync_api import expect

from apps.accounts.demo_data import DEMO_PASSWORD
from apps.accounts.models import Role
from apps.programmes.importing import COLUMNS
from apps.programmes.models import Agreement, Partner
from tests.e2e.journeys import log_in
from tests.factories import AgreementFactory, UserFactory

TEXT = (
    ",".join(COLUMNS)
    + "\n"
    + 'Universität Zeilen,DE,Berlin,,,de,,exchange,2,2027,,,"Two lines\nof notes"\n'
    + "Universidad Confirmada,ES,,,,,,master,1,2027,2029,,\n"
)


def dri_page(browser, live_server):
    UserFactory(email="dri@example.org", role=Role.DRI, password=DEMO_PASSWORD)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, "dri@example.org", lands_on="/")
    return context, page


def test_a_previewed_file_is_imported_once_confirmed(transactional_db, live_server, browser):
    context, page = dri_page(browser, live_server)
    page.goto("/admin/programmes/partner/import/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "partners.csv", "mimeType": "text/csv", "buffer": TEXT.encode()}],
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("[data-preview]")).to_contain_text("2 partners created")

    page.get_by_role("button", name="Import").click()

    expect(page.locator(".messagelist")).to_contain_text("Partners file imported.")
    assert Partner.objects.count() == 2
    context.close()


def ask_to_extend(page, agreement) -> None:
    page.goto("/admin/programmes/agreement/")
    page.locator(f"input[name=_selected_action][value='{agreement.pk}']").check()
    page.locator("select[name=action]").select_option("extend_one_year")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("[data-extensions]")).to_contain_text("2027–2028")


def test_an_extension_confirmed_twice_extends_once(transactional_db, live_server, browser):
    """The same confirmation sent twice (here from two tabs) added two years."""
    agreement = AgreementFactory(first_year=2024, last_year=2027)
    context, page = dri_page(browser, live_server)
    ask_to_extend(page, agreement)
    other_tab = context.new_page()
    ask_to_extend(other_tab, agreement)
    expect(page.locator("[data-extensions]")).to_contain_text("2028–2029")

    page.get_by_role("button", name="Extend").click()
    expect(page.locator(".messagelist")).to_contain_text("1 agreement extended")
    other_tab.get_by_role("button", name="Extend").click()

    expect(other_tab.locator(".messagelist")).to_contain_text("is not extended")
    assert Agreement.objects.get().last_year == 2028
    context.close()
