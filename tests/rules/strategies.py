"""Hypothesis strategies: valid plan documents, with dates inside a chosen window."""

from datetime import date, timedelta

from hypothesis import strategies as st

STUDY_KINDS = ["double_degree", "master", "exchange_semester", "exchange_year"]
INTERNSHIP_KINDS = ["fh_internship", "summer_stay", "engineering_internship", "free_internship"]
KINDS = STUDY_KINDS + INTERNSHIP_KINDS
COUNTRIES = ["FR", "DE", "US"]

FIRST_DAY = date(2024, 3, 1)
LAST_DAY = date(2026, 2, 28)  # from FIRST_DAY to LAST_DAY, no 29 February


@st.composite
def periods(draw, first: date = FIRST_DAY, last: date = LAST_DAY) -> tuple[date, date]:
    start = draw(st.dates(first, last))
    length = draw(st.integers(0, 200) | st.integers(0, 800))
    return start, min(start + timedelta(days=length), last)


@st.composite
def activities(
    draw, kinds: list[str] = KINDS, first: date = FIRST_DAY, last: date = LAST_DAY
) -> dict:
    kind = draw(st.sampled_from(kinds))
    start, end = draw(periods(first, last))
    document: dict = {
        "kind": kind,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "country": draw(st.sampled_from(COUNTRIES)),
    }
    if kind in STUDY_KINDS:
        document["partner"] = draw(st.booleans())
        document["ects"] = draw(st.integers(0, 130))
    if kind == "exchange_year" and draw(st.booleans()):
        document["ects_project"] = draw(st.integers(0, document["ects"]))
    if kind == "double_degree" and draw(st.booleans()):
        internship_start, internship_end = draw(periods(first, last))
        document["internship"] = {
            "start": internship_start.isoformat(),
            "end": internship_end.isoformat(),
            "country": draw(st.sampled_from(COUNTRIES)),
        }
    if kind == "summer_stay":
        document["summer_type"] = draw(
            st.sampled_from(["lab_internship", "company_internship", "summer_school", "other"])
        )
        if draw(st.booleans()):
            document["approvals"] = sorted(draw(st.sets(st.sampled_from(["DFI", "DRI"]))))
    if kind == "engineering_internship" and draw(st.booleans()):
        document["last_obligation"] = draw(st.booleans())
    return document


@st.composite
def plans(draw, first: date = FIRST_DAY, last: date = LAST_DAY, max_activities: int = 5) -> dict:
    drawn = draw(st.lists(activities(first=first, last=last), max_size=max_activities))
    if draw(st.booleans()):
        drawn = [{"id": f"a{index}", **document} for index, document in enumerate(drawn)]
    student = {
        "track": draw(st.sampled_from(["FISE", "FISEA"])),
        "year": draw(st.sampled_from([1, 2, 3])),
    }
    for flag in ("engineering_internship_validated", "full_year_internship_before_departure"):
        if draw(st.booleans()):
            student[flag] = draw(st.booleans())
    return {"student": student, "activities": drawn}
