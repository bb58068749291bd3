"""The output object, finding order, ids, messages and references in both languages."""

import json
import re
from datetime import date as D

import pytest

from apps.rules import LANGUAGES, check_json, check_many, check_plan, parse_plan, text_report
from apps.rules.messages import MESSAGES, PROBLEMS, REFERENCES
from apps.rules.rules import RULES
from tests.rules.builders import activity, check, lasting, plan

# The rules table of the regulations, in its order: id, severity, applies to.
TABLE = [
    ("FAE_MINIMUM", "error", "plan"),
    ("DD_PARTNER", "error", "double_degree"),
    ("DD_DURATION", "error", "double_degree"),
    ("DD_INTERNSHIP_COUNTRY", "error", "double_degree with internship"),
    ("DD_INTERNSHIP_WITHIN", "error", "double_degree with internship"),
    ("MASTER_DURATION", "warning", "master"),
    ("NON_PARTNER_COSTS", "warning", "master, exchange_semester, exchange_year"),
    ("SEMESTER_ECTS", "error", "exchange_semester"),
    ("YEAR_ECTS", "error", "exchange_year"),
    ("YEAR_PROJECT", "error", "exchange_year"),
    ("SEMESTER_INTERNSHIP", "error", "exchange_semester"),
    ("POST_RETURN_CAP", "error", "engineering_internship"),
    ("FREE_INTERNSHIP_CONTEXT", "error", "free_internship"),
    ("FREE_INTERNSHIP_ELIGIBILITY", "error", "free_internship"),
    ("FREE_INTERNSHIP_CAP", "error", "free_internship"),
    ("SUMMER_DURATION", "error", "fh_internship, summer_stay"),
    ("SUMMER_APPROVAL", "warning", "summer_stay abroad"),
    ("SUMMER_TYPE", "info", "summer_stay"),
    ("INTERNSHIP_MAX", "error", "every internship kind, and a double degree's internship"),
    ("ENGINEERING_INTERNSHIP_SHORT", "warning", "engineering_internship"),
    ("OVERLAP", "error", "plan"),
]

SHORT_DOUBLE_DEGREE = plan(
    activity(
        "double_degree",
        D(2026, 9, 1),
        D(2028, 2, 28),
        id="a1",
        internship={"start": "2027-09-01", "end": "2028-03-31", "country": "AT"},
    )
)


def test_the_rules_are_those_of_the_table_in_its_order():
    assert [(rule.id, rule.severity, rule.applies_to) for rule in RULES] == TABLE


def test_output_object_has_exactly_the_contract_fields():
    output = check(SHORT_DOUBLE_DEGREE).to_dict()
    assert list(output) == [
        "regulation",
        "compliant",
        "qualifying_days",
        "required_days",
        "findings",
    ]
    assert output["regulation"] == "2024"
    assert output["compliant"] is False
    assert (output["qualifying_days"], output["required_days"]) == (546, 0)
    for finding in output["findings"]:
        assert list(finding) == ["rule", "severity", "activity", "message", "reference"]
    assert json.loads(json.dumps(output)) == output


def test_messages_give_the_figures_in_plain_words():
    english = {finding.rule: finding for finding in check(SHORT_DOUBLE_DEGREE, "en").findings}
    french = {finding.rule: finding for finding in check(SHORT_DOUBLE_DEGREE, "fr").findings}
    assert english["DD_DURATION"].message == (
        "The double degree lasts 17 months and 28 days; at least 18 months are required."
    )
    assert french["DD_DURATION"].message == (
        "Le double diplôme dure 17 mois et 28 jours ; il faut au moins 18 mois."
    )
    assert english["DD_DURATION"].reference == "Regulations 2024 — Double degree, minimum length"
    assert french["DD_DURATION"].reference == "Règlement 2024 — Double diplôme, durée minimale"
    assert english["INTERNSHIP_MAX"].message.startswith(
        "The double degree's internship lasts 7 months; an internship may last at most 6 months"
    )
    assert "AT" in english["DD_INTERNSHIP_COUNTRY"].message
    assert "DE" in english["DD_INTERNSHIP_COUNTRY"].message


