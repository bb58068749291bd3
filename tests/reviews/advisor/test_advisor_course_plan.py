"""The advisor's review of one course plan version: a decision per line, versions, diff."""

import re

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import (
    Application,
    ApplicationState,
    CourseLine,
    CoursePlan,
    CoursePlanStatus,
    LineDecision,
)
from tests.applications.factories import ApplicationFactory, ChoiceFactory, login, messages_of
from tests.factories import CallFactory
from tests.reviews.advisor.builders import (
    approve_all,
    dossier_abroad,
    record_all,
    sent_course_plan,
)

REVIEW_MAX_QUERIES = 9


def review_url(course_plan):
    return reverse("reviews:advisor_course_plan", args=[course_plan.pk])


@pytest.fixture
def course_plan(student):
    return sent_course_plan(student, lines=2)


def first_line(course_plan):
    return course_plan.lines.order_by("pk").first()


def as_lines(course_plan, **changes_by_code):
    """The version's lines as the student's form sends them, with some fields changed."""
    return [
        {
            "code": line.code,
            "title": line.title,
            "ects": line.ects,
            "semester": line.semester,
            "home_requirement": line.home_requirement,
            **changes_by_code.get(line.code, {}),
        }
        for line in course_plan.lines.order_by("pk")
    ]


def test_advisor_sees_each_line_with_a_decision_form(client, advisor, course_plan):
    response = login(client, advisor).get(review_url(course_plan))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [line for line, _form in rows] == list(course_plan.lines.order_by("pk"))
    assert all(form is not None for _line, form in rows)
    assert response.context["can_decide"]
    assert response.context["diff"] is None
    content = response.content.decode()
    assert 'name="decision" value="reject"' in content
    assert f'for="line-{rows[0][0].pk}-comment"' in content


def test_the_total_is_shown_against_what_the_stay_requires(client, advisor, course_plan):
    """Two lines of 6 ECTS, one rejected, for an exchange semester (30 ECTS at least)."""
    CourseLine.objects.filter(pk=first_line(course_plan).pk).update(
        decision=LineDecision.REJECTED, decision_comment="No"
    )
    response = login(client, advisor).get(review_url(course_plan))
    total = response.context["total"]
    assert (total.total, total.required, total.reached) == (6, 30, False)
    assert "6 of 30 ECTS" in response.content.decode()


def test_the_advisor_prints_the_learning_agreement_of_the_version(client, advisor, course_plan):
    application = Application.objects.get(choices__activity=course_plan.activity)
    response = login(client, advisor).get(review_url(course_plan))
    pdf = reverse(
        "reviews:learning_agreement_version_pdf",
        args=[application.pk, course_plan.activity_id, course_plan.version],
    )
    assert pdf in response.content.decode()
    assert client.get(pdf).status_code == 200


@pytest.mark.parametrize("later_state", [ApplicationState.DRAFT, ApplicationState.WITHDRAWN])
def test_the_learning_agreement_is_printed_through_the_application_that_took_the_stay(
    client, advisor, student, later_state
):
    """Nominated in the first round of the year, the student then chose the same stay in a
    second round's application: the learning agreement of their mobility is the one of the
    application nominated to it, with its nomination, not the later one's."""
    nominated, course_plan = dossier_abroad(student, advisor, state=ApplicationState.ACCEPTED)
    second_round = CallFactory(academic_year=nominated.call.academic_year, name="Round 2")
    later = ApplicationFactory(student=student, call=second_round, state=later_state)
    ChoiceFactory(application=later, rank=1, activity=course_plan.activity)
    response = login(client, advisor).get(review_url(course_plan))
    assert response.context["application"] == nominated
    pdf = reverse(
        "reviews:learning_agreement_version_pdf",
        args=[nominated.pk, course_plan.activity_id, course_plan.version],
    )
    assert pdf in response.content.decode()


