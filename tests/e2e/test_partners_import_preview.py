"""The DRI imports a partners file from the admin: the preview shows each value it changes and,
marked and counted at the top, each one it erases, before the DRI imports it."""

from playwright.sync_api import expect

from apps.accounts.demo import DEMO_PASSWORD
from apps.accounts.models import Role
from apps.programmes.models import Partner
from tests.e2e.journeys import log_in
from tests.factories import UserFactory
from tests.programmes.test_import_partners_preview import HEADER, POLIMI_ROW, polimi


def test_the_dri_sees_what_a_file_changes_and_erases_then_imports_it(
    transactional_db, live_server, page, shot, tmp_path
):
    dri = UserFactory(email="dri@example.org", role=Role.DRI)
    dri.set_password(DEMO_PASSWORD)
    dri.save()
    polimi()
    erasing = "Politecnico di Milano,IT,,,,,,-,master,1,2026,,-,"
    path = tmp_path / "partners.csv"
    path.write_text(f"{HEADER}\n{POLIMI_ROW}\n{erasing}\n", encoding="utf-8")
    log_in(page, "dri@example.org", lands_on="/")
    page.goto("/admin/programmes/partner/import/")
    expect(page.locator("[data-empty-rule]")).to_be_visible()
    shot(page, "upload")

    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("input[type=submit]").click()

    expect(page.locator("[data-erased]")).to_contain_text("1 value will be erased")
    partner = page.locator("details[data-partner='Politecnico di Milano']")
    expect(partner.locator("tr[data-field=city] [data-old]")).to_have_text("Milan")
    expect(partner.locator("tr[data-field=city] [data-new]")).to_have_text("Milano")
    expect(partner.locator("tr.import-erased[data-field=fields]")).to_be_visible()
    shot(page, "preview")

    page.get_by_role("button", name="Import").click()

    expect(page).to_have_url(f"{live_server.url}/admin/programmes/partner/")
    expect(page.locator(".messagelist")).to_contain_text("Partners file imported.")
    politecnico = Partner.objects.get(name="Politecnico di Milano")
    assert politecnico.city == "Milano"
    assert not politecnico.fields.exists()
    assert politecnico.agreements.get(kind="exchange").language_requirement == "English B2"
