"""course_plan_diff: lines matched by host course code, what was added, removed or changed."""

from decimal import Decimal

from django.utils.translation import override

from apps.applications.models import CourseLine
from apps.reviews.selectors_advisor import course_plan_diff


def line(code, title="Robotics", ects="6", semester="Fall 2027", home="Electives"):
    return CourseLine(
        code=code, title=title, ects=Decimal(ects), semester=semester, home_requirement=home
    )


def test_same_lines_make_no_difference():
    diff = course_plan_diff([line("A1"), line("B2")], [line("B2"), line("A1")])
    assert diff.is_empty


def test_added_and_removed_lines_by_code():
    kept, dropped, new = line("A1"), line("B2"), line("C3")
    diff = course_plan_diff([kept, dropped], [line("A1"), new])
    assert diff.added == [new]
    assert diff.removed == [dropped]
    assert diff.changed == []


def test_changed_fields_carry_their_label_and_both_values():
    before, after = line("A1"), line("A1", title="Advanced robotics", ects="7.5", home="Robotics")
    diff = course_plan_diff([before], [after])
    (change,) = diff.changed
    assert (change.previous, change.current) == (before, after)
    with override("en"):
        fields = [(f.name, str(f.label), f.before, f.after) for f in change.fields]
    assert fields == [
        ("title", "host course title", "Robotics", "Advanced robotics"),
        ("ects", "ECTS", Decimal("6"), Decimal("7.5")),
        ("home_requirement", "replaces at the school", "Electives", "Robotics"),
    ]


def test_case_spacing_and_trailing_zeros_are_not_changes():
    diff = course_plan_diff(
        [line("ab 1", ects="6")], [line(" AB 1 ", title="robotics ", ects="6.0")]
    )
    assert diff.is_empty


def test_semester_change_is_seen():
    diff = course_plan_diff([line("A1")], [line("A1", semester="Spring 2028")])
    assert [field.name for field in diff.changed[0].fields] == ["semester"]


def test_a_code_listed_twice_is_matched_in_order():
    first, second = line("LAB", title="Lab 1"), line("LAB", title="Lab 2")
    diff = course_plan_diff([first, second], [line("LAB", title="Lab 1")])
    assert diff.removed == [second]
    assert diff.added == diff.changed == []


def test_everything_new_on_an_empty_previous_version():
    current = [line("A1"), line("B2")]
    diff = course_plan_diff([], current)
    assert diff.added == current
    assert not diff.is_empty
