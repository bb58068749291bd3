"""Saving the course plan again after the return keeps the credits obtained; once their
recognition is confirmed, the course plan is closed.

The submitted lines are the whole course plan: every filled-in line sent is kept, whatever the
formset's management form says (INITIAL_FORMS), and a line goes only when it is ticked "Delete"
(or no longer sent at all)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import CourseLine, CoursePlan, CoursePlanStatus, LineDecision
from apps.reviews.selectors_advisor import recognition_course_plan
from apps.reviews.services.course_plans import course_line_decide
from apps.reviews.services.returns import course_plan_confirm_recognition
from tests.applications.factories import (
    CourseLineFactory,
    CoursePlanFactory,
    login,
    messages_of,
    semester_for,
)
from tests.reviews.advisor.builders import dossier_abroad, record_all, with_transcript

FIELDS = ("code", "title", "ects", "semester", "home_requirement")


def edit_url(activity):
    return reverse("applications:course_plan_edit", args=[activity.pk])


def as_posted(line: CourseLine, **changes) -> dict[str, str]:
    return {**{name: str(getattr(line, name)) for name in FIELDS}, **changes}


def formset_data(lines: list[dict[str, str]], *, initial: int) -> dict[str, str]:
    """The course line formset as posted: `lines`, then three blank extra forms."""
    data = {
        "form-TOTAL_FORMS": str(len(lines) + 3),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate(lines):
        data.update({f"form-{index}-{name}": value for name, value in line.items()})
    return data


def versions(activity) -> list[int]:
    return list(CoursePlan.objects.filter(activity=activity).values_list("version", flat=True))


def obtained(course_plan: CoursePlan) -> list[Decimal | None]:
    return list(course_plan.lines.order_by("pk").values_list("ects_obtained", flat=True))


@pytest.fixture
def back_with_credits(student, advisor):
    """Back from the stay: version 1 approved, 6 ECTS obtained for each of its two courses."""
    application, course_plan = dossier_abroad(student, advisor)
    record_all(course_plan, obtained=6)
    return application, course_plan


def test_saving_the_page_unchanged_keeps_the_version_and_its_credits(
    client, student, advisor, back_with_credits
):
    application, course_plan = back_with_credits
    activity = course_plan.activity
    lines = [as_posted(line) for line in course_plan.lines.order_by("pk")]
    response = login(client, student).post(
        edit_url(activity), formset_data(lines, initial=len(lines))
    )
    assert response.url == edit_url(activity)
    assert messages_of(response) == ["Nothing changed: the course plan is kept as it was."]
    assert versions(activity) == [1]
    assert recognition_course_plan(activity) == course_plan
    assert obtained(course_plan) == [Decimal(6), Decimal(6)]
    # The advisor can still confirm the recognition of version 1.
    with_transcript(application)
    course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)


def test_a_new_version_carries_the_credits_of_the_lines_it_keeps(
    client, student, advisor, back_with_credits
):
    _application, course_plan = back_with_credits
    activity = course_plan.activity
    keep, drop = course_plan.lines.order_by("pk")
    lines = [as_posted(keep), as_posted(drop, DELETE="on")]
    login(client, student).post(edit_url(activity), formset_data(lines, initial=2))
    # An approved course dropped: version 2 goes back to the advisor, with the credits.
    second = CoursePlan.objects.get(activity=activity, version=2)
    assert second.status == CoursePlanStatus.PENDING
    assert recognition_course_plan(activity) == course_plan
    (line,) = second.lines.all()
    course_line_decide(actor=advisor, line=line, approve=True, comment="")
    latest = recognition_course_plan(activity)
    assert latest.version == 2 and latest.status == CoursePlanStatus.APPROVED
    assert list(latest.lines.values_list("code", "decision", "ects_obtained")) == [
        (keep.code, LineDecision.APPROVED, Decimal(6))
    ]


def test_a_changed_line_starts_afresh(client, student, back_with_credits):
    _application, course_plan = back_with_credits
    activity = course_plan.activity
    same, changed = course_plan.lines.order_by("pk")
    lines = [as_posted(same), as_posted(changed, title="Distributed Systems II")]
    login(client, student).post(edit_url(activity), formset_data(lines, initial=2))
    second = CoursePlan.objects.get(activity=activity, version=2)
    assert second.status == CoursePlanStatus.PENDING
    assert list(second.lines.order_by("pk").values_list("decision", "ects_obtained")) == [
        (LineDecision.APPROVED, Decimal(6)),
        (LineDecision.PENDING, None),
    ]


def test_credits_entered_while_a_new_version_awaits_the_advisor_follow_its_approval(
    client, student, advisor, back_with_credits
):
    _application, course_plan = back_with_credits
    CourseLine.objects.filter(course_plan=course_plan).update(ects_obtained=None)
    activity = course_plan.activity
    same, changed = course_plan.lines.order_by("pk")
    lines = [as_posted(same), as_posted(changed, title="Distributed Systems II")]
    login(client, student).post(edit_url(activity), formset_data(lines, initial=2))
    second = CoursePlan.objects.get(activity=activity, version=2)
    # The return page works on version 1 while version 2 awaits the advisor.
    assert recognition_course_plan(activity) == course_plan
    record_all(course_plan, obtained=5)
    pending = second.lines.get(decision=LineDecision.PENDING)
    course_line_decide(actor=advisor, line=pending, approve=True, comment="")
    second.refresh_from_db()
    assert second.status == CoursePlanStatus.APPROVED
    assert recognition_course_plan(activity) == second
    assert list(second.lines.order_by("pk").values_list("title", "ects_obtained")) == [
        (same.title, Decimal(5)),
        ("Distributed Systems II", None),
    ]


@pytest.mark.parametrize("corrected", [Decimal(3), None])
def test_credits_corrected_while_a_new_version_awaits_the_advisor_follow_its_approval(
    client, student, advisor, back_with_credits, corrected
):
    """Version 2 copied the 6 ECTS of the course it keeps when it was sent; the student then
    corrected them (or cleared them) on version 1, the one in force: version 2, once approved,
    holds the correction, not the copy."""
    _application, course_plan = back_with_credits
    activity = course_plan.activity
    same, changed = course_plan.lines.order_by("pk")
    lines = [as_posted(same), as_posted(changed, title="Distributed Systems II")]
    login(client, student).post(edit_url(activity), formset_data(lines, initial=2))
    second = CoursePlan.objects.get(activity=activity, version=2)
    assert obtained(second) == [Decimal(6), None]
    CourseLine.objects.filter(pk=same.pk).update(ects_obtained=corrected)
    pending = second.lines.get(decision=LineDecision.PENDING)
    course_line_decide(actor=advisor, line=pending, approve=True, comment="")
    assert recognition_course_plan(activity) == second
    assert obtained(second) == [corrected, None]


@pytest.fixture
def recognised(student, advisor, back_with_credits):
    application, course_plan = back_with_credits
    with_transcript(application)
    return course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)


REFUSAL = (
    "Your advisor has confirmed the recognition of your credits: the course plan can no longer "
    "be changed."
)


@pytest.mark.parametrize("change", [{}, {"title": "Something else"}])
def test_after_the_recognition_the_student_cannot_change_the_course_plan(
    client, student, recognised, change
):
    activity = recognised.activity
    first, second = recognised.lines.order_by("pk")
    lines = [as_posted(first), as_posted(second, **change)]
    response = login(client, student).post(edit_url(activity), formset_data(lines, initial=2))
    assert response.status_code == 400
    assert messages_of(response) == [REFUSAL]
    assert versions(activity) == [1]
    assert list(recognised.lines.values_list("title", flat=True)) == [first.title, second.title]


def test_service_refuses_after_the_recognition(student, recognised):
    with pytest.raises(ServiceError) as refused:
        services.course_plan_replace_lines(actor=student, activity=recognised.activity, lines=[])
    assert refused.value.reasons == [REFUSAL]
    assert recognised.lines.count() == 2


def test_a_tampered_management_form_drops_no_saved_line(client, student, back_with_credits):
    """With INITIAL_FORMS=0, lines identical to the saved ones once looked like blank extra
    forms and were left out: the new version lost every course."""
    _application, course_plan = back_with_credits
    activity = course_plan.activity
    lines = [as_posted(line) for line in course_plan.lines.order_by("pk")]
    response = login(client, student).post(edit_url(activity), formset_data(lines, initial=0))
    assert messages_of(response) == ["Nothing changed: the course plan is kept as it was."]
    assert versions(activity) == [1]
    assert obtained(course_plan) == [Decimal(6), Decimal(6)]


def test_a_tampered_management_form_on_a_draft_keeps_lines_and_honours_delete(client, student):
    semester = semester_for(student)
    draft = CoursePlanFactory(activity=semester)
    kept, ticked = CourseLineFactory(course_plan=draft), CourseLineFactory(course_plan=draft)
    new = {**as_posted(kept), "code": "NEW1", "title": "New course"}
    lines = [as_posted(kept), as_posted(ticked, DELETE="on"), new]
    response = login(client, student).post(edit_url(semester), formset_data(lines, initial=0))
    assert messages_of(response) == ["Course plan saved."]
    assert list(draft.lines.values_list("code", flat=True)) == [kept.code, "NEW1"]
