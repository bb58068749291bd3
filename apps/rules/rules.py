"""The rules of the regulations, one small function each, in the order of the regulations' table.

A rule is registered with its id, severity and what it applies to. An activity rule returns a
Text when the activity breaks it, None otherwise; a plan rule yields (activity or None, Text)
pairs. A rule that does not apply yields nothing. Thresholds come from the regulation version.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from apps.rules.measures import (
    days,
    distinct_days,
    lasts_at_least_months,
    lasts_at_most_months,
    weeks_to_days,
)
from apps.rules.messages import Bodies, DateRange, Days, Duration, KindName, Months, Text, Weeks
from apps.rules.plan import (
    INTERNSHIP_KINDS,
    STUDY_KINDS,
    SUMMER_APPROVERS,
    Activity,
    Plan,
    Severity,
)
from apps.rules.versions import RegulationVersion


@dataclass(frozen=True, slots=True)
class FaeTime:
    """Time abroad counted toward the FAE, and the number of days the student's track needs."""

    qualifying_days: int
    required_days: int


@dataclass(frozen=True, slots=True)
class Context:
    plan: Plan
    version: RegulationVersion
    by_kind: Mapping[str, tuple[Activity, ...]]
    fae: FaeTime


Hit = tuple[Activity | None, Text]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    applies_to: str
    find: Callable[[Context], Iterable[Hit]]


RULES: list[Rule] = []


def plan_rule(
    rule_id: str, severity: Severity, applies_to: str = "plan"
) -> Callable[[Callable[[Context], Iterator[Hit]]], Callable[[Context], Iterator[Hit]]]:
    def register(find: Callable[[Context], Iterator[Hit]]) -> Callable[[Context], Iterator[Hit]]:
        RULES.append(Rule(rule_id, severity, applies_to, find))
        return find

    return register


ActivityCheck = Callable[[Activity, Context], Text | None]


def activity_rule(
    rule_id: str, severity: Severity, *kinds: str, applies_to: str | None = None
) -> Callable[[ActivityCheck], ActivityCheck]:
    """Register `check`, run on each activity of `kinds`; `applies_to` defaults to the kinds."""

    def register(check: ActivityCheck) -> ActivityCheck:
        def find(context: Context) -> Iterator[Hit]:
            for kind in kinds:
                for activity in context.by_kind.get(kind, ()):
                    text = check(activity, context)
                    if text is not None:
                        yield activity, text

        RULES.append(Rule(rule_id, severity, applies_to or ", ".join(kinds), find))
        return check

    return register


def make_context(plan: Plan, version: RegulationVersion) -> Context:
    by_kind: dict[str, list[Activity]] = {}
    for activity in plan.activities:
        by_kind.setdefault(activity.kind, []).append(activity)
    return Context(
        plan=plan,
        version=version,
        by_kind={kind: tuple(activities) for kind, activities in by_kind.items()},
        fae=fae_time(plan, version),
    )


def counts_toward_fae(activity: Activity) -> bool:
    return activity.abroad and (activity.kind != "summer_stay" or activity.approved_by_all)


def fae_time(plan: Plan, version: RegulationVersion) -> FaeTime:
    """FISEA: 9 weeks abroad. FISE: one study period abroad of any length, else 17 weeks.

    A double degree's own internship is part of it: only the activity's dates count.
    """
    qualifying = [activity for activity in plan.activities if counts_toward_fae(activity)]
    qualifying_days = distinct_days((activity.start, activity.end) for activity in qualifying)
    if plan.student.track == "FISEA":
        required_days = weeks_to_days(version.fisea_minimum_weeks)
    elif any(activity.kind in STUDY_KINDS for activity in qualifying):
        required_days = 0
    else:
        required_days = weeks_to_days(version.fise_minimum_weeks)
    return FaeTime(qualifying_days=qualifying_days, required_days=required_days)


@plan_rule("FAE_MINIMUM", "error")
def fae_minimum(context: Context) -> Iterator[Hit]:
    fae = context.fae
    if fae.qualifying_days >= fae.required_days:
        return
    if context.plan.student.track == "FISEA":
        key, weeks = "FAE_MINIMUM_FISEA", context.version.fisea_minimum_weeks
    else:
        key, weeks = "FAE_MINIMUM_FISE", context.version.fise_minimum_weeks
    yield None, Text(key, {"qualifying": Days(fae.qualifying_days), "minimum": Weeks(weeks)})