def test_approving_a_line(client, advisor, course_plan):
    line = first_line(course_plan)
    response = login(client, advisor).post(
        review_url(course_plan), {"line": line.pk, "decision": "approve", "comment": ""}
    )
    assert response.url == review_url(course_plan)
    assert messages_of(response) == [f"Decision on {line.code} recorded."]
    line.refresh_from_db()
    assert (line.decision, line.decided_by) == (LineDecision.APPROVED, advisor)
    page = client.get(review_url(course_plan))
    decided = dict(page.context["rows"])
    # The other line still awaits the advisor: the decision may be changed or undone.
    assert decided[line].initial["seen"] == LineDecision.APPROVED
    assert "Undo this decision" in page.content.decode()
    # One decision, told by "Decided by": a history is shown once there are changes.
    assert "History of the decision" not in page.content.decode()


def test_rejecting_every_line_requests_changes(client, advisor, course_plan):
    login(client, advisor)
    for line in course_plan.lines.all():
        client.post(
            review_url(course_plan),
            {
                "line": line.pk,
                "decision": "reject",
                "comment": "Already taken in 2A.",
                "confirm": "on",
            },
        )
    course_plan.refresh_from_db()
    assert course_plan.status == CoursePlanStatus.CHANGES_REQUESTED
    assert not client.get(review_url(course_plan)).context["can_decide"]


@pytest.mark.parametrize(
    ("data", "field"),
    [({"decision": "reject", "comment": " "}, "comment"), ({"comment": "ok"}, "decision")],
)
def test_bad_decision_is_a_form_error_and_nothing_is_saved(
    client, advisor, course_plan, data, field
):
    line = first_line(course_plan)
    response = login(client, advisor).post(review_url(course_plan), {"line": line.pk, **data})
    assert response.status_code == 400
    bound = dict(response.context["rows"])[line]
    assert field in bound.errors
    line.refresh_from_db()
    assert line.decision == LineDecision.PENDING


