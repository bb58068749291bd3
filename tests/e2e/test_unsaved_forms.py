"""Nothing typed is lost by a click elsewhere on the page (static/js/unsaved-forms.js): the
language switch brings what was typed back in the form, in the other language, with a note that
it is not saved yet; leaving a form with changes asks the browser's own question first, but
sending the form does not. In French, the portal's first language, and in English."""

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.applications.models import Activity
from tests.e2e.journeys import choose_option, log_in, submitted_application
from tests.e2e.test_layout_widths import in_language

STUDENT = "student@demo.mobility.example"
DRI = "dri@demo.mobility.example"
LEA = "lea.petit@demo.mobility.example"
OTHER = {"fr": ("en", "English"), "en": ("fr", "Français")}
KEPT = {
    "en": "What you typed before changing the language is back in the form. It is not saved yet.",
}


@pytest.fixture
def demo_world(transactional_db):
    seed_demo()


@pytest.fixture
def dialogs(page):
    """The browser's dialogs the page opened, by type; each is dismissed (the reader stays)."""
    seen: list[str] = []

    def answer(dialog):
        seen.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    return seen


def new_activity_form(page, language: str) -> None:
    log_in(page, STUDENT)
    in_language(page, language)
    page.goto("/plan/activities/new/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def type_a_semester(page) -> None:
    page.locator("#id_kind").select_option("exchange_semester")
    page.locator("#id_start").fill("2027-09-01")
    page.locator("#id_end").fill("2028-01-31")
    choose_option(page, "#id_partner", "Technische Universität Berlin")
    page.locator("#id_ects").fill("30")
    live_check_settled(page)


def live_check_settled(page) -> None:
    """The live check has answered what was typed (the test server's database takes one
    request at a time)."""
    expect(page.locator("#live-check")).not_to_contain_text("Fill in the activity")
    page.wait_for_timeout(700)  # the check waits for a pause in the typing
    expect(page.locator("#activity-form.htmx-request")).to_have_count(0)


def expect_kept_note(page, language: str) -> None:
    """The note that what came back is not saved yet, read out (a live region) in `language`."""
    note = page.get_by_role("status").filter(has_text=re.compile(".+"))
    expect(note).to_have_attribute("id", "unsaved-note")
    expect(note).to_have_text(page.locator("html").get_attribute("data-unsaved-kept"))
    if language in KEPT:
        expect(note).to_have_text(KEPT[language])


def switch_language(page, language: str) -> str:
    other, name = OTHER[language]
    page.locator("#nav-user").click()
    page.get_by_role("button", name=name).click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    return other


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_language_switch_keeps_what_was_typed(demo_world, page, dialogs, shot, language):
    new_activity_form(page, language)
    type_a_semester(page)
    page.locator("#id_ects").fill("20")  # too few for a semester: the live check says so
    other = switch_language(page, language)

    expect(page).to_have_url(re.compile(r"/plan/activities/new/$"))
    expect(page.locator("#id_kind")).to_have_value("exchange_semester")
    expect(page.locator("#id_start")).to_have_value("2027-09-01")
    expect(page.locator("#id_end")).to_have_value("2028-01-31")
    expect(page.locator("#id_partner option:checked")).to_contain_text("Berlin")
    expect(page.locator("#id_ects")).to_have_value("20")
    # The fields of the kind that came back show; those of other kinds stay hidden.
    expect(page.locator("#id_ects")).to_be_visible()
    expect(page.locator("#id_summer_type")).to_be_hidden()
    # The live check looked at what came back.
    expect(page.locator('#live-check [data-rule="SEMESTER_ECTS"]')).to_be_visible()

    expect_kept_note(page, other)
    assert dialogs == []  # the switch asked nothing
    assert Activity.objects.count() == 0  # kept in the page, not saved
    # Written back once: the tab keeps nothing for a later visit.
    kept = "Object.keys(sessionStorage).filter(key => key.startsWith('unsaved-forms:'))"
    assert page.evaluate(kept) == []
    shot(page, "typing-kept-in-the-other-language")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_sending_the_form_asks_nothing(demo_world, page, dialogs, language):
    new_activity_form(page, language)
    type_a_semester(page)
    page.locator("#activity-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/plan/$"))
    assert Activity.objects.count() == 1
    assert dialogs == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_leaving_a_form_with_changes_asks_first(demo_world, page, dialogs, language):
    new_activity_form(page, language)
    breadcrumb = page.locator(".breadcrumb a").first

    breadcrumb.click()  # nothing typed: nothing asked
    expect(page).to_have_url(re.compile(r"/plan/$"))
    assert dialogs == []

    page.goto("/plan/activities/new/")
    page.locator("#id_host_name").fill("Universidad de Chile")
    with page.expect_event("dialog"):
        breadcrumb.click()
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(re.compile(r"/plan/activities/new/$"))  # dismissed: still here
    expect(page.locator("#id_host_name")).to_have_value("Universidad de Chile")

    page.locator("#id_host_name").fill("")  # typed, then taken back: no change left
    breadcrumb.click()
    expect(page).to_have_url(re.compile(r"/plan/$"))
    assert dialogs == ["beforeunload"]


