"""Running the rules engine on stored plans: the live check, the submit guard and the recheck
all go through `plan_result`."""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django_countries import countries

from apps.notifications.events import announce_plans_passing_again
from apps.rules import CheckResult, Finding, InvalidPlan, Regulations, check_json
from apps.rules.published import regulations_for

from .models import Activity, MobilityPlan
from .plan_format import plan_document


def engine_language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


@dataclass(frozen=True)
class PlanCheck:
    """A check result arranged for pages: findings by activity, plan-level findings apart."""

    result: CheckResult | None
    problems: tuple[str, ...] = ()
    by_activity: dict[str, list[Finding]] = field(default_factory=dict)
    plan_findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.result is not None

    @property
    def compliant(self) -> bool:
        return self.result is not None and self.result.compliant

    @property
    def error_count(self) -> int:
        if self.result is None:
            return len(self.problems)
        return sum(1 for finding in self.result.findings if finding.severity == "error")

    @property
    def activity_errors(self) -> list[Finding]:
        return [
            finding
            for findings in self.by_activity.values()
            for finding in findings
            if finding.severity == "error"
        ]

    def errors_for(self, activity_ids: Iterable[str]) -> list[Finding]:
        wanted = set(activity_ids)
        return [
            finding
            for finding in (self.result.findings if self.result else ())
            if finding.severity == "error" and finding.activity in wanted
        ]

    @property
    def progress_percent(self) -> int:
        if self.result is None:
            return 0
        if self.result.required_days == 0:
            return 100
        return min(100, round(100 * self.result.qualifying_days / self.result.required_days))


def arrange(result: CheckResult) -> PlanCheck:
    by_activity: dict[str, list[Finding]] = {}
    plan_findings: list[Finding] = []
    for finding in result.findings:
        if finding.activity is None:
            plan_findings.append(finding)
        else:
            by_activity.setdefault(finding.activity, []).append(finding)
    return PlanCheck(result=result, by_activity=by_activity, plan_findings=plan_findings)


def plan_result(
    plan: MobilityPlan,
    activities: Iterable[Activity],
    lang: str | None = None,
    regulations: Regulations | None = None,
) -> PlanCheck:
    activities = list(activities)
    lang = lang or engine_language()
    document = plan_document(plan, plan.student.student_profile, activities)
    try:
        result = check_json(document, lang, regulations or regulations_for(plan.regulation))
    except InvalidPlan as invalid:
        return PlanCheck(result=None, problems=tuple(str(problem) for problem in invalid.problems))
    return arrange(with_countries_named(with_activities_named(result, activities, lang), lang))


# "overlaps activity 9 (…)": the engine names the other activity by its id, which in the portal
# is a database key the student has never seen.
OTHER_ACTIVITY = re.compile(r"(activity|l'activité) (?P<id>\S+) \(")
# "takes place in AR, not in the host country BR": ISO codes, from the engine's contract output.
COUNTRY_CODE = re.compile(r"\b[A-Z]{2}\b")


def _reworded(
    result: CheckResult, rule: str, pattern: re.Pattern, words: Callable[[re.Match], str]
) -> CheckResult:
    """The result with what `pattern` matches in `rule`'s messages put in `words`."""
    findings = tuple(
        replace(finding, message=pattern.sub(words, finding.message))
        if finding.rule == rule
        else finding
        for finding in result.findings
    )
    return replace(result, findings=findings)


def with_activities_named(
    result: CheckResult, activities: Iterable[Activity], lang: str
) -> CheckResult:
    """The findings with the activities they mention named as the student knows them, in the
    findings' language."""
    if not any(finding.rule == "OVERLAP" for finding in result.findings):
        return result  # most plans: no names needed, no partner to load
    with override(lang):
        names = {
            activity.engine_id: " — ".join(
                part for part in (str(activity.get_kind_display()), activity.host_display) if part
            )
            for activity in activities
        }

    def named(match: re.Match) -> str:
        name = names.get(match["id"])
        if not name:
            return match[0]
        quoted = f"“{name}”" if match[1] == "activity" else f"« {name} »"
        return f"{match[1]} {quoted} ("

    return _reworded(result, "OVERLAP", OTHER_ACTIVITY, named)


def with_countries_named(result: CheckResult, lang: str) -> CheckResult:
    """The findings with the countries they mention by their names, in the findings' language."""
    if not any(finding.rule == "DD_INTERNSHIP_COUNTRY" for finding in result.findings):
        return result

    def named(match: re.Match) -> str:
        name = str(countries.name(match[0]))
        if not name:
            return match[0]
        return name if lang == "en" else f"« {name} »"

    with override(lang):
        return _reworded(result, "DD_INTERNSHIP_COUNTRY", COUNTRY_CODE, named)


VERDICT_FIELDS = ["compliant", "error_count", "qualifying_days", "checked_at"]
VERDICT_BATCH = 500


def set_verdict(plan: MobilityPlan, check: PlanCheck) -> bool:
    """Write the verdict into `plan` (as loaded, its verdict before); returns whether the plan
    meets the rules again: its last check found errors, this one none (a plan never checked
    before has no notice asking for it)."""
    passes_again = check.compliant and not plan.compliant and plan.checked_at is not None
    plan.compliant = check.compliant
    plan.error_count = check.error_count
    plan.qualifying_days = check.result.qualifying_days if check.result else 0
    plan.checked_at = timezone.now()
    return passes_again


def record_check(plan: MobilityPlan, check: PlanCheck) -> None:
    """Cache the verdict on the plan row for staff lists and filters; a plan that meets the
    rules again settles its student's notice that it no longer did."""
    if set_verdict(plan, check):
        announce_plans_passing_again([plan.student_id])
    plan.save(update_fields=VERDICT_FIELDS)


def recheck_plans(
    plans: Iterable[MobilityPlan], regulations: Regulations
) -> Iterator[tuple[MobilityPlan, PlanCheck]]:
    """Re-check stored plans (after a regulation change): the same check as on every edit. The
    verdicts are written VERDICT_BATCH plans per statement (one UPDATE per plan took two thirds
    of the time), the notices of the plans that meet the rules again settled in one more; each
    plan is handed on once its verdict is written."""
    batch: list[tuple[MobilityPlan, PlanCheck, bool]] = []
    for plan in plans:
        check = (
            plan_result(plan, plan.activities.all(), regulations=regulations)
            if hasattr(plan.student, "student_profile")
            else _without_profile()
        )
        batch.append((plan, check, set_verdict(plan, check)))
        if len(batch) == VERDICT_BATCH:
            yield from _written(batch)
            batch = []
    yield from _written(batch)


def _without_profile() -> PlanCheck:
    """The check of a plan whose student has no profile any more (deleted in the admin): the
    track and year the regulations need are unknown. Invalid, rather than the whole re-check
    stopped on it."""
    return PlanCheck(
        result=None,
        problems=(_("This student has no profile (track and year): the plan cannot be checked."),),
    )


def _written(
    batch: list[tuple[MobilityPlan, PlanCheck, bool]],
) -> Iterator[tuple[MobilityPlan, PlanCheck]]:
    if batch:
        MobilityPlan.objects.bulk_update([plan for plan, _check, _again in batch], VERDICT_FIELDS)
        announce_plans_passing_again(plan.student_id for plan, _check, again in batch if again)
    yield from ((plan, check) for plan, check, _again in batch)