def test_a_line_of_another_course_plan_is_not_found(client, advisor, student, course_plan):
    elsewhere = first_line(sent_course_plan(student, lines=1))
    response = login(client, advisor).post(
        review_url(course_plan), {"line": elsewhere.pk, "decision": "approve"}
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.decision == LineDecision.PENDING


def test_another_advisor_finds_nothing(client, other_advisor, course_plan):
    login(client, other_advisor)
    assert client.get(review_url(course_plan)).status_code == 404
    line = first_line(course_plan)
    response = client.post(review_url(course_plan), {"line": line.pk, "decision": "approve"})
    assert response.status_code == 404
    line.refresh_from_db()
    assert line.decision == LineDecision.PENDING


@pytest.mark.parametrize("who", ["student", "dfi", "dri"])
def test_students_and_staff_cannot_decide(client, request, course_plan, who):
    line = first_line(course_plan)
    login(client, request.getfixturevalue(who))
    assert client.get(review_url(course_plan)).status_code == 403
    response = client.post(review_url(course_plan), {"line": line.pk, "decision": "approve"})
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.decision == LineDecision.PENDING


def test_a_draft_stays_private(client, advisor, student):
    draft = sent_course_plan(student, status=CoursePlanStatus.DRAFT)
    assert login(client, advisor).get(review_url(draft)).status_code == 404


def test_anonymous_is_sent_to_login(client, course_plan):
    assert client.get(review_url(course_plan)).url.startswith(reverse("login"))


def test_an_approved_version_stays_intact_and_the_edit_comes_as_a_new_version_with_its_diff(
    client, advisor, student, course_plan
):
    approve_all(course_plan, advisor)
    kept, changed = course_plan.lines.order_by("pk")
    lines = as_lines(course_plan, **{changed.code: {"title": "Deep learning", "ects": 7}})
    lines.append({**lines[0], "code": "NEW1", "title": "Ethics"})
    new_version = services.course_plan_replace_lines(
        actor=student, activity=course_plan.activity, lines=lines
    )

    course_plan.refresh_from_db()
    assert course_plan.status == CoursePlanStatus.APPROVED
    assert list(course_plan.lines.values_list("title", "decision")) == [
        (kept.title, LineDecision.APPROVED),
        (changed.title, LineDecision.APPROVED),
    ]

    response = login(client, advisor).get(review_url(new_version))
    diff = response.context["diff"]
    assert [line.code for line in diff.added] == ["NEW1"]
    assert diff.removed == []
    (change,) = diff.changed
    assert change.previous == changed
    assert [field.name for field in change.fields] == ["title", "ects"]
    assert {line.code: form.initial["seen"] for line, form in response.context["rows"]} == {
        # unchanged: the approval carries over, and may be changed while the version awaits
        kept.code: LineDecision.APPROVED,
        changed.code: LineDecision.PENDING,
        "NEW1": LineDecision.PENDING,
    }
    content = response.content.decode()
    assert "What changed since version 1" in content
    assert "Deep learning" in content


def test_an_older_version_is_read_only(client, advisor, student, course_plan):
    new_version = services.course_plan_replace_lines(
        actor=student,
        activity=course_plan.activity,
        lines=as_lines(course_plan, **{first_line(course_plan).code: {"title": "Other"}}),
    )
    response = login(client, advisor).get(review_url(course_plan))
    assert not response.context["is_latest"]
    assert all(form is None for _line, form in response.context["rows"])
    assert "read only" in response.content.decode()
    assert [v.pk for v in response.context["versions"]] == [new_version.pk, course_plan.pk]
    line = first_line(course_plan)
    refused = client.post(review_url(course_plan), {"line": line.pk, "decision": "approve"})
    assert "Version 1 has been replaced by a newer one" in messages_of(refused)[0]
    line.refresh_from_db()
    assert line.decision == LineDecision.PENDING


def test_a_version_replaced_before_a_decision_no_longer_reads_as_awaiting_the_advisor(
    client, advisor, student, course_plan
):
    """Version 1 was replaced while its lines awaited the advisor: its page and the list of
    versions say so, rather than "awaiting the advisor" for a version no queue lists."""
    new_version = services.course_plan_replace_lines(
        actor=student,
        activity=course_plan.activity,
        lines=as_lines(course_plan, **{first_line(course_plan).code: {"title": "Other"}}),
    )
    old_page = login(client, advisor).get(review_url(course_plan)).content.decode()
    assert '<span class="badge text-bg-secondary">Replaced before a decision</span>' in old_page
    assert "Awaiting the advisor" not in old_page
    new_page = client.get(review_url(new_version)).content.decode()
    assert "(replaced before a decision)" in new_page
    assert '<span class="badge text-bg-primary">Awaiting the advisor</span>' in new_page


def test_missing_credits_are_shown_once_the_student_recorded_them(client, advisor, course_plan):
    approve_all(course_plan, advisor)
    record_all(course_plan, obtained=4)
    response = login(client, advisor).get(review_url(course_plan))
    credits = response.context["credits"]
    assert (credits.planned, credits.obtained, credits.missing) == (12, 8, 4)
    assert "Credits obtained abroad" in response.content.decode()


def test_review_page_queries_stay_flat(client, advisor, student, django_assert_max_num_queries):
    first = sent_course_plan(student, lines=40)
    approve_all(first, advisor)
    lines = as_lines(first, **{line.code: {"title": "Changed"} for line in first.lines.all()[:20]})
    new_version = services.course_plan_replace_lines(
        actor=student, activity=first.activity, lines=lines
    )
    CourseLine.objects.filter(course_plan=new_version).update(ects_obtained=3)
    login(client, advisor)
    with django_assert_max_num_queries(REVIEW_MAX_QUERIES):
        response = client.get(review_url(new_version))
    assert len(response.context["rows"]) == 40
    assert len(response.context["diff"].changed) == 20
    assert CoursePlan.objects.filter(activity=first.activity).count() == 2


def test_a_rejection_without_comment_ties_the_message_to_the_comment_box(
    client, advisor, course_plan
):
    """A screen reader on the comment box reads why it is refused (aria-describedby, and
    aria-invalid), not only its help text."""
    line = first_line(course_plan)
    response = login(client, advisor).post(
        review_url(course_plan), {"line": line.pk, "decision": "reject", "comment": " "}
    )
    html = response.content.decode()
    (box,) = re.findall(r'<textarea[^>]*aria-invalid="true"[^>]*>', html)
    described = re.search(r'aria-describedby="([^"]*)"', box).group(1).split()
    error_id = next(i for i in described if i.endswith("-error"))
    assert re.search(rf'<div class="invalid-feedback d-block" id="{error_id}"', html)


def test_a_refused_decision_keeps_the_advisors_comment_to_copy(
    client, advisor, student, course_plan
):
    """Version 1 replaced while the advisor wrote their reason: the refusal comes with the page
    as it now stands and the comment they typed, not a redirect that drops it."""
    services.course_plan_replace_lines(
        actor=student,
        activity=course_plan.activity,
        lines=as_lines(course_plan, **{first_line(course_plan).code: {"title": "Other"}}),
    )
    line = first_line(course_plan)
    reason = "Already taken in 2A <b>under</b> another code."
    response = login(client, advisor).post(
        review_url(course_plan), {"line": line.pk, "decision": "reject", "comment": reason}
    )
    assert response.status_code == 409
    assert "Version 1 has been replaced by a newer one" in messages_of(response)[0]
    content = response.content.decode()
    assert "Your comment on this course was not recorded" in content
    assert "Already taken in 2A &lt;b&gt;under&lt;/b&gt; another code." in content
    assert all(form is None for _line, form in response.context["rows"])
    line.refresh_from_db()
    assert (line.decision, line.decision_comment) == (LineDecision.PENDING, "")


def test_a_line_decided_meanwhile_in_another_tab_keeps_the_second_comment(
    client, advisor, course_plan
):
    line = first_line(course_plan)
    login(client, advisor).post(
        review_url(course_plan), {"line": line.pk, "decision": "approve", "comment": ""}
    )
    response = client.post(
        review_url(course_plan),
        {"line": line.pk, "decision": "reject", "comment": "Not at this level."},
    )
    assert response.status_code == 409
    assert f"Course {line.code} is already decided" in messages_of(response)[-1]
    assert "Not at this level." in response.content.decode()
    line.refresh_from_db()
    assert line.decision == LineDecision.APPROVED
    # The page as it stands: the line decided in the other tab may be changed from a form that
    # shows it approved (the refused comment is quoted, not put in that form); the other line
    # still awaits the advisor, with its own empty form.
    rows = dict(response.context["rows"])
    assert (rows[line].is_bound, rows[line].initial["seen"]) == (False, LineDecision.APPROVED)
    assert [form.initial["seen"] for other, form in rows.items() if other != line] == [
        LineDecision.PENDING
    ]


def test_an_empty_refused_comment_adds_nothing_to_copy(client, advisor, student, course_plan):
    services.course_plan_replace_lines(
        actor=student,
        activity=course_plan.activity,
        lines=as_lines(course_plan, **{first_line(course_plan).code: {"title": "Other"}}),
    )
    line = first_line(course_plan)
    response = login(client, advisor).post(
        review_url(course_plan), {"line": line.pk, "decision": "approve", "comment": ""}
    )
    assert response.status_code == 409
    assert "was not recorded" not in response.content.decode()


def test_a_wrong_click_is_undone_from_the_page_while_another_course_awaits(
    client, advisor, course_plan
):
    line = first_line(course_plan)
    login(client, advisor).post(
        review_url(course_plan), {"line": line.pk, "decision": "approve", "comment": ""}
    )
    response = client.post(
        review_url(course_plan), {"line": line.pk, "decision": "undo", "seen": "approved"}
    )
    assert messages_of(response)[-2:] == [
        f"Decision on {line.code} undone: the course awaits your decision again.",
        "The student is told of this change, with any other you make within 15 minutes.",
    ]
    line.refresh_from_db()
    assert (line.decision, line.decided_by) == (LineDecision.PENDING, None)
    page = client.get(review_url(course_plan)).content.decode()
    assert "History of the decision (2 entries)" in page
    assert "undid the decision (approved)" in page


def test_a_decision_is_changed_from_the_page_and_a_rejection_still_says_why(
    client, advisor, course_plan
):
    line = first_line(course_plan)
    login(client, advisor).post(
        review_url(course_plan), {"line": line.pk, "decision": "approve", "comment": ""}
    )
    refused = client.post(
        review_url(course_plan),
        {"line": line.pk, "decision": "reject", "comment": "", "seen": "approved"},
    )
    assert refused.status_code == 400
    assert '<details class="mt-2" open>' in refused.content.decode()
    changed = client.post(
        review_url(course_plan),
        {"line": line.pk, "decision": "reject", "comment": "Taken in 2A", "seen": "approved"},
    )
    assert messages_of(changed)[-2:] == [
        f"Decision on {line.code} recorded.",
        "The student is told of this change, with any other you make within 15 minutes.",
    ]
    line.refresh_from_db()
    assert (line.decision, line.decision_comment) == (LineDecision.REJECTED, "Taken in 2A")


def test_the_last_course_asks_for_confirmation_before_deciding_the_plan(
    client, advisor, student, course_plan
):
    first, last = course_plan.lines.order_by("pk")
    login(client, advisor).post(
        review_url(course_plan), {"line": first.pk, "decision": "reject", "comment": "No"}
    )
    asked = client.post(
        review_url(course_plan), {"line": last.pk, "decision": "approve", "comment": "Fine"}
    )
    assert asked.status_code == 200
    content = asked.content.decode()
    assert "Confirm your decision on the whole course plan" in content
    assert "1 course rejected" in content
    assert 'name="confirm" value="on"' in content
    last.refresh_from_db()
    course_plan.refresh_from_db()
    assert (last.decision, course_plan.status) == (LineDecision.PENDING, CoursePlanStatus.PENDING)

    confirmed = client.post(
        review_url(course_plan),
        {"line": last.pk, "decision": "approve", "comment": "Fine", "confirm": "on"},
    )
    assert messages_of(confirmed)[-2:] == [
        f"Decision on {last.code} recorded.",
        "Every course is decided: the course plan goes back to the student, who is told which "
        "courses you rejected.",
    ]
    course_plan.refresh_from_db()
    assert course_plan.status == CoursePlanStatus.CHANGES_REQUESTED
    page = client.get(review_url(course_plan)).content.decode()
    assert "Undo this decision" not in page


def test_approving_the_last_course_says_the_plan_is_approved(client, advisor, course_plan):
    login(client, advisor)
    for line in course_plan.lines.order_by("pk"):
        response = client.post(
            review_url(course_plan),
            {"line": line.pk, "decision": "approve", "comment": "", "confirm": "on"},
        )
    assert messages_of(response)[-1] == (
        "Every course is decided: the course plan is approved, the student is told."
    )


def test_a_changed_approval_carried_from_the_previous_version_shows_its_history(
    client, advisor, student, course_plan
):
    """Version 2 keeps an approval given on version 1 (no history row of its own): rejecting
    it there is a change, and the page shows it as one."""
    approve_all(course_plan, advisor)
    kept, changed = course_plan.lines.order_by("pk")
    new_version = services.course_plan_replace_lines(
        actor=student,
        activity=course_plan.activity,
        lines=as_lines(course_plan, **{changed.code: {"title": "Deep learning"}}),
    )
    carried = new_version.lines.get(code=kept.code)
    assert carried.decision == LineDecision.APPROVED
    login(client, advisor).post(
        review_url(new_version),
        {"line": carried.pk, "decision": "reject", "comment": "Not any more", "seen": "approved"},
    )
    page = client.get(review_url(new_version)).content.decode()
    assert "History of the decision (1 entry)" in page
    assert "approved → rejected — Not any more" in page