@activity_rule("DD_PARTNER", "error", "double_degree")
def dd_partner(activity: Activity, context: Context) -> Text | None:
    return None if activity.partner else Text("DD_PARTNER")


@activity_rule("DD_DURATION", "error", "double_degree")
def dd_duration(activity: Activity, context: Context) -> Text | None:
    months = context.version.double_degree_minimum_months
    if lasts_at_least_months(activity.start, activity.end, months):
        return None
    return Text(
        "DD_DURATION",
        {"duration": Duration(activity.start, activity.end), "minimum": Months(months)},
    )


@activity_rule(
    "DD_INTERNSHIP_COUNTRY", "error", "double_degree", applies_to="double_degree with internship"
)
def dd_internship_country(activity: Activity, context: Context) -> Text | None:
    internship = activity.internship
    if internship is None or internship.country == activity.country:
        return None
    return Text(
        "DD_INTERNSHIP_COUNTRY",
        {"internship_country": internship.country, "country": activity.country},
    )


@activity_rule(
    "DD_INTERNSHIP_WITHIN", "error", "double_degree", applies_to="double_degree with internship"
)
def dd_internship_within(activity: Activity, context: Context) -> Text | None:
    internship = activity.internship
    if internship is None or activity.start <= internship.start <= internship.end <= activity.end:
        return None
    return Text(
        "DD_INTERNSHIP_WITHIN",
        {
            "internship_dates": DateRange(internship.start, internship.end),
            "dates": DateRange(activity.start, activity.end),
        },
    )


@activity_rule("MASTER_DURATION", "warning", "master")
def master_duration(activity: Activity, context: Context) -> Text | None:
    shortest = context.version.master_minimum_months
    longest = context.version.master_maximum_months
    if lasts_at_least_months(activity.start, activity.end, shortest) and lasts_at_most_months(
        activity.start, activity.end, longest
    ):
        return None
    return Text(
        "MASTER_DURATION",
        {
            "duration": Duration(activity.start, activity.end),
            "minimum": Months(shortest),
            "maximum": Months(longest),
        },
    )


@activity_rule("NON_PARTNER_COSTS", "warning", "master", "exchange_semester", "exchange_year")
def non_partner_costs(activity: Activity, context: Context) -> Text | None:
    return None if activity.partner else Text("NON_PARTNER_COSTS")


@activity_rule("SEMESTER_ECTS", "error", "exchange_semester")
def semester_ects(activity: Activity, context: Context) -> Text | None:
    return _ects_below(activity, "SEMESTER_ECTS", context.version.semester_minimum_ects)


@activity_rule("YEAR_ECTS", "error", "exchange_year")
def year_ects(activity: Activity, context: Context) -> Text | None:
    return _ects_below(activity, "YEAR_ECTS", context.version.year_minimum_ects)


def _ects_below(activity: Activity, key: str, minimum: int) -> Text | None:
    ects = activity.ects or 0
    return Text(key, {"ects": ects, "minimum": minimum}) if ects < minimum else None


@activity_rule("YEAR_PROJECT", "error", "exchange_year")
def year_project(activity: Activity, context: Context) -> Text | None:
    if activity.ects_project:
        return None
    return Text(
        "YEAR_PROJECT",
        {
            "project": context.version.year_project_ects,
            "minimum": context.version.year_minimum_ects,
        },
    )


@activity_rule("SEMESTER_INTERNSHIP", "error", "exchange_semester")
def semester_internship(activity: Activity, context: Context) -> Text | None:
    if context.by_kind.get("engineering_internship"):
        return None
    if context.plan.student.engineering_internship_validated:
        return None
    return Text("SEMESTER_INTERNSHIP")


@activity_rule("POST_RETURN_CAP", "error", "engineering_internship")
def post_return_cap(activity: Activity, context: Context) -> Text | None:
    weeks = context.version.post_return_internship_maximum_weeks
    length = days(activity.start, activity.end)
    if not activity.last_obligation or length <= weeks_to_days(weeks):
        return None
    semesters = context.by_kind.get("exchange_semester", ())
    if not any(semester.end < activity.start for semester in semesters):
        return None
    return Text("POST_RETURN_CAP", {"maximum": Weeks(weeks), "length": Days(length)})


@activity_rule("FREE_INTERNSHIP_CONTEXT", "error", "free_internship")
def free_internship_context(activity: Activity, context: Context) -> Text | None:
    years = context.by_kind.get("exchange_year", ())
    if any(year.end < activity.start for year in years):
        return None
    return Text("FREE_INTERNSHIP_CONTEXT")