@pytest.mark.parametrize(
    ("document", "english", "french"),
    [
        (
            plan(lasting("fh_internship", D(2027, 7, 1), 62), track="FISEA"),
            "The qualifying time abroad is 62 days; apprentices (FISEA) need at least 9 weeks "
            "(63 days).",
            "Le temps retenu à l'étranger est de 62 jours ; les apprentis (FISEA) doivent en "
            "passer au moins 9 semaines (63 jours).",
        ),
        (
            plan(activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31), ects=1, id="s")),
            "The exchange semester plans 1 ECTS; at least 30 ECTS are required.",
            "Le semestre d'échange prévoit 1 ECTS ; il en faut au moins 30.",
        ),
    ],
)
def test_first_finding_message_in_both_languages(document, english, french):
    assert check(document, "en").findings[0].message == english
    assert check(document, "fr").findings[0].message == french


SEMESTER = activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31))
YEAR = activity("exchange_year", D(2026, 9, 1), D(2027, 6, 30))


@pytest.mark.parametrize(
    ("document", "rule", "english", "french"),
    [
        (
            plan(lasting("fh_internship", D(2027, 7, 1), 118)),
            "FAE_MINIMUM",
            "The qualifying time abroad is 118 days and it includes no study period; at least "
            "one academic semester of study abroad is required, or 17 weeks (119 days) of "
            "internships and summer stays.",
            "Le temps retenu à l'étranger est de 118 jours et ne comprend aucune période "
            "d'études ; il faut au moins un semestre académique d'études à l'étranger, ou 17 "
            "semaines (119 jours) de stages et de séjours d'été.",
        ),
        (
            plan(activity("master", D(2026, 9, 1), D(2027, 8, 30))),
            "MASTER_DURATION",
            "The master lasts 11 months and 30 days; a master lasts between 12 months and 24 "
            "months.",
            "Le master dure 11 mois et 30 jours ; un master dure entre 12 mois et 24 mois.",
        ),
        (
            plan(activity("master", D(2026, 9, 1), D(2028, 9, 1))),
            "MASTER_DURATION",
            "The master lasts 24 months and 1 day; a master lasts between 12 months and 24 months.",
            "Le master dure 24 mois et 1 jour ; un master dure entre 12 mois et 24 mois.",
        ),
        (
            plan({**YEAR, "ects": 59}),
            "YEAR_ECTS",
            "The exchange year plans 59 ECTS; at least 60 ECTS are required.",
            "L'année d'échange prévoit 59 ECTS ; il en faut au moins 60.",
        ),
        (
            plan({**YEAR, "ects_project": 0}),
            "YEAR_PROJECT",
            "The exchange year plans no ECTS of final project, thesis or internship; about 30 "
            "of the 60 ECTS must be one of them.",
            "L'année d'échange ne prévoit aucun ECTS de projet de fin d'études, de mémoire ou "
            "de stage ; environ 30 des 60 ECTS doivent en relever.",
        ),
        (
            plan(SEMESTER, lasting("engineering_internship", D(2027, 2, 1), 169)),
            "POST_RETURN_CAP",
            "This engineering internship follows an exchange semester and is the last "
            "obligation before graduating, so it may last at most 24 weeks (168 days); it lasts "
            "169 days.",
            "Ce stage ingénieur suit un semestre d'échange et constitue la dernière obligation "
            "avant le diplôme : il ne peut dépasser 24 semaines (168 jours) ; il dure 169 jours.",
        ),
        (
            plan(YEAR, lasting("free_internship", D(2027, 7, 1), 169)),
            "FREE_INTERNSHIP_CAP",
            "The free internship lasts 169 days; it may last at most 24 weeks (168 days).",
            "Le stage libre dure 169 jours ; il ne peut dépasser 24 semaines (168 jours).",
        ),
        (
            plan(activity("summer_stay", D(2026, 7, 1), D(2026, 7, 30))),
            "SUMMER_DURATION",
            "The summer stay lasts 30 days; it must last between 1 month and 3 months.",
            "Le séjour d'été dure 30 jours ; il doit durer entre 1 mois et 3 mois.",
        ),
        (
            plan(activity("fh_internship", D(2026, 7, 1), D(2026, 10, 1))),
            "SUMMER_DURATION",
            "The human development internship (FH) lasts 3 months and 1 day; it must last "
            "between 1 month and 3 months.",
            "Le stage de formation humaine (FH) dure 3 mois et 1 jour ; il doit durer entre 1 "
            "mois et 3 mois.",
        ),
        (
            plan(activity("engineering_internship", D(2027, 3, 1), D(2027, 9, 1))),
            "INTERNSHIP_MAX",
            "The engineering internship lasts 6 months and 1 day; an internship may last at "
            "most 6 months (French law on internship agreements).",
            "Le stage ingénieur dure 6 mois et 1 jour ; un stage ne peut dépasser 6 mois (loi "
            "française sur les conventions de stage).",
        ),
        (
            plan(lasting("engineering_internship", D(2027, 2, 1), 167)),
            "ENGINEERING_INTERNSHIP_SHORT",
            "The engineering internship lasts 167 days; the end-of-studies internship lasts "
            "about six months, at least 24 weeks (168 days).",
            "Le stage ingénieur dure 167 jours ; le stage de fin d'études dure environ six mois, "
            "au moins 24 semaines (168 jours).",
        ),
    ],
)
def test_a_threshold_crossed_by_a_day_or_an_ects_is_quoted_with_both_figures(
    document, rule, english, french
):
    for lang, expected in (("en", english), ("fr", french)):
        messages = [f.message for f in check(document, lang).findings if f.rule == rule]
        assert messages == [expected]


