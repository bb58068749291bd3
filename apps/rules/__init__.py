"""The regulations engine: pure Python, no Django import outside apps.py and the command.

result = check_json(plan_json, lang="en")   # raises InvalidPlan on invalid input
result.to_dict()                            # the contract's output object
"""

from apps.rules.engine import check_json, check_many, check_plan
from apps.rules.messages import LANGUAGES
from apps.rules.plan import Activity, CheckResult, Finding, Internship, Plan, Student
from apps.rules.report import text_report
from apps.rules.validation import InvalidPlan, Problem, parse_plan
from apps.rules.versions import DEFAULT_VERSION, VERSIONS, RegulationVersion

__all__ = [
    "DEFAULT_VERSION",
    "LANGUAGES",
    "VERSIONS",
    "Activity",
    "CheckResult",
    "Finding",
    "Internship",
    "InvalidPlan",
    "Plan",
    "Problem",
    "RegulationVersion",
    "Student",
    "check_json",
    "check_many",
    "check_plan",
    "parse_plan",
    "text_report",
]