def test_a_form_back_with_its_error_keeps_what_was_typed_across_the_switch(
    demo_world, page, dialogs
):
    """The form came back with its error, filled with what was sent: the switch leads to the
    form's own page, which the server shows empty; what was typed comes back there."""
    new_activity_form(page, "en")
    page.locator("#id_kind").select_option("exchange_semester")
    page.locator("#id_start").fill("2027-09-01")
    page.locator("#id_end").fill("2028-01-31")
    page.locator("#id_host_name").fill("Universidad de Chile")
    live_check_settled(page)
    page.locator("#activity-form button[type=submit]").click()
    expect(page.locator("#id_country")).to_have_class(re.compile("is-invalid"))
    live_check_settled(page)

    switch_language(page, "en")
    expect(page.locator("#id_host_name")).to_have_value("Universidad de Chile")
    expect(page.locator("#id_start")).to_have_value("2027-09-01")
    expect_kept_note(page, "fr")
    assert dialogs == []


def test_a_dossier_keeps_the_staffs_typing_across_the_switch(demo_world, page, dialogs, shot):
    """The DRI's internal comment and a half-written refusal come back in the other language;
    sending another form of the dossier asks nothing (the comment is kept for the page that
    comes back); leaving with the comment typed asks first."""
    lea = submitted_application(LEA, ["École polytechnique fédérale de Lausanne"])
    log_in(page, DRI, lands_on="/")
    page.goto(f"/staff/applications/{lea.pk}/")
    comment = page.locator("#id_comment-text")
    comment.fill("Check the language certificate")
    refusal = page.locator("form[action$='/refuse/']").get_by_label("Reason for the refusal")
    refusal.fill("Too late")

    switch_language(page, "en")
    expect(comment).to_have_value("Check the language certificate")
    expect(page.locator("form[action$='/refuse/'] textarea")).to_have_value("Too late")
    expect_kept_note(page, "fr")
    shot(page, "dossier-typing-kept")

    page.locator("form[action$='/refuse/'] textarea").fill("")
    page.locator("form[action$='/take/'] button[type=submit]").click()
    expect(comment).to_have_value("Check the language certificate")
    assert dialogs == []

    with page.expect_event("dialog"):
        page.locator(".navbar-brand").click()
    assert dialogs == ["beforeunload"]


def test_a_choice_no_longer_offered_is_not_forced_in(demo_world, page, dialogs):
    """A partner chosen before the switch and gone from the list after it: the list shows its
    first line again, and the rest of the typing comes back."""
    new_activity_form(page, "en")
    page.locator("#id_kind").select_option("exchange_semester")
    page.locator("#id_host_name").fill("Universidad de Chile")
    page.locator("#id_partner").evaluate(
        "select => { select.add(new Option('Gone', '999999')); select.value = '999999'; }"
    )
    switch_language(page, "en")
    expect(page.locator("#id_host_name")).to_have_value("Universidad de Chile")
    assert page.locator("#id_partner").evaluate("select => select.selectedIndex") == 0


