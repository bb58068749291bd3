"""Every rule at its boundary: on the threshold, one day or one ECTS either side, month ends,
leap years, and cases where it does not apply. Activities without ids are named "0", "1"..."""

from datetime import date as D

import pytest

from tests.rules.builders import activity, found, lasting, plan

SEMESTER = activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31))
YEAR = activity("exchange_year", D(2026, 9, 1), D(2027, 6, 30))
DD_START, DD_END = D(2026, 9, 1), D(2028, 2, 29)  # exactly 18 months: 2028 is a leap year


def double_degree(start=DD_START, end=DD_END, **fields):
    return activity("double_degree", start, end, **fields)


def dd_internship(start, end, country="DE"):
    return {"start": str(start), "end": str(end), "country": country}


def case(document, rule, *expected, id):
    """`expected`: (severity, activity id) of each finding of `rule`, in order."""
    return pytest.param(document, rule, [(rule, *finding) for finding in expected], id=id)


CASES = [
    # DD_PARTNER
    case(plan(double_degree(partner=False)), "DD_PARTNER", ("error", "0"), id="dd-not-partner"),
    case(plan(double_degree()), "DD_PARTNER", id="dd-partner"),
    # DD_DURATION: 18 months
    case(plan(double_degree()), "DD_DURATION", id="dd-exactly-18-months"),
    case(
        plan(double_degree(end=D(2028, 2, 28))),
        "DD_DURATION",
        ("error", "0"),
        id="dd-one-day-short",
    ),
    case(plan(double_degree(end=D(2028, 3, 1))), "DD_DURATION", id="dd-one-day-more"),
    case(
        plan(double_degree(start=D(2026, 8, 31), end=D(2028, 2, 28))),
        "DD_DURATION",
        id="dd-from-31-august-clamped-to-29-february",
    ),
    case(
        plan(double_degree(start=D(2026, 8, 31), end=D(2028, 2, 27))),
        "DD_DURATION",
        ("error", "0"),
        id="dd-from-31-august-one-day-short",
    ),
    case(
        plan(double_degree(start=D(2025, 8, 31), end=D(2027, 2, 27))),
        "DD_DURATION",
        id="dd-clamped-to-28-february",
    ),
    case(
        plan(double_degree(start=D(2025, 8, 31), end=D(2027, 2, 26))),
        "DD_DURATION",
        ("error", "0"),
        id="dd-clamped-to-28-february-one-day-short",
    ),
    # DD_INTERNSHIP_COUNTRY
    case(
        plan(double_degree(internship=dd_internship(D(2027, 9, 1), D(2028, 1, 31), "AT"))),
        "DD_INTERNSHIP_COUNTRY",
        ("error", "0"),
        id="dd-internship-in-another-country",
    ),
    case(
        plan(double_degree(internship=dd_internship(D(2027, 9, 1), D(2028, 1, 31)))),
        "DD_INTERNSHIP_COUNTRY",
        id="dd-internship-in-the-host-country",
    ),
    case(plan(double_degree()), "DD_INTERNSHIP_COUNTRY", id="dd-without-internship"),
    # DD_INTERNSHIP_WITHIN
    case(
        plan(double_degree(internship=dd_internship(DD_START, D(2027, 2, 28)))),
        "DD_INTERNSHIP_WITHIN",
        id="dd-internship-from-the-first-day",
    ),
    case(
        plan(double_degree(internship=dd_internship(D(2027, 9, 1), DD_END))),
        "DD_INTERNSHIP_WITHIN",
        id="dd-internship-to-the-last-day",
    ),
    case(
        plan(double_degree(internship=dd_internship(D(2026, 8, 31), D(2027, 1, 31)))),
        "DD_INTERNSHIP_WITHIN",
        ("error", "0"),
        id="dd-internship-starts-a-day-early",
    ),
    case(
        plan(double_degree(internship=dd_internship(D(2027, 9, 1), D(2028, 3, 1)))),
        "DD_INTERNSHIP_WITHIN",
        ("error", "0"),
        id="dd-internship-ends-a-day-late",
    ),
    case(plan(double_degree()), "DD_INTERNSHIP_WITHIN", id="dd-internship-none"),
    # MASTER_DURATION: 12 to 24 months
    case(
        plan(activity("master", D(2026, 9, 1), D(2027, 8, 31))),
        "MASTER_DURATION",
        id="master-exactly-12-months",
    ),
    case(
        plan(activity("master", D(2026, 9, 1), D(2027, 8, 30))),
        "MASTER_DURATION",
        ("warning", "0"),
        id="master-one-day-short-of-12-months",
    ),
    case(
        plan(activity("master", D(2026, 9, 1), D(2027, 9, 1))),
        "MASTER_DURATION",
        id="master-12-months-and-a-day",
    ),
    case(
        plan(activity("master", D(2026, 9, 1), D(2028, 8, 30))),
        "MASTER_DURATION",
        id="master-one-day-short-of-24-months",
    ),
    case(
        plan(activity("master", D(2026, 9, 1), D(2028, 8, 31))),
        "MASTER_DURATION",
        id="master-exactly-24-months",
    ),
    case(
        plan(activity("master", D(2026, 9, 1), D(2028, 9, 1))),
        "MASTER_DURATION",
        ("warning", "0"),
        id="master-one-day-over-24-months",
    ),
    # NON_PARTNER_COSTS
    case(
        plan(activity("master", D(2026, 9, 1), D(2027, 8, 31), partner=False)),
        "NON_PARTNER_COSTS",
        ("warning", "0"),
        id="master-not-partner",
    ),
    case(
        plan(activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31), partner=False)),
        "NON_PARTNER_COSTS",
        ("warning", "0"),
        id="semester-not-partner",
    ),
    case(
        plan(activity("exchange_year", D(2026, 9, 1), D(2027, 6, 30), partner=False)),
        "NON_PARTNER_COSTS",
        ("warning", "0"),
        id="year-not-partner",
    ),
    case(plan(SEMESTER), "NON_PARTNER_COSTS", id="semester-partner"),
    case(
        plan(double_degree(partner=False)),
        "NON_PARTNER_COSTS",
        id="double-degree-has-its-own-partner-rule",
    ),
    # SEMESTER_ECTS: 30
    case(plan({**SEMESTER, "ects": 29}), "SEMESTER_ECTS", ("error", "0"), id="semester-29-ects"),
    case(plan({**SEMESTER, "ects": 30}), "SEMESTER_ECTS", id="semester-30-ects"),
    case(plan({**SEMESTER, "ects": 31}), "SEMESTER_ECTS", id="semester-31-ects"),
    case(plan({**YEAR, "ects": 29, "ects_project": 15}), "SEMESTER_ECTS", id="not-for-a-year"),
    # YEAR_ECTS: 60
    case(plan({**YEAR, "ects": 59}), "YEAR_ECTS", ("error", "0"), id="year-59-ects"),
    case(plan({**YEAR, "ects": 60}), "YEAR_ECTS", id="year-60-ects"),
    case(plan({**YEAR, "ects": 61}), "YEAR_ECTS", id="year-61-ects"),
    # YEAR_PROJECT
    case(
        plan(activity("exchange_year", D(2026, 9, 1), D(2027, 6, 30), ects_project=None)),
        "YEAR_PROJECT",
        ("error", "0"),
        id="year-project-missing",
    ),
    case(plan({**YEAR, "ects_project": 0}), "YEAR_PROJECT", ("error", "0"), id="year-project-0"),
    case(plan({**YEAR, "ects_project": 1}), "YEAR_PROJECT", id="year-project-1"),
    # SEMESTER_INTERNSHIP
    case(plan(SEMESTER), "SEMESTER_INTERNSHIP", ("error", "0"), id="semester-no-internship"),
    case(
        plan(lasting("engineering_internship", D(2026, 1, 5), 168), SEMESTER),
        "SEMESTER_INTERNSHIP",
        id="semester-after-an-internship",
    ),
    case(
        plan(SEMESTER, lasting("engineering_internship", D(2027, 2, 1), 168, country="FR")),
        "SEMESTER_INTERNSHIP",
        id="semester-before-an-internship",
    ),
    case(
        plan(SEMESTER, engineering_internship_validated=True),
        "SEMESTER_INTERNSHIP",
        id="semester-internship-validated",
    ),
    case(
        plan(SEMESTER, full_year_internship_before_departure=True),
        "SEMESTER_INTERNSHIP",
        ("error", "0"),
        id="semester-full-year-internship-is-not-an-engineering-internship",
    ),
    case(
        plan(SEMESTER, activity("exchange_semester", D(2027, 2, 1), D(2027, 6, 30))),
        "SEMESTER_INTERNSHIP",
        ("error", "0"),
        ("error", "1"),
        id="two-semesters-no-internship",
    ),
    case(plan(YEAR), "SEMESTER_INTERNSHIP", id="semester-internship-not-for-a-year"),
    # POST_RETURN_CAP: 24 weeks = 168 days after a semester, when it is the last obligation
    case(
        plan(SEMESTER, lasting("engineering_internship", D(2027, 2, 1), 169)),
        "POST_RETURN_CAP",
        ("error", "1"),
        id="post-return-169-days",
    ),
    case(
        plan(SEMESTER, lasting("engineering_internship", D(2027, 2, 1), 168)),
        "POST_RETURN_CAP",
        id="post-return-168-days",
    ),
    case(
        plan(SEMESTER, lasting("engineering_internship", D(2027, 2, 1), 167)),
        "POST_RETURN_CAP",
        id="post-return-167-days",
    ),
    case(
        plan(
            SEMESTER, lasting("engineering_internship", D(2027, 2, 1), 169, last_obligation=False)
        ),
        "POST_RETURN_CAP",
        id="post-return-not-the-last-obligation",
    ),
    case(
        plan(lasting("engineering_internship", D(2026, 1, 5), 169), SEMESTER),
        "POST_RETURN_CAP",
        id="internship-before-the-semester",
    ),
    case(
        plan(
            activity("exchange_semester", D(2026, 9, 1), D(2027, 2, 1)),
            lasting("engineering_internship", D(2027, 2, 1), 169),
        ),
        "POST_RETURN_CAP",
        id="semester-ends-the-day-the-internship-starts",
    ),
    case(
        plan(YEAR, lasting("engineering_internship", D(2027, 7, 1), 169)),
        "POST_RETURN_CAP",
        id="post-return-cap-only-after-a-semester",
    ),
    # FREE_INTERNSHIP_CONTEXT
    case(
        plan(YEAR, lasting("free_internship", D(2027, 7, 1), 60)),
        "FREE_INTERNSHIP_CONTEXT",
        id="free-internship-after-a-year",
    ),
    case(
        plan(lasting("free_internship", D(2027, 7, 1), 60)),
        "FREE_INTERNSHIP_CONTEXT",
        ("error", "0"),
        id="free-internship-without-a-year",
    ),
    case(
        plan(YEAR, lasting("free_internship", D(2027, 6, 30), 60)),
        "FREE_INTERNSHIP_CONTEXT",
        ("error", "1"),
        id="free-internship-from-the-last-day-of-the-year",
    ),
    case(
        plan(lasting("free_internship", D(2026, 6, 1), 60), YEAR),
        "FREE_INTERNSHIP_CONTEXT",
        ("error", "0"),
        id="free-internship-before-the-year",
    ),
    case(
        plan(SEMESTER, lasting("free_internship", D(2027, 2, 1), 60)),
        "FREE_INTERNSHIP_CONTEXT",
        ("error", "1"),
        id="free-internship-after-a-semester",
    ),
    # FREE_INTERNSHIP_ELIGIBILITY
    case(
        plan(YEAR, lasting("free_internship", D(2027, 7, 1), 60)),
        "FREE_INTERNSHIP_ELIGIBILITY",
        id="free-internship-eligible",
    ),
    case(
        plan(
            YEAR,
            lasting("free_internship", D(2027, 7, 1), 60),
            engineering_internship_validated=True,
        ),
        "FREE_INTERNSHIP_ELIGIBILITY",
        ("error", "1"),
        id="free-internship-engineering-internship-validated",
    ),
    case(
        plan(
            YEAR,
            lasting("free_internship", D(2027, 7, 1), 60),
            full_year_internship_before_departure=True,
        ),
        "FREE_INTERNSHIP_ELIGIBILITY",
        ("error", "1"),
        id="free-internship-full-year-internship-before",
    ),
    # FREE_INTERNSHIP_CAP: 24 weeks = 168 days
    case(
        plan(YEAR, lasting("free_internship", D(2027, 7, 1), 168)),
        "FREE_INTERNSHIP_CAP",
        id="free-internship-168-days",
    ),
    case(
        plan(YEAR, lasting("free_internship", D(2027, 7, 1), 169)),
        "FREE_INTERNSHIP_CAP",
        ("error", "1"),
        id="free-internship-169-days",
    ),
    case(
        plan(YEAR, lasting("free_internship", D(2027, 7, 1), 167)),
        "FREE_INTERNSHIP_CAP",
        id="free-internship-167-days",
    ),
    # SUMMER_APPROVAL
    case(
        plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), approvals=[])),
        "SUMMER_APPROVAL",
        ("warning", "0"),
        id="summer-no-approval",
    ),
    case(
        plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), approvals=None)),
        "SUMMER_APPROVAL",
        ("warning", "0"),
        id="summer-approvals-absent",
    ),
    case(
        plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), approvals=["DFI"])),
        "SUMMER_APPROVAL",
        ("warning", "0"),
        id="summer-dfi-only",
    ),
    case(
        plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), approvals=["DRI"])),
        "SUMMER_APPROVAL",
        ("warning", "0"),
        id="summer-dri-only",
    ),
    case(
        plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), approvals=["DRI", "DFI"])),
        "SUMMER_APPROVAL",
        id="summer-both-approvals",
    ),
    case(
        plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), country="FR", approvals=[])),
        "SUMMER_APPROVAL",
        id="summer-in-france",
    ),
    case(
        plan(activity("fh_internship", D(2026, 7, 1), D(2026, 8, 31))),
        "SUMMER_APPROVAL",
        id="summer-approval-not-for-fh-internship",
    ),
    # SUMMER_TYPE
    case(
        plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), summer_type="other")),
        "SUMMER_TYPE",
        ("info", "0"),
        id="summer-type-other",
    ),
    case(
        plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), summer_type="summer_school")),
        "SUMMER_TYPE",
        id="summer-school",
    ),
    # INTERNSHIP_MAX: a double degree's internship, 6 months
    case(
        plan(double_degree(internship=dd_internship(D(2027, 3, 1), D(2027, 8, 31)))),
        "INTERNSHIP_MAX",
        id="dd-internship-exactly-6-months",
    ),
    case(
        plan(double_degree(id="dd", internship=dd_internship(D(2027, 3, 1), D(2027, 9, 1)))),
        "INTERNSHIP_MAX",
        ("error", "dd"),
        id="dd-internship-6-months-and-a-day",
    ),
    case(
        plan(double_degree(internship=dd_internship(D(2027, 3, 1), D(2027, 8, 30)))),
        "INTERNSHIP_MAX",
        id="dd-internship-a-day-short-of-6-months",
    ),
    case(
        plan(activity("master", D(2026, 9, 1), D(2028, 8, 31))),
        "INTERNSHIP_MAX",
        id="internship-max-not-for-studies",
    ),
    # ENGINEERING_INTERNSHIP_SHORT: 24 weeks = 168 days
    case(
        plan(lasting("engineering_internship", D(2027, 2, 1), 167)),
        "ENGINEERING_INTERNSHIP_SHORT",
        ("warning", "0"),
        id="engineering-internship-167-days",
    ),
    case(
        plan(lasting("engineering_internship", D(2027, 2, 1), 168, country="FR")),
        "ENGINEERING_INTERNSHIP_SHORT",
        id="engineering-internship-168-days",
    ),
    case(
        plan(lasting("engineering_internship", D(2027, 2, 1), 169, country="FR")),
        "ENGINEERING_INTERNSHIP_SHORT",
        id="engineering-internship-169-days",
    ),
    # OVERLAP
    case(
        plan(
            activity("fh_internship", D(2026, 1, 1), D(2026, 1, 31)),
            activity("fh_internship", D(2026, 1, 31), D(2026, 2, 28)),
        ),
        "OVERLAP",
        ("error", "1"),
        id="overlap-one-day",
    ),
    case(
        plan(
            activity("fh_internship", D(2026, 1, 1), D(2026, 1, 31)),
            activity("fh_internship", D(2026, 2, 1), D(2026, 2, 28)),
        ),
        "OVERLAP",
        id="back-to-back",
    ),
    case(
        plan(
            activity("fh_internship", D(2026, 3, 1), D(2026, 4, 30)),
            activity("fh_internship", D(2026, 1, 1), D(2026, 3, 1)),
        ),
        "OVERLAP",
        ("error", "0"),
        id="overlap-names-the-later-start-not-the-later-listed",
    ),
    case(
        plan(
            activity("fh_internship", D(2026, 1, 1), D(2026, 1, 31)),
            activity("fh_internship", D(2026, 1, 1), D(2026, 1, 10)),
        ),
        "OVERLAP",
        ("error", "1"),
        id="overlap-same-start-names-the-later-listed",
    ),
    case(
        plan(
            activity("fh_internship", D(2026, 1, 1), D(2026, 3, 31)),
            activity("fh_internship", D(2026, 2, 1), D(2026, 2, 10)),
            activity("fh_internship", D(2026, 2, 5), D(2026, 4, 30)),
        ),
        "OVERLAP",
        ("error", "1"),
        ("error", "2"),
        id="overlap-each-activity-named-once",
    ),
    case(
        plan(
            activity("fh_internship", D(2026, 1, 1), D(2026, 1, 31)),
            activity("fh_internship", D(2026, 3, 1), D(2026, 3, 31)),
            activity("summer_stay", D(2026, 1, 15), D(2026, 3, 15)),
        ),
        "OVERLAP",
        ("error", "1"),
        ("error", "2"),
        id="overlap-a-later-start-overlapped-by-a-longer-one",
    ),
    case(
        plan(double_degree(internship=dd_internship(D(2027, 9, 1), D(2028, 1, 31)))),
        "OVERLAP",
        id="a-double-degrees-internship-is-not-an-activity",
    ),
]

