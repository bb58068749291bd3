"""The one check the portal, the submit guard, the staff queue and `check_plan` all run."""

from collections.abc import Iterable, Iterator
from typing import TypeVar

from apps.rules.messages import check_language, reference, render
from apps.rules.plan import CheckResult, Finding, Plan
from apps.rules.rules import RULES, make_context
from apps.rules.validation import InvalidPlan, Problem, parse_plan
from apps.rules.versions import BUILT_IN, Regulations

Key = TypeVar("Key")


def check_plan(plan: Plan, lang: str = "fr", regulations: Regulations = BUILT_IN) -> CheckResult:
    """Findings of a valid plan, plan-level ones first, then each activity's in list order,
    each group in the order of the regulations' table; messages in `lang` ("fr" or "en")."""
    check_language(lang)
    version = regulations.versions.get(plan.regulation)
    if version is None:
        raise ValueError(f"unknown regulation version {plan.regulation!r}")
    context = make_context(plan, version)
    position = {activity.id: index for index, activity in enumerate(plan.activities)}
    hits = [
        (-1 if activity is None else position[activity.id], order, rule, activity, text)
        for order, rule in enumerate(RULES)
        for activity, text in rule.find(context)
    ]
    hits.sort(key=lambda hit: hit[:2])
    findings = tuple(
        Finding(
            rule=rule.id,
            severity=rule.severity,
            activity=None if activity is None else activity.id,
            message=render(text, lang),
            reference=reference(rule.id, version.name, lang),
        )
        for _, _, rule, activity, text in hits
    )
    return CheckResult(
        regulation=version.name,
        compliant=all(finding.severity != "error" for finding in findings),
        qualifying_days=context.fae.qualifying_days,
        required_days=context.fae.required_days,
        findings=findings,
    )


def check_json(
    source: object, lang: str = "fr", regulations: Regulations = BUILT_IN
) -> CheckResult:
    """Parse, validate and check JSON text (str or bytes) or decoded JSON data.

    Raises InvalidPlan listing every problem of invalid input.
    """
    return check_plan(parse_plan(source, lang, regulations), lang, regulations)


def check_many(
    items: Iterable[tuple[Key, object]], lang: str = "fr", regulations: Regulations = BUILT_IN
) -> Iterator[tuple[Key, CheckResult | list[Problem]]]:
    """Check many stored plans, keyed as given: each key with its result, or with the
    problems that make its plan invalid input (say, under a newer regulation version)."""
    for key, source in items:
        outcome: CheckResult | list[Problem]
        try:
            outcome = check_json(source, lang, regulations)
        except InvalidPlan as invalid:
            outcome = invalid.problems
        yield key, outcome
