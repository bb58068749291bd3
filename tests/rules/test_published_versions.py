"""Versions published by the DRI (data, not code) next to the built-in ones: the engine checks a
plan under whichever its plan names, and a plan naming none under the current one."""

import io
import json
from dataclasses import asdict
from datetime import date as D

import pytest
from django.core.management import call_command

from apps.rules import BUILT_IN, VERSIONS, InvalidPlan, check_json
from apps.rules.versions import PARAMETERS, Regulations, with_published
from tests.rules.builders import activity, plan

FIGURES_2025 = {
    **{parameter: getattr(VERSIONS["2024"], parameter) for parameter in PARAMETERS},
    "semester_minimum_ects": 27,
    "fise_minimum_weeks": 20,
}
WITH_2025 = with_published({"2025": FIGURES_2025}, current="2025")
SEMESTER_28 = plan(
    activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31), ects=28),
    engineering_internship_validated=True,
)


def rules_of(result) -> list[str]:
    return [finding.rule for finding in result.findings]


def test_a_plan_naming_no_version_is_checked_under_the_current_one():
    result = check_json(SEMESTER_28, "en", WITH_2025)
    assert result.regulation == "2025"
    assert "SEMESTER_ECTS" not in rules_of(result)
    apprentice = check_json(plan(track="FISEA"), "en", WITH_2025)
    assert apprentice.required_days == VERSIONS["2024"].fisea_minimum_weeks * 7
    student = check_json(plan(), "en", WITH_2025)
    assert student.required_days == 20 * 7  # the published figure, in days


def test_a_finding_quotes_the_published_figure_and_version():
    short = plan(activity("exchange_semester", D(2026, 9, 1), D(2027, 1, 31), ects=20))
    (finding,) = [
        f for f in check_json(short, "en", WITH_2025).findings if f.rule == "SEMESTER_ECTS"
    ]
    assert "27" in finding.message and "30" not in finding.message
    assert finding.reference.startswith("Regulations 2025 —")


def test_a_plan_naming_the_old_version_keeps_its_figures():
    result = check_json({**SEMESTER_28, "regulation": "2024"}, "en", WITH_2025)
    assert result.regulation == "2024"
    assert "SEMESTER_ECTS" in rules_of(result)


def test_built_in_checks_are_unchanged():
    assert check_json(SEMESTER_28, "en").regulation == "2024"
    assert check_json(SEMESTER_28, "en", BUILT_IN) == check_json(SEMESTER_28, "en")


def test_an_unknown_version_names_every_known_one():
    with pytest.raises(InvalidPlan) as invalid:
        check_json({**SEMESTER_28, "regulation": "2031"}, "en", WITH_2025)
    (problem,) = invalid.value.problems
    assert problem.path == "regulation" and "2024, 2025" in problem.message


def test_a_built_in_version_keeps_its_figures_whatever_is_published_under_its_name():
    """Every check reads the same figures for a name (pages check a built-in version without
    reading the published ones), and no page fails on a clash."""
    regulations = with_published({"2024": FIGURES_2025}, current="2024")
    assert regulations.versions["2024"] == VERSIONS["2024"]


def test_the_current_version_must_be_known():
    with pytest.raises(ValueError, match="not known"):
        Regulations(VERSIONS, "2031")


def test_published_figures_become_a_whole_version():
    version = WITH_2025.current_version
    assert asdict(version) == {"name": "2025", **FIGURES_2025}


@pytest.mark.django_db
def test_check_plan_knows_the_published_versions(tmp_path):
    from apps.rules.models import PublishedRegulation
    from tests.factories import UserFactory

    PublishedRegulation.objects.create(
        name="2025", figures=FIGURES_2025, note="27 ECTS", published_by=UserFactory()
    )
    path = tmp_path / "plan.json"
    for document, status, regulation in [
        ({**SEMESTER_28, "regulation": "2025"}, 0, "2025"),  # 28 ECTS are enough there
        (SEMESTER_28, 0, "2025"),  # naming none: the current version, as in the portal
        ({**SEMESTER_28, "regulation": "2024"}, 1, "2024"),
    ]:
        path.write_text(json.dumps(document))
        stdout, stderr = io.StringIO(), io.StringIO()
        with pytest.raises(SystemExit) as exited:
            call_command("check_plan", str(path), "--lang", "en", stdout=stdout, stderr=stderr)
        assert (exited.value.code, stderr.getvalue()) == (status, "")
        assert json.loads(stdout.getvalue())["regulation"] == regulation


def test_check_plan_without_a_database_checks_under_the_built_in_versions(tmp_path):
    """No database access here (pytest refuses it): the command still checks the plan."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(SEMESTER_28))
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check_plan", str(path), stdout=stdout, stderr=stderr)
    assert (exited.value.code, stderr.getvalue()) == (1, "")
    assert json.loads(stdout.getvalue())["regulation"] == "2024"
