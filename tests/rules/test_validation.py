"""Invalid input: every problem at once, each naming its field, never a traceback."""

import json
from datetime import date as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.rules import InvalidPlan, Problem, parse_plan
from apps.rules.countries import COUNTRY_CODES
from tests.rules.builders import activity, plan

QUICK = settings(max_examples=200, deadline=None, database=None)

SEMESTER = activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31))
INTERNSHIP = activity("fh_internship", D(2026, 7, 1), D(2026, 8, 31))


def problems(source, lang="en") -> list[str]:
    with pytest.raises(InvalidPlan) as raised:
        parse_plan(source, lang)
    return [str(problem) for problem in raised.value.problems]


def paths(source) -> list[str]:
    return [line.split(": ", 1)[0] for line in problems(source)]


def with_activity(**fields) -> dict:
    """A plan of one exchange semester with `fields` changed; a field given as None is left out."""
    changed = {**SEMESTER, **fields}
    return plan({name: value for name, value in changed.items() if value is not None})


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (with_activity(grade="A"), ["activities[0].grade: unknown field"]),
        ({**plan(), "comment": "x"}, ["comment: unknown field"]),
        (plan(nickname="x"), ["student.nickname: unknown field"]),
        (
            plan({**INTERNSHIP, "partner": True}),
            ['activities[0].partner: field not allowed for an activity of kind "fh_internship"'],
        ),
        (
            with_activity(summer_type="other"),
            [
                "activities[0].summer_type: field not allowed for an activity of kind "
                '"exchange_semester"'
            ],
        ),
        (
            plan({**INTERNSHIP, "internship": {"start": "2026-07-01"}}),
            ['activities[0].internship: field not allowed for an activity of kind "fh_internship"'],
        ),
        (
            with_activity(kind="gap_year"),
            [
                'activities[0].kind: unknown value "gap_year"; expected one of "double_degree", '
                '"master", "exchange_semester", "exchange_year", "fh_internship", '
                '"summer_stay", "engineering_internship", "free_internship"'
            ],
        ),
        (with_activity(country="XX"), ['activities[0].country: unknown country code "XX"']),
        (
            with_activity(country="de"),
            [
                "activities[0].country: must be an ISO 3166-1 alpha-2 country code in capitals, "
                "such as DE"
            ],
        ),
        (with_activity(country="UK"), ['activities[0].country: unknown country code "UK"']),
        (with_activity(start="2026-02-30"), ['activities[0].start: not a real date: "2026-02-30"']),
        (with_activity(end="2027-02-29"), ['activities[0].end: not a real date: "2027-02-29"']),
        (
            with_activity(end="31/01/2027"),
            ["activities[0].end: must be a date written YYYY-MM-DD"],
        ),
        (
            with_activity(end="2026-08-31"),
            ["activities[0].end: 31 August 2026 is before the start, 1 September 2026"],
        ),
        (with_activity(ects=-1), ["activities[0].ects: must be 0 or more"]),
        (with_activity(ects=1.5), ["activities[0].ects: must be a whole number"]),
        (with_activity(ects="30"), ["activities[0].ects: must be a whole number"]),
        (with_activity(partner="yes"), ["activities[0].partner: must be true or false"]),
        (
            plan(activity("exchange_year", D(2026, 9, 1), D(2027, 6, 30), ects_project=61)),
            ["activities[0].ects_project: 61 is more than ects (60)"],
        ),
        (
            plan(activity("exchange_year", D(2026, 9, 1), D(2027, 6, 30), ects=-1, ects_project=0)),
            ["activities[0].ects: must be 0 or more"],
        ),
        (
            plan({**SEMESTER, "id": "x"}, {**INTERNSHIP, "id": "x"}),
            ['activities[1].id: the id "x" is already used by activities[0]'],
        ),
        (
            plan(SEMESTER, {**INTERNSHIP, "id": "0"}),
            ['activities[1].id: the id "0" is already used by activities[0]'],
        ),
        (with_activity(id=""), ["activities[0].id: must not be empty"]),
        (
            {**plan(), "regulation": "2031"},
            ['regulation: unknown regulation version "2031"; known versions: 2024'],
        ),
        ({**plan(), "regulation": ""}, ["regulation: must not be empty"]),
        (with_activity(start=None), ["activities[0].start: required field missing"]),
        (with_activity(partner=None), ["activities[0].partner: required field missing"]),
        (
            plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), summer_type=None)),
            ["activities[0].summer_type: required field missing"],
        ),
        (
            plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), approvals=["DFI", "DFI"])),
            ["activities[0].approvals: lists the same value twice"],
        ),
        (
            plan(activity("summer_stay", D(2026, 7, 1), D(2026, 8, 31), approvals=["DGA"])),
            ['activities[0].approvals[0]: unknown value "DGA"; expected one of "DFI", "DRI"'],
        ),
        (
            {"activities": []},
            ["student: required field missing"],
        ),
        (
            {"student": {"track": "FISE"}},
            ["student.year: required field missing", "activities: required field missing"],
        ),
        (plan(year=4), ["student.year: unknown value 4; expected one of 1, 2, 3"]),
        (plan(year=True), ["student.year: unknown value true; expected one of 1, 2, 3"]),
        (
            plan(track="fise"),
            ['student.track: unknown value "fise"; expected one of "FISE", "FISEA"'],
        ),
        ({**plan(), "activities": {}}, ["activities: must be a list"]),
        (plan("semester"), ["activities[0]: must be a JSON object"]),
    ],
)
def test_each_problem_names_its_field(document, expected):
    assert problems(document) == expected