def test_a_switch_that_cannot_keep_the_typing_asks_first(demo_world, page, dialogs):
    """A tab whose session storage refuses (full, or a private window's): the switch would lose
    what was typed, so it asks as a link would."""
    new_activity_form(page, "en")
    page.locator("#id_host_name").fill("Universidad de Chile")
    page.evaluate(
        "() => { Storage.prototype.setItem = function () { throw new DOMException('full'); }; }"
    )
    page.locator("#nav-user").click()
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Français").click()
    assert dialogs == ["beforeunload"]
    expect(page.locator("html")).to_have_attribute("lang", "en")  # dismissed: still here
    expect(page.locator("#id_host_name")).to_have_value("Universidad de Chile")


def test_the_login_form_asks_nothing(demo_world, page, dialogs):
    """An e-mail address alone is no work to lose: the way to a forgotten password is open."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(STUDENT)
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/$"))
    assert dialogs == []


def test_a_form_htmx_sent_and_the_server_took_is_saved(demo_world, page, dialogs):
    """A form sent by htmx leaves the page where it is: once the server took it, leaving asks
    nothing. (No page of the portal sends a form that way yet: the plan's form of facts is made
    one here, answered by the browser.)"""
    log_in(page, STUDENT)
    page.goto("/plan/")
    page.route("**/saved-by-htmx/", lambda route: route.fulfill(status=200, body=""))
    facts = page.locator("form[action$='/plan/facts/']")
    facts.evaluate(
        """form => {
            form.setAttribute("hx-post", "/saved-by-htmx/");
            form.setAttribute("hx-swap", "none");
            htmx.process(form);
        }"""
    )
    page.locator("#id_engineering_internship_validated").click()
    with page.expect_response("**/saved-by-htmx/"):
        facts.locator("button[type=submit]").click()
    expect(page.locator(".htmx-request")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/plan/$"))
    page.locator(".navbar-brand").click()
    expect(page).not_to_have_url(re.compile(r"/plan/$"))
    assert dialogs == []


def test_a_download_asks_nothing_and_keeps_what_was_typed(demo_world, page, dialogs):
    """The erasure page offers the student's data beside the reason they may type: the
    archive downloads and the page stays, so nothing is asked (the question, dismissed,
    cancelled the download). Leaving afterwards with the reason typed still asks."""
    log_in(page, STUDENT)
    in_language(page, "en")
    page.goto("/privacy/erasure/")
    reason = page.get_by_label("Reason")
    reason.fill("I am leaving the school")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    assert download.value.suggested_filename.endswith(".zip")
    assert dialogs == []
    expect(reason).to_have_value("I am leaving the school")

    with page.expect_event("dialog"):
        page.locator(".navbar-brand").click()
    assert dialogs == ["beforeunload"]


def test_a_document_opens_in_a_tab_of_its_own_and_the_dossier_asks_nothing(
    demo_world, page, dialogs
):
    """An officer half-way through a comment opens the student's CV: the browser asked "leave
    the page?" for the download, and the download did not come when the reader stayed."""
    lea = submitted_application(LEA, ["École polytechnique fédérale de Lausanne"])
    log_in(page, DRI, lands_on="/")
    in_language(page, "en")
    page.goto(f"/staff/applications/{lea.pk}/")
    comment = page.locator("#id_comment-text")
    comment.fill("Check the language certificate")
    document = page.locator("a[href$='/download/']").first
    expect(document).to_contain_text("(opens in a new tab)")
    with page.context.expect_page() as opened:
        document.click()
    opened.value.close()
    assert dialogs == []
    expect(comment).to_have_value("Check the language certificate")
    expect(page).to_have_url(re.compile(rf"/staff/applications/{lea.pk}/$"))


def test_the_script_is_served(demo_world, page):
    response = page.request.get("/static/js/unsaved-forms.js")
    assert response.ok
    assert "javascript" in response.headers["content-type"]
    assert "beforeunload" in response.text()
