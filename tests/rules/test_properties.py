"""Properties of the engine over generated valid plans."""

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from apps.rules import check_json
from apps.rules.rules import RULES
from tests.rules.strategies import FIRST_DAY, LAST_DAY, activities, plans

QUICK = settings(max_examples=100, deadline=None, database=None)
TABLE_ORDER = {rule.id: order for order, rule in enumerate(RULES)}
STUDY_KINDS = {"double_degree", "master", "exchange_semester", "exchange_year"}


def period(document: dict) -> tuple[date, date]:
    return date.fromisoformat(document["start"]), date.fromisoformat(document["end"])


@QUICK
@given(plans())
def test_compliant_iff_no_error_finding(document):
    result = check_json(document)
    assert result.compliant == all(finding.severity != "error" for finding in result.findings)


@QUICK
@given(plans())
def test_findings_plan_level_first_then_by_activity_then_table_order(document):
    ids = [item.get("id", str(index)) for index, item in enumerate(document["activities"])]
    keys = [
        (-1 if finding.activity is None else ids.index(finding.activity), TABLE_ORDER[finding.rule])
        for finding in check_json(document).findings
    ]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


@QUICK
@given(plans())
def test_qualifying_days_is_the_number_of_distinct_days_abroad(document):
    qualifying = [
        item
        for item in document["activities"]
        if item["country"] != "FR"
        and (item["kind"] != "summer_stay" or set(item.get("approvals", ())) == {"DFI", "DRI"})
    ]
    covered = set()
    for item in qualifying:
        start, end = period(item)
        covered.update(start + timedelta(days=offset) for offset in range((end - start).days + 1))
    if document["student"]["track"] == "FISEA":
        required = 63
    elif any(item["kind"] in STUDY_KINDS for item in qualifying):
        required = 0
    else:
        required = 119
    result = check_json(document)
    assert (result.qualifying_days, result.required_days) == (len(covered), required)
    fae = [finding for finding in result.findings if finding.rule == "FAE_MINIMUM"]
    assert len(fae) == (1 if len(covered) < required else 0)


@QUICK
@given(plans())
def test_overlap_names_each_activity_overlapping_an_earlier_one(document):
    items = document["activities"]

    def named(index: int) -> bool:
        start, end = period(items[index])
        for other_index, other in enumerate(items):
            other_start, other_end = period(other)
            earlier = other_start < start or (other_start == start and other_index < index)
            if other_index != index and earlier and other_start <= end and start <= other_end:
                return True
        return False

    ids = [item.get("id", str(index)) for index, item in enumerate(items)]
    expected = [ids[index] for index in range(len(items)) if named(index)]
    overlaps = [f.activity for f in check_json(document).findings if f.rule == "OVERLAP"]
    assert overlaps == expected


# Adding an activity can remove only three findings: FAE_MINIMUM (the plan now has more time
# abroad), SEMESTER_INTERNSHIP (when it is an engineering internship) and
# FREE_INTERNSHIP_CONTEXT (when it is an exchange year ending before). Added after or before
# every other activity, abroad, of another kind, it removes no finding about another activity.
UNRELATED_KINDS = [
    "double_degree",
    "master",
    "exchange_semester",
    "fh_internship",
    "summer_stay",
    "free_internship",
]


@QUICK
@given(
    plans(),
    activities(kinds=UNRELATED_KINDS, first=date(2030, 1, 1), last=date(2031, 12, 31)),
    st.booleans(),
)
def test_an_unrelated_activity_abroad_removes_no_finding_about_another(document, extra, before):
    if extra["country"] == "FR":
        extra["country"] = "DE"
    if before:  # the same activity, moved before every other one
        start, end = period(extra)
        shift = start - date(2020, 1, 1)
        extra = {**extra, "start": str(start - shift), "end": str(end - shift)}
        extra.pop("internship", None)
    extended = {**document, "activities": [*document["activities"], {**extra, "id": "extra"}]}

    def about_activities(result):
        return {
            (finding.rule, finding.severity, finding.activity, finding.message)
            for finding in result.findings
            if finding.activity is not None
        }

    assert about_activities(check_json(document)) <= about_activities(check_json(extended))


# Day counts and month ends depend on the calendar only through 29 February. The plans drawn
# lie between FIRST_DAY and LAST_DAY, a window without any 29 February; shifted by a whole
# number of years that keeps the window without one, their findings do not change.
SAFE_SHIFTS = [
    years
    for years in range(-20, 21)
    if (FIRST_DAY.year + 1 + years) % 4 and (LAST_DAY.year + years) % 4
]


def shifted(document: dict, years: int) -> dict:
    def move(day: str) -> str:
        year, rest = day.split("-", 1)
        return f"{int(year) + years:04d}-{rest}"

    def move_dates(item: dict) -> dict:
        moved = {**item, "start": move(item["start"]), "end": move(item["end"])}
        if "internship" in item:
            moved["internship"] = move_dates(item["internship"])
        return moved

    return {**document, "activities": [move_dates(item) for item in document["activities"]]}


@QUICK
@given(plans(), st.sampled_from(SAFE_SHIFTS))
def test_shifting_by_whole_years_keeps_the_findings(document, years):
    assume(years != 0)

    def summary(result):
        findings = [
            (finding.rule, finding.severity, finding.activity) for finding in result.findings
        ]
        return result.qualifying_days, result.required_days, findings

    assert summary(check_json(shifted(document, years))) == summary(check_json(document))
