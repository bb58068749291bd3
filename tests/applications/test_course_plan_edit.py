import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.applications.models import ActivityKind, CourseLine, CoursePlan
from tests.applications.factories import (
    CourseLineFactory,
    CoursePlanFactory,
    login,
    messages_of,
    semester_for,
)

LINE = {
    "code": "DD2380",
    "title": "Artificial Intelligence",
    "ects": "7.5",
    "semester": "Fall 2027",
    "home_requirement": "AI elective",
}


def edit_url(activity):
    return reverse("applications:course_plan_edit", args=[activity.pk])


def formset_data(lines, initial=0, extra=3):
    """POST data of the course line formset: `lines` filled in, then `extra` blank forms."""
    data = {
        "form-TOTAL_FORMS": str(len(lines) + extra),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate(lines):
        data.update({f"form-{index}-{name}": value for name, value in line.items()})
    return data


@pytest.fixture
def semester(student):
    return semester_for(student)


def saved_titles(activity):
    return list(
        CourseLine.objects.filter(course_plan__activity=activity).values_list("title", flat=True)
    )


@pytest.mark.parametrize(
    ("kind", "ects", "required"),
    [
        (ActivityKind.EXCHANGE_SEMESTER, 30, 30),
        (ActivityKind.EXCHANGE_YEAR, 60, 60),
        (ActivityKind.MASTER, 90, 90),
        (ActivityKind.DOUBLE_DEGREE, 120, 120),
    ],
)
def test_page_shows_the_total_against_what_the_stay_requires(client, student, kind, ects, required):
    activity = semester_for(student, kind=kind, ects=ects)
    CourseLineFactory(course_plan=CoursePlanFactory(activity=activity), ects=Decimal("7.5"))
    response = login(client, student).get(edit_url(activity))
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.total, total.required, total.reached) == (Decimal("7.5"), required, False)
    assert f"7.5 of {required} ECTS" in response.content.decode()


def test_first_visit_creates_nothing(client, student, semester):
    login(client, student).get(edit_url(semester))
    assert not CoursePlan.objects.exists()


def test_owner_saves_lines_and_blank_lines_are_ignored(client, student, semester):
    second = {**LINE, "code": "SF1625", "title": "Calculus", "ects": "22.5"}
    response = login(client, student).post(edit_url(semester), formset_data([LINE, second]))
    assert response.url == edit_url(semester)
    assert messages_of(response) == ["Course plan saved."]
    assert saved_titles(semester) == ["Artificial Intelligence", "Calculus"]
    page = client.get(edit_url(semester))
    assert page.context["total"].reached
    assert "30 of 30 ECTS" in page.content.decode()


def test_unchanged_lines_are_kept_and_ticked_ones_removed(client, student, semester):
    course_plan = CoursePlanFactory(activity=semester)
    keep = CourseLineFactory(course_plan=course_plan, title="Keep me")
    drop = CourseLineFactory(course_plan=course_plan, title="Drop me")
    lines = [
        {name: str(getattr(keep, name)) for name in LINE},
        {**{name: str(getattr(drop, name)) for name in LINE}, "DELETE": "on"},
    ]
    login(client, student).post(edit_url(semester), formset_data(lines, initial=2))
    assert saved_titles(semester) == ["Keep me"]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"title": ""}, "title"), ({"ects": "-1"}, "ects"), ({"ects": "many"}, "ects")],
)
def test_bad_line_is_a_form_error_and_nothing_is_saved(client, student, semester, change, field):
    CourseLineFactory(course_plan=CoursePlanFactory(activity=semester), title="Already there")
    response = login(client, student).post(
        edit_url(semester), formset_data([{**LINE, "code": "NEW1"}, {**LINE, **change}])
    )
    assert response.status_code == 400
    assert field in response.context["formset"].errors[1]
    assert "NEW1" in response.content.decode()  # what was typed is still there
    assert saved_titles(semester) == ["Already there"]


