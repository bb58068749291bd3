"""The regulations engine: pure Python. Django appears only around it: apps.py, the command,
the published versions (models.py, published.py) and their migrations, none imported here.

result = check_json(plan_json, lang="en")   # raises InvalidPlan on invalid input
result.to_dict()                            # the contract's output object
"""

from apps.rules.engine import check_json, check_many, check_plan
from apps.rules.messages import LANGUAGES
from apps.rules.plan import Activity, CheckResult, Finding, Internship, Plan, Student
from apps.rules.report import text_report
from apps.rules.validation import InvalidPlan, Problem, parse_plan
from apps.rules.versions import (
    BUILT_IN,
    DEFAULT_VERSION,
    PARAMETERS,
    VERSIONS,
    Regulations,
    RegulationVersion,
)

__all__ = [
    "BUILT_IN",
    "DEFAULT_VERSION",
    "PARAMETERS",
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
    "Regulations",
    "Student",
    "check_json",
    "check_many",
    "check_plan",
    "parse_plan",
    "text_report",
]