def test_every_finding_has_a_message_and_reference_in_both_languages():
    for rule_id, _, _ in TABLE:
        assert set(REFERENCES[rule_id]) == set(LANGUAGES)
    for table in (MESSAGES, PROBLEMS):
        for key, texts in table.items():
            assert set(texts) == set(LANGUAGES), key
            placeholders = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
            assert placeholders["fr"] == placeholders["en"], key


def test_findings_plan_level_first_then_by_activity_in_list_order_then_table_order():
    document = plan(
        activity("summer_stay", D(2027, 7, 1), D(2027, 10, 15), id="summer", summer_type="other"),
        activity("master", D(2026, 9, 1), D(2027, 7, 15), id="master", partner=False, country="FR"),
    )
    found = [(finding.rule, finding.activity) for finding in check(document).findings]
    assert found == [
        ("FAE_MINIMUM", None),
        ("SUMMER_DURATION", "summer"),
        ("SUMMER_TYPE", "summer"),
        ("OVERLAP", "summer"),
        ("MASTER_DURATION", "master"),
        ("NON_PARTNER_COSTS", "master"),
    ]


def test_an_activity_without_id_is_named_by_its_index():
    document = plan(
        activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31), id="named"),
        activity("exchange_semester", D(2027, 2, 1), D(2027, 6, 30), ects=20),
    )
    assert [finding.activity for finding in check(document).findings] == ["named", "1", "1"]


def test_compliant_iff_no_error_finding():
    warning_only = plan(
        activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31), partner=False),
        engineering_internship_validated=True,
    )
    result = check(warning_only)
    assert [finding.severity for finding in result.findings] == ["warning"]
    assert result.compliant is True
    assert check(SHORT_DOUBLE_DEGREE).compliant is False


def test_the_regulation_named_by_the_plan_is_used():
    assert check({**plan(), "regulation": "2024"}).regulation == "2024"
    assert check(plan()).regulation == "2024"


def test_check_json_takes_text_bytes_or_data_and_check_plan_a_plan():
    text = json.dumps(SHORT_DOUBLE_DEGREE)
    expected = check_json(SHORT_DOUBLE_DEGREE, "en")
    assert check_json(text, "en") == expected
    assert check_json(text.encode(), "en") == expected
    assert check_plan(parse_plan(text), "en") == expected


def test_check_many_pairs_each_key_with_a_result_or_the_problems():
    outcomes = dict(check_many([("good", plan()), ("bad", "{"), ("odd", [])], "en"))
    assert outcomes["good"].to_dict()["findings"][0]["rule"] == "FAE_MINIMUM"
    assert [str(problem) for problem in outcomes["bad"]] == [
        "plan: not valid JSON (line 1, column 2)"
    ]
    assert [problem.path for problem in outcomes["odd"]] == ["plan"]


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unsupported language"):
        check(plan(), "de")


def test_text_report_one_line_per_finding_and_a_summary():
    lines = text_report(check(SHORT_DOUBLE_DEGREE, "en"), "en").splitlines()
    assert lines[0] == (
        "ERROR DD_DURATION [a1] The double degree lasts 17 months and 28 days; at least 18 "
        "months are required. (Regulations 2024 — Double degree, minimum length)"
    )
    assert len(lines) == len(check(SHORT_DOUBLE_DEGREE).findings) + 1
    assert lines[-1] == (
        "Not compliant: 4 errors, 0 warnings, 0 notes; qualifying time abroad 546 days, "
        "required 0 days."
    )
    french = text_report(check(plan(), "fr"), "fr").splitlines()
    assert french[0].startswith("ERREUR FAE_MINIMUM Le temps retenu")
    assert french[-1] == (
        "Non conforme : 1 erreur, 0 avertissement, 0 information ; temps retenu à l'étranger "
        "0 jour, requis 119 jours."
    )