def test_internship_has_no_course_plan(client, student):
    internship = semester_for(student, kind=ActivityKind.ENGINEERING_INTERNSHIP, ects=None)
    response = login(client, student).get(edit_url(internship))
    assert response.url == reverse("applications:plan")
    assert messages_of(response) == ["Only study stays have a course plan."]


def test_another_student_gets_404(client, other_student, semester):
    response = login(client, other_student).post(edit_url(semester), formset_data([LINE]))
    assert response.status_code == 404
    assert not CourseLine.objects.exists()


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi"])
def test_staff_cannot_change_a_course_plan(client, request, persona, semester):
    response = login(client, request.getfixturevalue(persona)).post(
        edit_url(semester), formset_data([LINE])
    )
    assert response.status_code == 403
    assert not CourseLine.objects.exists()


def test_anonymous_is_sent_to_login(client, semester):
    assert client.get(edit_url(semester)).url.startswith(reverse("login"))


@pytest.mark.django_db
def test_the_student_reads_the_advisors_decision_on_each_course(client, student, semester):
    from apps.applications.models import CoursePlanStatus, LineDecision

    sent = CoursePlanFactory(
        activity=semester, status=CoursePlanStatus.CHANGES_REQUESTED, version=2
    )
    CourseLineFactory(
        course_plan=sent,
        code="AI1",
        title="AI",
        ects=Decimal("7.5"),
        decision=LineDecision.APPROVED,
    )
    CourseLineFactory(
        course_plan=sent,
        code="ML2",
        title="ML",
        ects=Decimal(6),
        decision=LineDecision.REJECTED,
        decision_comment="Too close to the home course.",
    )
    response = login(client, student).get(edit_url(semester), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "Version 2: Some courses refused" in content
    assert "Your study advisor rejected some courses" in content
    assert "Too close to the home course." in content
    # The rejected course does not count towards the total.
    assert response.context["total"].total == Decimal("7.5")


@pytest.mark.django_db
def test_a_draft_shows_no_decisions(client, student, semester):
    CourseLineFactory(course_plan=CoursePlanFactory(activity=semester), code="AI1")
    response = login(client, student).get(edit_url(semester))
    assert response.context["decided"] is None
    assert 'id="decisions-title"' not in response.content.decode()


@pytest.mark.django_db
def test_the_application_page_total_leaves_rejected_courses_out(student, semester):
    from apps.applications.models import CoursePlanStatus, LineDecision
    from apps.applications.selectors import course_totals

    sent = CoursePlanFactory(activity=semester, status=CoursePlanStatus.CHANGES_REQUESTED)
    CourseLineFactory(course_plan=sent, ects=Decimal(24), decision=LineDecision.APPROVED)
    CourseLineFactory(course_plan=sent, ects=Decimal(6), decision=LineDecision.REJECTED)
    [total] = course_totals([semester])
    assert total.total == Decimal(24)
    assert not total.reached


def test_control_characters_pasted_into_a_course_line_are_left_out():
    from apps.applications.application_forms import CourseLineForm

    form = CourseLineForm(
        {
            "code": "CS\x0b101",
            "title": "Robotics\x1b Lab",
            "ects": "5",
            "semester": "Fall\x0c",
            "home_requirement": "Electives",
        }
    )
    assert form.is_valid(), form.errors
    assert (
        form.cleaned_data["code"],
        form.cleaned_data["title"],
        form.cleaned_data["semester"],
    ) == (
        "CS101",
        "Robotics Lab",
        "Fall",
    )


def test_a_course_line_fits_its_frame(client, student, semester):
    """The delete box has a line of its own (in one twelfth of the row its French label ran over
    the frame) and the ECTS box two twelfths (in one, a number beside its error mark was cut)."""
    content = login(client, student).get(edit_url(semester)).content.decode()
    column = r'class="col-{width}"\s*>\s*(<div class="mb-3">\s*)?<div id="div_id_form-0-{field}"'
    assert re.search(column.format(width="12", field="DELETE"), content)
    assert re.search(column.format(width="md-2", field="ects"), content)