INTERNSHIP_KINDS = ["fh_internship", "summer_stay", "engineering_internship", "free_internship"]


@pytest.mark.parametrize(("document", "rule", "expected"), CASES)
def test_rule_at_its_boundary(document, rule, expected):
    assert found(document, rule) == expected


@pytest.mark.parametrize("kind", ["fh_internship", "summer_stay"])
@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 7, 1), D(2026, 7, 31), []),
        (D(2026, 7, 1), D(2026, 7, 30), [("SUMMER_DURATION", "error", "0")]),
        (D(2026, 7, 1), D(2026, 8, 1), []),
        (D(2026, 7, 1), D(2026, 9, 29), []),
        (D(2026, 7, 1), D(2026, 9, 30), []),
        (D(2026, 7, 1), D(2026, 10, 1), [("SUMMER_DURATION", "error", "0")]),
        (D(2027, 1, 31), D(2027, 2, 27), []),
        (D(2027, 1, 31), D(2027, 2, 26), [("SUMMER_DURATION", "error", "0")]),
        (D(2028, 1, 31), D(2028, 2, 28), []),
        (D(2028, 1, 31), D(2028, 2, 27), [("SUMMER_DURATION", "error", "0")]),
    ],
)
def test_summer_duration_from_one_to_three_months(kind, start, end, expected):
    assert found(plan(activity(kind, start, end)), "SUMMER_DURATION") == expected


@pytest.mark.parametrize("kind", ["engineering_internship", "free_internship", "master"])
def test_summer_duration_is_only_for_summers(kind):
    assert found(plan(activity(kind, D(2026, 7, 1), D(2026, 7, 10))), "SUMMER_DURATION") == []


@pytest.mark.parametrize("kind", INTERNSHIP_KINDS)
@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (D(2027, 8, 30), []),
        (D(2027, 8, 31), []),
        (D(2027, 9, 1), [("INTERNSHIP_MAX", "error", "0")]),
    ],
)
def test_every_internship_lasts_at_most_six_months(kind, end, expected):
    assert found(plan(activity(kind, D(2027, 3, 1), end)), "INTERNSHIP_MAX") == expected


def test_a_rule_that_does_not_apply_says_nothing():
    sound = plan(
        lasting("engineering_internship", D(2026, 1, 5), 168, country="FR"),
        SEMESTER,
        activity("summer_stay", D(2027, 7, 1), D(2027, 8, 31), country="CA"),
    )
    assert found(sound) == []
