"""The DRI review queue and the reporting figures: which applications staff review, the
conditions the queue filters on, and the counts. Every function runs a fixed number of queries,
whatever the number of rows."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from django_countries import countries

from apps.applications.models import (
    STUDY_KINDS,
    Activity,
    ActivityKind,
    Application,
    ApplicationState,
    Choice,
    CoursePlan,
    CoursePlanStatus,
)
from apps.programmes.models import Agreement, Call, Partner
from mobility_portal.caching import memoize
from mobility_portal.collation import by_name, collated, collation_key, sorted_choices

S = ApplicationState

# The queue shows every application past the draft stage, in the workflow's order.
QUEUE_STATES = [state for state in ApplicationState if state != S.DRAFT]


def received(prefix: str = "") -> Q:
    """Applications the office has received: past the draft stage, and not a draft its student
    withdrew before ever submitting it (Application.restartable: the office never saw it, and
    it is the student's draft again if they take it up). `prefix` leads to the application
    ("application__" from a choice)."""
    return ~Q(**{f"{prefix}state": S.DRAFT}) & ~Q(
        **{f"{prefix}state": S.WITHDRAWN, f"{prefix}submitted_at__isnull": True}
    )


DEFAULT_SORT = "submitted"
SORT_KEYS = ("submitted", "name", "state", "score")


def destination_country() -> Case:
    """A choice's country: its agreement's partner's, or, outside partnerships, its host's as
    submitted (Choice.host_country), its activity's before."""
    return Case(
        When(agreement__isnull=False, then=F("agreement__partner__country")),
        When(~Q(host_country=""), then=F("host_country")),
        default=F("activity__country"),
    )


def destination_name() -> Coalesce:
    """A choice's destination in words, as Choice.destination says it."""
    return Coalesce(
        "agreement__partner__name", NullIf("host_name", Value("")), "activity__host_name"
    )


def state_order() -> Case:
    return Case(
        *(When(state=state, then=Value(index)) for index, state in enumerate(ApplicationState)),
        output_field=IntegerField(),
    )


def _sort_expressions(key: str) -> tuple[Combinable, ...]:
    return {
        "submitted": (F("submitted_at"),),
        "name": (collated("student__last_name"), collated("student__first_name")),
        "state": (state_order(),),
        "score": (F("ranking_score"),),
    }[key]


# Sort keys whose column may be empty (NULL). The others are ordered without NULLS LAST, which
# lets PostgreSQL read the name index backwards for the reverse order.
NULLABLE_SORT_KEYS = frozenset({"submitted", "score"})


def sorted_queue(queryset: QuerySet[Application], sort: str) -> QuerySet[Application]:
    """Order by one of SORT_KEYS, "-" first for the reverse; empty values always last."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    nulls = {"nulls_last": True} if key in NULLABLE_SORT_KEYS else {}
    return queryset.order_by(
        *(
            expression.desc(**nulls) if descending else expression.asc(**nulls)
            for expression in _sort_expressions(key)
        ),
        "pk",
    )


def queue_choices() -> QuerySet[Choice]:
    """A queue row's choices: each with its destination's name (`destination_name`, as
    Choice.destination words it) rather than its activity, agreement and partner: four objects
    fewer to build per choice."""
    return Choice.objects.annotate(destination_name=destination_name()).only(
        "pk", "application_id", "rank"
    )


def queue_applications(choices: QuerySet[Choice] | None = None) -> QuerySet[Application]:
    """Applications the office received (`received`) with what a queue row shows (or, given
    `choices`, what those choices carry): two queries for any number of rows."""
    queryset = (
        Application.objects.filter(received())
        .select_related("call", "student__student_profile")
        .defer("snapshot", "motivation")
        .prefetch_related(
            Prefetch("choices", queryset=queue_choices() if choices is None else choices)
        )
    )
    return sorted_queue(queryset, DEFAULT_SORT)


def export_applications() -> QuerySet[Application]:
    """What a line of the queue's CSV shows: a queue row, whose choices also carry their
    destination's country code (`destination_country`) and their programme (`programme`, the
    activity's kind), read through the joins the name already makes: no query more."""
    return queue_applications(
        choices=queue_choices().annotate(
            destination_country=destination_country(), programme=F("activity__kind")
        )
    )


# --- conditions the queue filters on -------------------------------------------------------


def has_choice(condition: Q) -> Exists:
    """True for an application with at least one choice matching `condition`."""
    return Exists(Choice.objects.filter(condition, application=OuterRef("pk")))


def has_choice_in_country(country: str, condition: Q | None = None) -> Q:
    """A choice of an agreement with a partner in `country`, or of a host outside partnerships
    in `country` (and, either way, matching `condition`). Two conditions rather than one on
    destination_country(): each is a small set the database builds once, where the single CASE
    had to be computed for every choice."""
    condition = condition or Q()
    own_host = Q(host_country=country) | Q(host_country="", activity__country=country)
    return Q(has_choice(condition & Q(agreement__partner__country=country))) | Q(
        has_choice(condition & Q(agreement__isnull=True) & own_host)
    )


# The nominated stay's days against today: the departure (or return) recorded from the queue
# asks no confirmation once its day is reached (forms_dri.StayDayForm).
NOMINATED_STAY = {
    "not_begun": "nominated_choice__activity__start__gt",
    "begun": "nominated_choice__activity__start__lte",
    "ended": "nominated_choice__activity__end__lte",
}


def nominated_stay(when: str, today: date) -> Q:
    """Applications whose nominated stay has not begun, has begun or has ended by `today`
    (`when`, a key of NOMINATED_STAY); never one without a nominated stay."""
    return Q(**{NOMINATED_STAY[when]: today})


def has_matching_choice(*, partner: str = "", country: str = "", kind: str = "") -> Q:
    """An application one of whose choices is at once of `partner`'s, in `country` and of the
    programme `kind` (each when given): the masters at a partner are not an application naming
    the partner for a semester and a master elsewhere."""
    condition = Q()
    if partner:
        condition &= Q(agreement__partner_id=partner)
    if kind:
        condition &= Q(activity__kind=kind)
    if country:
        return has_choice_in_country(country, condition)
    return Q(has_choice(condition))


def approved_activities() -> QuerySet[CoursePlan]:
    """Activities whose latest course plan version is approved, as a subquery the database
    computes once (not once per choice)."""
    newer = CoursePlan.objects.filter(
        activity=OuterRef("activity"), version__gt=OuterRef("version")
    )
    return (
        CoursePlan.objects.filter(status=CoursePlanStatus.APPROVED)
        .exclude(Exists(newer))
        .values("activity")
    )


def course_plans_approved() -> Q:
    """The latest course plan version of every chosen study activity is approved (and there is
    at least one chosen study activity): one query, as subqueries."""
    study_choices = Choice.objects.filter(
        application=OuterRef("pk"), activity__kind__in=STUDY_KINDS
    )
    not_approved = study_choices.exclude(activity__in=approved_activities())
    return Q(Exists(study_choices)) & ~Q(Exists(not_approved))


# What a choice's destination country is read from.
DESTINATION_TABLES = (Choice, Application, Activity, Agreement, Partner)


@memoize(*DESTINATION_TABLES, per_language=True)
def destination_countries() -> list[tuple[str, str]]:
    """Countries some application names as a destination, by localized name."""
    codes = (
        Choice.objects.filter(received("application__"))
        .annotate(destination=destination_country())
        .order_by()
        .values_list("destination", flat=True)
        .distinct()
    )
    return sorted_choices((code, countries.name(code)) for code in codes)


@memoize(Call)
def academic_years() -> list[int]:
    return list(
        Call.objects.order_by("-academic_year").values_list("academic_year", flat=True).distinct()
    )


@memoize(Partner)
def partner_menu() -> list[tuple[int, str]]:
    return list(Partner.objects.order_by(by_name(), "pk").values_list("pk", "name"))


@memoize(Call)
def call_menu() -> list[tuple[int, str]]:
    return [(call.pk, str(call)) for call in Call.objects.all()]


# --- counts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    """One line of a count table: what is counted (`key`, as the queue's filter takes it),
    its label in the active language, and how many applications. Plain strings: the rows are
    kept in the cache, and a lazy translation costs a lookup each time it is read back."""

    key: str
    label: str
    count: int


def state_counts(queryset: QuerySet[Application]) -> list[CountRow]:
    """How many of `queryset` are in each queue state, every state listed, in workflow order."""
    counts = dict(queryset.order_by().values_list("state").annotate(count=Count("pk")))
    return [CountRow(state.value, str(state.label), counts.get(state, 0)) for state in QUEUE_STATES]


def year_applications(year: int) -> QuerySet[Application]:
    return Application.objects.filter(received(), call__academic_year=year)


def _year_choices(year: int) -> QuerySet[Choice]:
    return Choice.objects.filter(received("application__"), application__call__academic_year=year)


@memoize(Application, Call, per_language=True)
def counts_by_state(year: int) -> list[CountRow]:
    return [row for row in state_counts(year_applications(year)) if row.count]


@memoize(*DESTINATION_TABLES, Call, per_language=True)
def counts_by_country(year: int) -> list[CountRow]:
    """Applications naming each country among their choices: one may count in several."""
    rows = (
        _year_choices(year)
        .annotate(destination=destination_country())
        .order_by()
        .values_list("destination")
        .annotate(count=Count("application", distinct=True))
    )
    lines = [CountRow(code, countries.name(code), count) for code, count in rows]
    return sorted(lines, key=lambda line: (-line.count, collation_key(line.label)))


@memoize(Choice, Application, Activity, Call, per_language=True)
def counts_by_kind(year: int) -> list[CountRow]:
    """Applications naming each kind of programme among their choices."""
    counts = dict(
        _year_choices(year)
        .order_by()
        .values_list("activity__kind")
        .annotate(count=Count("application", distinct=True))
    )
    return [
        CountRow(kind.value, str(kind.label), counts[kind])
        for kind in ActivityKind
        if counts.get(kind)
    ]
