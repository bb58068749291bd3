"""A student writes their motivation in chromium: under the text, how many characters it holds
out of 10,000, as it is typed; a text pasted longer is kept whole (nothing cut by the browser),
the counter says by how much it is too long, and the form refuses it with the text given back."""

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.accounts.models import User
from apps.applications import services
from tests.e2e.journeys import demo_call, exchange_semester, log_in

STUDENT = "student@demo.mobility.example"


@pytest.fixture
def draft(transactional_db):
    seed_demo()
    exchange_semester(STUDENT, "Politecnico di Milano")
    student = User.objects.get(email=STUDENT)
    return services.application_start(actor=student, call=demo_call())


def test_the_motivation_counts_its_characters_and_is_never_cut(draft, page, shot):
    log_in(page, STUDENT)
    page.goto(f"/applications/{draft.pk}/edit/")
    motivation = page.get_by_label("Motivation")
    counter = page.locator("#id_motivation-count")
    expect(counter).to_have_text("0 / 10,000 characters")
    expect(counter).to_have_attribute("aria-live", "polite")
    expect(motivation).to_have_attribute(
        "aria-describedby", "id_motivation_helptext id_motivation-count"
    )

    motivation.fill("Robots, 🤖 and lakes.\nAnd skiing.")
    expect(counter).to_have_text("32 / 10,000 characters")  # the emoji and the break count once
    shot(page, "counting")

    motivation.fill("x" * 10_005)  # as a paste: the browser cuts nothing
    expect(counter).to_have_text("10,005 / 10,000 characters: 5 too many")
    assert len(motivation.input_value()) == 10_005
    shot(page, "too-long")

    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text(
            "The text is 5 characters too long: 10,005 for at most 10,000. Shorten it; nothing "
            "was saved.",
            exact=True,
        )
    ).to_be_visible()
    assert len(page.get_by_label("Motivation").input_value()) == 10_005
    expect(page.locator("#id_motivation-count")).to_have_text(
        "10,005 / 10,000 characters: 5 too many"
    )
    draft.refresh_from_db()
    assert draft.motivation == ""