@pytest.mark.parametrize(
    ("internship", "expected"),
    [
        (
            {"start": "2027-09-01", "end": "2027-08-31", "country": "DE"},
            ["activities[0].internship.end: 31 August 2027 is before the start, 1 September 2027"],
        ),
        (
            {"start": "2027-09-01", "end": "2027-10-31", "country": "XX"},
            ['activities[0].internship.country: unknown country code "XX"'],
        ),
        (
            {"start": "2027-09-31", "end": "2027-10-31", "country": "DE"},
            ['activities[0].internship.start: not a real date: "2027-09-31"'],
        ),
        (
            {"start": "2027-09-01", "country": "DE", "salary": 1},
            [
                "activities[0].internship.end: required field missing",
                "activities[0].internship.salary: unknown field",
            ],
        ),
    ],
)
def test_a_double_degrees_internship_is_checked_too(internship, expected):
    document = plan(activity("double_degree", D(2026, 9, 1), D(2028, 2, 29), internship=internship))
    assert problems(document) == expected


@pytest.mark.parametrize(
    "source",
    ["[]", "null", "42", '"plan"', "true", b"[1, 2]"],
)
def test_a_document_that_is_not_an_object(source):
    assert problems(source) == ["plan: must be a JSON object"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", "plan: not valid JSON (line 1, column 1)"),
        ('{"student": ', "plan: not valid JSON (line 1, column 13)"),
        ("{'student': 1}", "plan: not valid JSON (line 1, column 2)"),
        ('{"student": NaN}', "plan: not valid JSON"),
        ('{"student": Infinity}', "plan: not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "plan: not valid JSON"),
        (b"\xff\xfe{}", "plan: not UTF-8 text"),
        (b"\xc3(", "plan: not UTF-8 text"),
    ],
)
def test_input_that_is_not_json(source, expected):
    assert problems(source) == [expected]


def with_ects(literal: str) -> str:
    return json.dumps(with_activity(ects=0)).replace('"ects": 0', '"ects": ' + literal)


def test_numbers_are_read_as_written_not_as_floats():
    # A float would round the first to 30 and the second to -0.0, both whole.
    assert problems(with_ects("29.999999999999999999")) == [
        "activities[0].ects: must be a whole number"
    ]
    assert problems(with_ects("-1e-400")) == [
        "activities[0].ects: must be a whole number",
        "activities[0].ects: must be 0 or more",
    ]
    assert problems(with_ects("0.5")) == ["activities[0].ects: must be a whole number"]


@pytest.mark.parametrize("literal", ["30", "30.0", "3e1", "3.0E+1"])
def test_a_whole_number_however_written_is_a_whole_number(literal):
    assert parse_plan(with_ects(literal)).activities[0].ects == 30


def test_huge_numbers_are_read_whole_or_refused_as_values():
    assert parse_plan(with_ects("1e400")).activities[0].ects == 10**400
    assert parse_plan(with_ects("9" * 4000)).activities[0].ects == int("9" * 4000)
    assert problems(with_ects("9" * 5000)) == ["activities[0].ects: must be a whole number"]
    assert problems("9" * 5000) != ["plan: not valid JSON"]  # it is JSON, not a plan


def test_an_id_that_no_output_could_print():
    document = json.dumps(with_activity(id="x")).replace('"x"', '"\\ud800"')
    assert problems(document) == ["activities[0].id: not valid Unicode text"]


def test_an_unknown_field_with_an_odd_name_stays_on_one_line():
    assert problems(with_activity(**{"bad\nname": 1})) == [
        'activities[0]["bad\\nname"]: unknown field'
    ]


def test_a_date_followed_by_a_newline_is_not_a_date():
    assert problems(with_activity(start="2026-09-01\n")) == [
        'activities[0].start: not a real date: "2026-09-01\\n"'
    ]


def test_an_unknown_kind_hides_what_depends_on_the_kind():
    document = plan(
        {
            "kind": "sabbatical",
            "start": "2026-09-01",
            "end": "2027-01-31",
            "country": "DE",
            "partner": True,
            "approvals": [],
        }
    )
    assert paths(document) == ["activities[0].kind"]
    assert paths(plan({"start": "2026-09-01", "end": "2027-01-31", "country": "DE"})) == [
        "activities[0].kind"
    ]


