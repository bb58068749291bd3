from datetime import date

import pytest

from apps.applications.models import Activity, ActivityKind, MobilityPlan
from apps.applications.plan_format import activity_document, plan_document
from apps.rules import parse_plan


def build(kind, **fields) -> Activity:
    base = {"pk": 7, "kind": kind, "start": date(2027, 9, 1), "end": date(2028, 1, 31)}
    return Activity(country="DE", **{**base, **fields})


@pytest.mark.parametrize(
    ("activity", "expected_keys"),
    [
        (build(ActivityKind.EXCHANGE_SEMESTER, ects=30), {"partner", "ects"}),
        (
            build(ActivityKind.EXCHANGE_YEAR, ects=60, ects_project=30),
            {"partner", "ects", "ects_project"},
        ),
        (
            build(
                ActivityKind.DOUBLE_DEGREE,
                ects=120,
                internship_start=date(2028, 1, 1),
                internship_end=date(2028, 1, 31),
                internship_country="DE",
            ),
            {"partner", "ects", "internship"},
        ),
        (
            build(ActivityKind.SUMMER_STAY, summer_type="summer_school", approved_by_dfi=True),
            {"summer_type", "approvals"},
        ),
        (build(ActivityKind.ENGINEERING_INTERNSHIP, last_obligation=False), {"last_obligation"}),
        (build(ActivityKind.FH_INTERNSHIP), set()),
    ],
)
def test_activity_document_carries_only_its_kinds_fields(activity, expected_keys):
    document = activity_document(activity)
    assert set(document) == {"id", "kind", "start", "end", "country", *expected_keys}
    assert document["id"] == "7"


def test_summer_approvals_follow_both_validations():
    both = build(
        ActivityKind.SUMMER_STAY, summer_type="other", approved_by_dfi=True, approved_by_dri=True
    )
    assert activity_document(both)["approvals"] == ["DFI", "DRI"]
    assert (
        activity_document(build(ActivityKind.SUMMER_STAY, summer_type="other"))["approvals"] == []
    )


@pytest.mark.django_db
def test_plan_document_is_valid_engine_input(student):
    plan = MobilityPlan(student=student, engineering_internship_validated=True)
    activities = [
        build(ActivityKind.EXCHANGE_SEMESTER, ects=30, partner_id=None),
        build(
            ActivityKind.SUMMER_STAY,
            pk=8,
            summer_type="lab_internship",
            start=date(2028, 7, 1),
            end=date(2028, 8, 15),
        ),
    ]
    document = plan_document(plan, student.student_profile, activities)
    parsed = parse_plan(document)
    assert parsed.student.track == student.student_profile.track
    assert parsed.student.engineering_internship_validated is True
    assert [activity.id for activity in parsed.activities] == ["7", "8"]