@activity_rule("FREE_INTERNSHIP_ELIGIBILITY", "error", "free_internship")
def free_internship_eligibility(activity: Activity, context: Context) -> Text | None:
    student = context.plan.student
    if student.engineering_internship_validated or student.full_year_internship_before_departure:
        return Text("FREE_INTERNSHIP_ELIGIBILITY")
    return None


@activity_rule("FREE_INTERNSHIP_CAP", "error", "free_internship")
def free_internship_cap(activity: Activity, context: Context) -> Text | None:
    weeks = context.version.free_internship_maximum_weeks
    length = days(activity.start, activity.end)
    if length <= weeks_to_days(weeks):
        return None
    return Text("FREE_INTERNSHIP_CAP", {"length": Days(length), "maximum": Weeks(weeks)})


@activity_rule("SUMMER_DURATION", "error", "fh_internship", "summer_stay")
def summer_duration(activity: Activity, context: Context) -> Text | None:
    shortest = context.version.summer_minimum_months
    longest = context.version.summer_maximum_months
    if lasts_at_least_months(activity.start, activity.end, shortest) and lasts_at_most_months(
        activity.start, activity.end, longest
    ):
        return None
    return Text(
        "SUMMER_DURATION",
        {
            "kind": KindName(activity.kind),
            "duration": Duration(activity.start, activity.end),
            "minimum": Months(shortest),
            "maximum": Months(longest),
        },
    )


@activity_rule("SUMMER_APPROVAL", "warning", "summer_stay", applies_to="summer_stay abroad")
def summer_approval(activity: Activity, context: Context) -> Text | None:
    missing = tuple(body for body in SUMMER_APPROVERS if body not in activity.approvals)
    if not activity.abroad or not missing:
        return None
    return Text(
        "SUMMER_APPROVAL", {"missing": Bodies(missing), "approvers": Bodies(SUMMER_APPROVERS)}
    )


@activity_rule("SUMMER_TYPE", "info", "summer_stay")
def summer_type(activity: Activity, context: Context) -> Text | None:
    return Text("SUMMER_TYPE") if activity.summer_type == "other" else None


@activity_rule(
    "INTERNSHIP_MAX",
    "error",
    *sorted(INTERNSHIP_KINDS),
    "double_degree",
    applies_to="every internship kind, and a double degree's internship",
)
def internship_max(activity: Activity, context: Context) -> Text | None:
    months = context.version.internship_maximum_months
    if activity.kind != "double_degree":
        if lasts_at_most_months(activity.start, activity.end, months):
            return None
        return Text(
            "INTERNSHIP_MAX",
            {
                "kind": KindName(activity.kind),
                "duration": Duration(activity.start, activity.end),
                "maximum": Months(months),
            },
        )
    internship = activity.internship
    if internship is None or lasts_at_most_months(internship.start, internship.end, months):
        return None
    return Text(
        "INTERNSHIP_MAX_DOUBLE_DEGREE",
        {"duration": Duration(internship.start, internship.end), "maximum": Months(months)},
    )


@activity_rule("ENGINEERING_INTERNSHIP_SHORT", "warning", "engineering_internship")
def engineering_internship_short(activity: Activity, context: Context) -> Text | None:
    weeks = context.version.engineering_internship_minimum_weeks
    length = days(activity.start, activity.end)
    if length >= weeks_to_days(weeks):
        return None
    return Text("ENGINEERING_INTERNSHIP_SHORT", {"length": Days(length), "minimum": Weeks(weeks)})


@plan_rule("OVERLAP", "error")
def overlap(context: Context) -> Iterator[Hit]:
    """Names every activity that overlaps one starting before it (or the same day, listed
    before it), once, together with the earlier activity that reaches furthest."""
    furthest: Activity | None = None
    # sorted() is stable: activities starting the same day stay in list order.
    for activity in sorted(context.plan.activities, key=lambda activity: activity.start):
        if furthest is not None and activity.start <= furthest.end:
            yield (
                activity,
                Text(
                    "OVERLAP",
                    {
                        "dates": DateRange(activity.start, activity.end),
                        "other": furthest.id,
                        "other_dates": DateRange(furthest.start, furthest.end),
                    },
                ),
            )
        if furthest is None or activity.end > furthest.end:
            furthest = activity
