"""The staff side in chromium: the study advisor decides a course plan line by line, the DRI
filters the queue, scores a dossier and allocates the call's seats, and the nominated student
hears of it."""

import pytest
from playwright.sync_api import expect

from apps.accounts.demo import seed_demo
from apps.accounts.models import User
from apps.applications.models import (
    Application,
    ApplicationState,
    CoursePlan,
    CoursePlanStatus,
    LineDecision,
)
from apps.reviews.services.allocation import allocation_confirm
from tests.e2e.journeys import (
    course_plan_sent,
    demo_call,
    log_in,
    main_menu,
    submitted_application,
)
from tests.reviews.allocation.builders import versions

STUDENT = "student@demo.mobility.example"  # Camille Martin, advised by ADVISOR
ADVISOR = "advisor@demo.mobility.example"
DRI = "dri@demo.mobility.example"
LEA = "lea.petit@demo.mobility.example"
HUGO = "hugo.leroy@demo.mobility.example"
BERLIN = "Technische Universität Berlin"
EPFL = "École polytechnique fédérale de Lausanne"
KTH = "KTH Royal Institute of Technology"
MILAN = "Politecnico di Milano"

DISTRIBUTED = {"code": "IV-1001", "title": "Distributed systems", "ects": 6}
LEARNING = {"code": "IV-2040", "title": "Machine learning", "ects": 6}
GERMAN = {"code": "SP-1010", "title": "German for engineers", "ects": 3}
VISION = {"code": "IV-3300", "title": "Computer vision", "ects": 6}


@pytest.fixture
def demo_world(transactional_db):
    seed_demo()


def course_line(course: dict) -> dict:
    return {**course, "semester": "Winter semester", "home_requirement": "Electives"}


def test_advisor_approves_a_course_plan_line_by_line(demo_world, page, shot):
    # The course plan of a stay the student applied for: the advisor's queue lists no other.
    semester = submitted_application(STUDENT, [BERLIN]).choices.get().activity
    course_plan_sent(semester, [course_line(c) for c in (DISTRIBUTED, LEARNING, GERMAN)])

    log_in(page, ADVISOR, lands_on="/")
    main_menu(page).get_by_role("link", name="Course plans to review").click()
    expect(page.get_by_role("heading", name="1 course plan awaits your decision")).to_be_visible()
    expect(page.get_by_role("row", name="Camille Martin")).to_contain_text("3 of 3")
    shot(page, "queue")

    page.get_by_role("link", name=BERLIN).click()
    expect(
        page.get_by_role("heading", name="Course plan of Camille Martin, version 1")
    ).to_be_visible()
    shot(page, "version-1")

    for course in (DISTRIBUTED, LEARNING):
        approve(page, course)
    # A wrong click: the approval is undone, and the course awaits the advisor again.
    learning = line_card(page, LEARNING)
    learning.get_by_role("button", name="Undo this decision").click()
    expect(page.get_by_text(f"Decision on {LEARNING['code']} undone")).to_be_visible()
    expect(learning.locator(".badge")).to_have_text("Awaiting decision")
    approve(page, LEARNING)
    german = line_card(page, GERMAN)
    german.get_by_role("button", name="Reject").click()
    expect(german.get_by_role("alert")).to_contain_text("Say why the course")
    shot(page, "rejection-needs-a-reason")
    reason = "A language course does not replace an elective: choose a technical course."
    german.get_by_label("Comment for the student").fill(reason)
    german.get_by_role("button", name="Reject").click()
    # The last course decides the whole plan: that is confirmed first, and nothing is sent yet.
    confirm = page.get_by_role("region", name="Confirm your decision on the whole course plan")
    expect(confirm).to_contain_text("1 course rejected")
    shot(page, "version-1-confirm-the-last-decision")
    confirm.get_by_role("button", name="Confirm and tell the student").click()
    expect(german).to_contain_text(reason)
    expect(page.locator("#main p .badge").first).to_have_text("Some courses refused")
    shot(page, "version-1-lines-rejected")

    # The student replaces the rejected course: version 2 keeps the two approved ones.
    course_plan_sent(semester, [course_line(c) for c in (DISTRIBUTED, LEARNING, VISION)])
    page.get_by_role("link", name="Back to the course plans to review").click()
    expect(page.get_by_role("row", name="Camille Martin")).to_contain_text("1 of 3")
    page.get_by_role("link", name=BERLIN).click()
    expect(page.get_by_role("heading", name="version 2")).to_be_visible()
    changes = page.get_by_role("region", name="What changed since version 1")
    expect(changes).to_contain_text("added IV-3300 Computer vision")
    expect(changes).to_contain_text("removed SP-1010 German for engineers")
    shot(page, "version-2-changes")

    approve(page, VISION, last=True)
    expect(page.locator("#main p .badge").first).to_have_text("Approved")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    shot(page, "version-2-approved")

    latest = CoursePlan.objects.get(activity=semester, version=2)
    assert latest.status == CoursePlanStatus.APPROVED
    assert {line.decision for line in latest.lines.all()} == {LineDecision.APPROVED}
    assert latest.lines.get(code=VISION["code"]).decided_by.email == ADVISOR