@pytest.mark.parametrize("kind", [["master"], {"kind": "master"}, 7, None])
def test_a_kind_of_the_wrong_type_is_reported_not_raised(kind):
    # With fields that depend on the kind, a list or an object as the kind once raised
    # TypeError (unhashable) instead of naming the field.
    document = plan(
        {
            "kind": kind,
            "start": "2026-09-01",
            "end": "2027-08-31",
            "country": "DE",
            "partner": True,
            "ects": 60,
        }
    )
    assert paths(document) == ["activities[0].kind"]


def test_all_problems_are_reported_at_once_in_document_order():
    document = {
        "regulation": "2031",
        "student": {"track": "FISE", "year": 2, "favourite": True},
        "activities": [
            {**SEMESTER, "start": "2026-02-30", "ects": 1.5},
            {**INTERNSHIP, "country": "de", "ects": 30},
            {**SEMESTER, "id": "1", "end": "2026-08-01"},
        ],
    }
    assert paths(document) == [
        "regulation",
        "student.favourite",
        "activities[0].start",
        "activities[0].ects",
        "activities[1].country",
        "activities[1].ects",
        "activities[2].id",
        "activities[2].end",
    ]


def test_problems_in_french_by_default():
    assert problems(with_activity(start=None), "fr") == [
        "activities[0].start: champ obligatoire manquant"
    ]
    with pytest.raises(InvalidPlan) as raised:
        parse_plan("{")
    assert raised.value.problems == [Problem("plan", "JSON invalide (ligne 1, colonne 2)")]


def test_an_integral_float_is_an_integer_for_json_schema():
    assert parse_plan(with_activity(ects=30.0)).activities[0].ects == 30


def test_defaults_of_optional_fields():
    parsed = parse_plan(plan(activity("engineering_internship", D(2027, 2, 1), D(2027, 7, 31))))
    assert parsed.regulation == "2024"
    assert parsed.student.engineering_internship_validated is False
    assert parsed.student.full_year_internship_before_departure is False
    assert parsed.activities[0].id == "0"
    assert parsed.activities[0].last_obligation is True


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["student", "activities", "kind", "start", "end", "id", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@QUICK
@given(JSON_VALUES)
def test_any_decoded_value_is_a_plan_or_problems(value):
    try:
        parse_plan(value)
    except InvalidPlan as invalid:
        assert invalid.problems
        assert all("\n" not in str(problem) for problem in invalid.problems)


@QUICK
@given(st.binary(max_size=200))
def test_any_bytes_are_a_plan_or_problems(source):
    with pytest.raises(InvalidPlan):
        parse_plan(source)


def test_python_values_json_cannot_hold_are_problems_not_crashes():
    document = {**with_activity(start=D(2026, 9, 1), kind=D(2026, 9, 1)), ("odd",): 1}
    assert problems(document) == [
        'activities[0].kind: unknown value "2026-09-01"; expected one of "double_degree", '
        '"master", "exchange_semester", "exchange_year", "fh_internship", "summer_stay", '
        '"engineering_internship", "free_internship"',
        "activities[0].start: must be a string",
        "[\"('odd',)\"]: unknown field",
    ]


def test_a_long_value_is_shortened_in_its_problem():
    [line] = problems(with_activity(kind="k" * 1000))
    assert line == f'activities[0].kind: unknown value "{"k" * 56}...; expected one of ' + (
        '"double_degree", "master", "exchange_semester", "exchange_year", "fh_internship", '
        '"summer_stay", "engineering_internship", "free_internship"'
    )


def test_country_codes_are_the_officially_assigned_ones():
    assert len(COUNTRY_CODES) == 249
    assert {"FR", "DE", "GB", "US", "JP", "BQ", "SS"} <= COUNTRY_CODES
    assert not {"XK", "EU", "UK", "EL", "ZZ"} & COUNTRY_CODES


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("1e999999999999999999999", ["activities[0].ects: must be a whole number"]),
        ("1e-99999999999999999999", ["activities[0].ects: must be a whole number"]),
        (
            "-1e999999999999999999999",
            ["activities[0].ects: must be a whole number", "activities[0].ects: must be 0 or more"],
        ),
    ],
)
def test_exponents_past_any_decimal_are_wrong_values_not_a_crash(literal, expected):
    assert problems(with_ects(literal)) == expected


@pytest.mark.parametrize("literal", ["0e999999999999999999999", "-0.0e-99999999999999999999"])
def test_zero_is_zero_whatever_its_exponent(literal):
    assert parse_plan(with_ects(literal)).activities[0].ects == 0


def test_a_number_where_a_word_is_expected_is_shown_as_written():
    document = json.dumps(with_activity()).replace('"exchange_semester"', "2.5")
    [problem] = [p for p in problems(document) if p.startswith("activities[0].kind")]
    assert "2.5" in problem and '"2.5"' not in problem
