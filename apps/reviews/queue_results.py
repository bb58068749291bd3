"""What a DRI queue page lists, kept for every officer until a table it reads changes.

With tens of thousands of applications, the per-state counts and the page's rows cost two
queries over every application the filters select (25 ms at 30,000 students for some filters),
whatever the page shows. Both depend only on the filters, not on who asks (every officer who
sees the queue sees every application), so they are memoized (mobility_portal/caching.py) by the
filters' query string: the counts, and the ids of each page's rows. The rows themselves are then
read by id, in one cheap query. Any write to a table below makes the next request compute them
again. A free-text search is not kept: there is no end to them.
"""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.http import QueryDict

from apps.accounts.models import StudentProfile
from apps.applications.models import Activity, Application, Choice, CoursePlan
from apps.programmes.models import Agreement, Call, Partner
from mobility_portal.caching import memoize

from .filters import QueueFilter
from .selectors_queue import CountRow, queue_applications, state_counts

# Every table a filter, a sort or a count of the queue reads (tests/reviews/dri/
# test_queue_results.py checks this list against the statements they run).
QUEUE_TABLES = (
    Application,
    Call,
    Choice,
    Activity,
    Agreement,
    Partner,
    CoursePlan,
    get_user_model(),
    StudentProfile,
)


def queue_filter(query: str) -> QueueFilter:
    return QueueFilter(QueryDict(query), queryset=queue_applications())


def _counts(query: str) -> list[CountRow]:
    return state_counts(queue_filter(query).counted_queryset())


def _page_ids(query: str, offset: int, size: int) -> list[int]:
    rows = queue_filter(query).qs.values_list("pk", flat=True)
    return list(rows[offset : offset + size])


# What a row of the page shows (queue_table.py): the rest of each row is not read.
ROW_FIELDS = (
    "state",
    "submitted_at",
    "ranking_score",
    "snapshot_has_errors",
    "nominated_choice",
    "call__name",
    "call__academic_year",
    "student__first_name",
    "student__last_name",
    "student__email",
    "student__student_profile__student_number",
)

_kept_counts = memoize(*QUEUE_TABLES, per_language=True)(_counts)
_kept_page_ids = memoize(*QUEUE_TABLES)(_page_ids)


def filters_query(queue_filter: QueueFilter) -> str:
    """The filters and the sort as the page applies them, as a canonical query string: each
    one's value as its form field reads it (the last given), invalid ones left out as the
    filter leaves them out. So a repeated parameter cannot select other rows than the page
    shows, and junk values do not each keep their own copy of the counts."""
    form = queue_filter.form
    form.is_valid()
    data = queue_filter.data
    pairs = (
        (name, data.get(name))
        for name in queue_filter.base_filters
        if name in data and name not in form.errors and data.get(name, "") != ""
    )
    return urlencode(sorted(pairs))


def _is_kept(query: str) -> bool:
    """A search is not kept (there is no end to them), nor the nominated stay's filter: it is
    read against today, and what is kept outlives a midnight."""
    given = QueryDict(query)
    return not given.get("q", "").strip() and not given.get("stay")


def queue_counts(query: str) -> list[CountRow]:
    """How many applications each state holds under every filter of `query` but the state."""
    return (_kept_counts if _is_kept(query) else _counts)(query)


def queue_rows(query: str, offset: int, size: int) -> list[Application]:
    """The rows `offset` to `offset + size` of the queue `query` selects and sorts, with what
    a row shows: two queries (the rows, their choices) once the ids are known."""
    ids = (_kept_page_ids if _is_kept(query) else _page_ids)(query, offset, size)
    position = {pk: index for index, pk in enumerate(ids)}
    rows = queue_applications().filter(pk__in=ids).order_by().only(*ROW_FIELDS)
    return sorted(rows, key=lambda application: position[application.pk])