def line_card(page, course: dict):
    return page.get_by_role("article", name=f"{course['code']} — {course['title']}")


def approve(page, course: dict, *, last: bool = False) -> None:
    """`last`: the last course awaiting the advisor, whose decision is confirmed first."""
    card = line_card(page, course)
    card.get_by_role("button", name=f"Approve {course['code']}").click()
    if last:
        page.get_by_role("button", name="Confirm and tell the student").click()
    expect(page.get_by_text(f"Decision on {course['code']} recorded.")).to_be_visible()
    expect(card.locator(".badge")).to_have_text("Approved")


def test_dri_filters_the_queue_scores_a_dossier_and_allocates_the_seats(demo_world, page, shot):
    # Three students want one of EPFL's two seats first; Hugo applies last.
    camille = submitted_application(STUDENT, [EPFL, KTH])
    lea = submitted_application(LEA, [EPFL, BERLIN])
    hugo = submitted_application(HUGO, [EPFL, MILAN])

    log_in(page, DRI, lands_on="/")
    main_menu(page).get_by_role("link", name="Applications", exact=True).click()
    expect(page.get_by_text("3 applications match these filters")).to_be_visible()
    shot(page, "queue")

    filters = page.get_by_role("search", name="Filter applications")
    filters.get_by_label("State", exact=True).select_option("submitted")
    filters.get_by_label("Destination country").select_option("IT")
    filters.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 application matches these filters")).to_be_visible()
    expect(page.get_by_role("link", name="Hugo Leroy")).to_be_visible()
    expect(page.get_by_role("link", name="Camille Martin")).to_have_count(0)
    shot(page, "queue-filtered")

    page.get_by_role("link", name="Hugo Leroy").click()
    expect(page.get_by_role("heading", name="Hugo Leroy — Mobilité académique")).to_be_visible()
    page.locator("#id_score-score").fill("15.5")
    page.get_by_role("button", name="Save the score").click()
    expect(page.get_by_text("The ranking score is saved.")).to_be_visible()
    shot(page, "dossier-scored")

    main_menu(page).get_by_role("link", name="Seat allocation").click()
    page.get_by_role("link", name=str(demo_call())).click()
    expect(page.get_by_text("3 applications ranked: 3 placed, 0 unplaced.")).to_be_visible()
    # The score puts Hugo first: EPFL's two seats go to him and Camille, Léa gets Berlin.
    expect(row_of(page, "Hugo Leroy")).to_contain_text("seat 1 of 2")
    expect(row_of(page, "Camille Martin")).to_contain_text("seat 2 of 2")
    expect(row_of(page, "Léa Petit")).to_contain_text("full after 2 better-ranked students")
    shot(page, "proposal")

    page.get_by_role("button", name="Review the allocation").click()
    expect(page.get_by_role("heading", name="Confirm the allocation")).to_be_visible()
    expect(row_of(page, "Léa Petit")).to_contain_text(BERLIN)
    shot(page, "review")

    page.get_by_role("button", name="Nominate 3 students").click()
    expect(page.get_by_text("3 students nominated.")).to_be_visible()
    expect(page.get_by_text("No submitted application waits for a seat")).to_be_visible()
    shot(page, "nominated")

    nominated = {
        application.pk: application.nominated_choice.destination
        for application in Application.objects.filter(state=ApplicationState.NOMINATED)
    }
    assert nominated == {camille.pk: EPFL, lea.pk: BERLIN, hugo.pk: EPFL}


def row_of(page, student: str):
    return page.locator("tbody tr", has=page.get_by_role("rowheader", name=student))


