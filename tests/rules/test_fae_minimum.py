"""FAE_MINIMUM: qualifying time abroad, 9 weeks for apprentices, a semester (or 17 weeks) for
FISE students."""

from datetime import date as D

import pytest

from tests.rules.builders import activity, check, lasting, plan

FAE = ("FAE_MINIMUM", "error", None)


def fae(document):
    result = check(document)
    fae_findings = [
        (finding.rule, finding.severity, finding.activity)
        for finding in result.findings
        if finding.rule == "FAE_MINIMUM"
    ]
    return result.qualifying_days, result.required_days, fae_findings


@pytest.mark.parametrize(
    ("track", "days", "expected"),
    [
        ("FISEA", 62, (62, 63, [FAE])),
        ("FISEA", 63, (63, 63, [])),
        ("FISEA", 64, (64, 63, [])),
        ("FISE", 118, (118, 119, [FAE])),
        ("FISE", 119, (119, 119, [])),
        ("FISE", 120, (120, 119, [])),
    ],
)
def test_internships_abroad_at_the_threshold(track, days, expected):
    document = plan(lasting("engineering_internship", D(2027, 2, 1), days), track=track)
    assert fae(document) == expected


@pytest.mark.parametrize("kind", ["double_degree", "master", "exchange_semester", "exchange_year"])
def test_fise_any_study_period_abroad_is_enough_whatever_its_length(kind):
    document = plan(activity(kind, D(2026, 9, 1), D(2026, 9, 7)))
    assert fae(document) == (7, 0, [])


def test_fise_a_study_period_in_france_does_not_count():
    document = plan(activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31), country="FR"))
    assert fae(document) == (0, 119, [FAE])


def test_fisea_needs_nine_weeks_even_with_a_study_period():
    document = plan(activity("master", D(2026, 9, 1), D(2026, 10, 31)), track="FISEA")
    assert fae(document) == (61, 63, [FAE])


def test_a_summer_stay_abroad_counts_once_both_dfi_and_dri_validate_it():
    def summer(approvals):
        return plan(
            activity("summer_stay", D(2026, 6, 1), D(2026, 8, 31), approvals=approvals),
            track="FISEA",
        )

    assert fae(summer(["DFI", "DRI"])) == (92, 63, [])
    assert fae(summer(["DFI"])) == (0, 63, [FAE])
    assert fae(summer(["DRI"])) == (0, 63, [FAE])
    assert fae(summer([])) == (0, 63, [FAE])


def test_an_unapproved_summer_stay_in_france_or_abroad_never_counts():
    document = plan(activity("summer_stay", D(2026, 6, 1), D(2026, 8, 31), country="FR"))
    assert fae(document)[0] == 0


def test_overlapping_days_count_once():
    document = plan(
        activity("fh_internship", D(2026, 7, 1), D(2026, 8, 31)),
        activity("engineering_internship", D(2026, 8, 1), D(2026, 10, 31)),
    )
    assert fae(document) == (123, 119, [])


def test_only_the_double_degrees_own_dates_count_not_its_internship():
    internship = {"start": "2028-02-01", "end": "2028-06-30", "country": "DE"}
    document = plan(
        activity("double_degree", D(2026, 9, 1), D(2028, 2, 29), internship=internship),
        track="FISEA",
    )
    assert fae(document) == (547, 63, [])


def test_days_in_france_do_not_count():
    document = plan(
        lasting("engineering_internship", D(2027, 1, 4), 100, country="FR"),
        lasting("fh_internship", D(2027, 7, 1), 62, country="US"),
        track="FISEA",
    )
    assert fae(document) == (62, 63, [FAE])


@pytest.mark.parametrize(("track", "required"), [("FISE", 119), ("FISEA", 63)])
def test_an_empty_plan_is_valid_and_falls_short(track, required):
    assert fae(plan(track=track)) == (0, required, [FAE])