def test_student_sees_the_nomination_and_its_notification(demo_world, page, shot):
    application = submitted_application(STUDENT, [EPFL, KTH])
    decisions = {application.pk: application.choices.get(rank=1).pk}
    allocation_confirm(
        actor=User.objects.get(email=DRI),
        call=application.call,
        decisions=decisions,
        seen=versions(decisions),
    )

    log_in(page, STUDENT)
    bell = main_menu(page).locator("#notification-bell")
    expect(bell).to_be_visible()
    expect(bell.locator("[data-unread]")).to_have_text("1 unread")
    shot(page, "dashboard-unread")

    main_menu(page).get_by_role("link", name="My applications").click()
    mine = page.get_by_role("region", name="Applications", exact=True)
    expect(mine.get_by_role("listitem")).to_contain_text("Nominated")
    shot(page, "applications-nominated")

    main_menu(page).get_by_role("link", name="Notifications").click()
    expect(page.locator("#main").get_by_role("listitem").filter(has_text="New")).to_have_count(1)
    shot(page, "notifications")

    page.get_by_role("button", name="Open").click()
    expect(page.get_by_role("heading", name="Application to Mobilité académique")).to_be_visible()
    expect(page.locator("#main .badge").first).to_have_text("Nominated")
    history = page.get_by_role("region", name="History")
    expect(history.get_by_role("row").last).to_contain_text("Nathalie Girard")
    expect(history.get_by_role("row").last).to_contain_text("Nominated")
    expect(bell.locator("[data-unread]")).to_have_count(0)
    shot(page, "application-nominated")


def test_a_comment_typed_on_one_line_survives_a_decision_on_another(demo_world, page, shot):
    """Each line is a form of its own: deciding one line (refused, then recorded) used to
    bring the page back with the comment typed in another line's box gone."""
    semester = submitted_application(STUDENT, [BERLIN]).choices.get().activity
    course_plan_sent(semester, [course_line(c) for c in (DISTRIBUTED, GERMAN)])
    log_in(page, ADVISOR, lands_on="/")
    main_menu(page).get_by_role("link", name="Course plans to review").click()
    page.get_by_role("link", name=BERLIN).click()

    draft = "Half-written: the language course may count if"
    line_card(page, GERMAN).get_by_label("Comment for the student").fill(draft)
    distributed = line_card(page, DISTRIBUTED)
    distributed.get_by_role("button", name="Reject").click()
    expect(distributed.get_by_role("alert")).to_contain_text("Say why the course")
    expect(line_card(page, GERMAN).get_by_label("Comment for the student")).to_have_value(draft)

    approve(page, DISTRIBUTED)
    expect(line_card(page, GERMAN).get_by_label("Comment for the student")).to_have_value(draft)
    shot(page, "comment-kept")

    page.reload()  # kept for the page that comes back only
    expect(line_card(page, GERMAN).get_by_label("Comment for the student")).to_have_value("")


def test_a_dossier_keeps_what_was_typed_in_its_other_forms(demo_world, page, shot):
    """A dossier is several forms: taking it for review, or a refused refusal, used to bring the
    page back with a half-written internal comment gone."""
    lea = submitted_application(LEA, [EPFL, BERLIN])
    log_in(page, DRI, lands_on="/")
    page.goto(f"/staff/applications/{lea.pk}/")
    comment = page.locator("#id_comment-text")
    draft = "Strong file; check the language certificate before"
    comment.fill(draft)

    page.get_by_role("button", name="Take for review").click()
    expect(page.locator("#main .badge").first).to_have_text("Under review")
    expect(comment).to_have_value(draft)

    refuse = page.locator("form[action$='/refuse/']")
    refuse.get_by_label("Reason for the refusal").fill("Too late")
    refuse.evaluate("form => form.noValidate = true")  # the server's own error, not the browser's
    refuse.get_by_role("button", name="Refuse the application").click()
    expect(page.locator("form[action$='/refuse/'] .invalid-feedback")).to_be_visible()
    expect(comment).to_have_value(draft)
    shot(page, "comment-kept")


def test_dri_withdraws_for_a_student_then_undoes_it(demo_world, page, shot):
    """The student gave up by e-mail, then changed their mind: the office records the
    withdrawal, then undoes it from the same dossier, and the application is back in review."""
    lea = submitted_application(LEA, [EPFL, BERLIN])
    log_in(page, DRI, lands_on="/")
    page.goto(f"/staff/applications/{lea.pk}/")
    page.get_by_role("button", name="Take for review").click()
    expect(page.locator("#main .badge").first).to_have_text("Under review")

    withdraw = page.locator("form[action$='/withdraw/']")
    withdraw.get_by_label("How the student gave up").fill("Her e-mail of 12 March.")
    withdraw.get_by_role("checkbox").check()
    withdraw.get_by_role("button", name="Withdraw the application").click()
    expect(page.locator("#main .badge").first).to_have_text("Withdrawn")

    reinstate = page.locator("form[action$='/reinstate/']")
    expect(reinstate).to_contain_text("under review")
    reinstate.get_by_label("Why the withdrawal is undone").fill("Her e-mail of 14 March.")
    shot(page, "withdrawal-undo")
    reinstate.get_by_role("button", name="Undo the withdrawal").click()
    expect(page.locator("#main .badge").first).to_have_text("Under review")
    expect(page.get_by_text("The withdrawal is undone")).to_be_visible()
    assert Application.objects.get(pk=lea.pk).state == ApplicationState.UNDER_REVIEW
