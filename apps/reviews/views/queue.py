"""The DRI review queue: filtered, sorted and paginated, with per-state counts and CSV export."""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, override, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability, user_can
from apps.applications.models import ActivityKind, Application, ApplicationState, Choice
from apps.programmes.models import Call
from mobility_portal.caching import canonical_query, memoize
from mobility_portal.page_cache import keep_page

from ..filters import QueueFilter
from ..queue_results import filters_query, queue_counts, queue_rows
from ..queue_table import queue_rows_html
from ..selectors_queue import (
    DEFAULT_SORT,
    DESTINATION_TABLES,
    SORT_KEYS,
    CountRow,
    export_applications,
    queue_applications,
)

QUEUE_PAGE_SIZE = 50
EXPORT_CHUNK_SIZE = 500
# A cell starting with one of these is a formula to a spreadsheet: it is exported as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

staff_only = capability_required(Capability.SEE_ALL_DOSSIERS)
# The queue filtered on one of these states offers the office to tick students and record
# their departures (or returns) together (views/stays.py).
STAY_MOVES = {ApplicationState.ACCEPTED: "departed", ApplicationState.IN_MOBILITY: "returned"}


def query_without(query: QueryDict, *names: str) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@dataclass(frozen=True)
class SortLink:
    """A sortable column header: the query sorting by it (the other direction when it is the
    current sort) and its aria-sort value."""

    query: str
    aria_sort: str


def sort_links(query: QueryDict) -> dict[str, SortLink]:
    current = query.get("sort") or DEFAULT_SORT
    links = {}
    for key in SORT_KEYS:
        sorted_by_it = current.removeprefix("-") == key
        descending = current.startswith("-")
        target = query.copy()
        target.pop("page", None)
        target["sort"] = f"-{key}" if sorted_by_it and not descending else key
        aria_sort = ("descending" if descending else "ascending") if sorted_by_it else "none"
        links[key] = SortLink(query=target.urlencode(), aria_sort=aria_sort)
    return links


@memoize(Call, *DESTINATION_TABLES, per_language=True)  # Partner is a destination table
def filter_form_html(query: str) -> str:
    """The filters as a visitor sees them for one query string: rendered once and kept until
    one of the menus may have changed (300 partners take a while to write out)."""
    form = QueueFilter(QueryDict(query), queryset=Application.objects.none()).form
    return render_to_string(
        "includes/filter_form.html",
        {
            "form": form,
            "label": _("Filter applications"),
            "column_class": "col-sm-6 col-lg-3",
            # The search's hint, the sort orders and the stay's days, cut at a quarter of a
            # laptop's width in French ("Nom, e-mail ou numéro d'étu", "Dépôt, du plus ancien
            # au plu").
            "wide_fields": ("q", "sort", "stay"),
            "wide_column_class": "col-sm-12 col-lg-6",
            "reset_url": reverse("reviews:queue"),
        },
    )


def _filter_form(request) -> str:
    query = canonical_query(request.GET, only=QueueFilter.base_filters)
    # A search's text is written in the form: searches are not kept (there is no end to them).
    if request.GET.get("q", "").strip():
        return filter_form_html.__wrapped__(query)
    return filter_form_html(query)


def rows_count(counts: list[CountRow], state: str) -> int:
    """How many rows the queue shows: the per-state counts already say, so the paginator needs
    no COUNT query of its own."""
    return sum(row.count for row in counts if not state or row.key == state)


@staff_only
@require_safe
@keep_page
def queue(request):
    queue_filter = QueueFilter(request.GET, queryset=queue_applications())
    query = filters_query(queue_filter)  # also validates the form: the state chosen, the errors
    counts = queue_counts(query)
    current_state = queue_filter.form.cleaned_data.get("state", "")
    paginator = Paginator(queue_filter.qs, QUEUE_PAGE_SIZE)
    paginator.count = rows_count(counts, current_state)
    page = paginator.get_page(request.GET.get("page"))
    # The page's rows by their kept ids: the filtered, sorted query runs once for all officers.
    page.object_list = queue_rows(query, (page.number - 1) * QUEUE_PAGE_SIZE, QUEUE_PAGE_SIZE)
    # Carried to each dossier, for its way back to the queue as it is now.
    back_query = f"?{urlencode({'back': request.GET.urlencode()})}" if request.GET else ""
    is_reviewer = user_can(request.user, Capability.REVIEW_APPLICATIONS)
    stay_move = STAY_MOVES.get(current_state) if is_reviewer else None
    # The queues to record from: accepted students whose stay has begun (no confirmation to
    # give for any of them), students in mobility whose stay has ended; the other filters kept.
    others = query_without(request.GET, "page", "state", "stay")
    stay_queues = {
        move: "?" + "&".join(filter(None, (others, urlencode({"state": state, "stay": stay}))))
        for move, state, stay in (
            ("departed", ApplicationState.ACCEPTED, "begun"),
            ("returned", ApplicationState.IN_MOBILITY, "ended"),
        )
    }
    return render(
        request,
        "reviews/queue.html",
        {
            "filter": queue_filter,
            "filter_form": _filter_form(request),
            "page": page,
            # The table's rows, written in Python (queue_table.py): the same markup, faster.
            "rows_html": queue_rows_html(
                page.object_list, back_query, selectable=stay_move is not None
            ),
            "is_reviewer": is_reviewer,
            "stay_move": stay_move,
            "stay_queues": stay_queues,
            "stay_url": reverse(f"reviews:stays_{stay_move}") if stay_move else "",
            "state_counts": counts,
            "current_state": current_state,
            "query": query_without(request.GET, "page"),
            "state_query": query_without(request.GET, "page", "state"),
            "sort_links": sort_links(request.GET),
            "back_query": back_query,
        },
    )


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _ranked(choices: list[Choice], value: Callable[[Choice], str]) -> str:
    """Each choice's `value` after its rank ("1: KTH; 2: TUM"), in the reader's language."""
    colon = pgettext("between a label and what follows", ":")
    return pgettext("between two items of a list", "; ").join(
        f"{choice.rank}{colon} {value(choice)}" for choice in choices
    )


def _programme(choice: Choice) -> str:
    """The programme as the queue's filter names it (the activity's kind)."""
    try:
        return str(ActivityKind(choice.programme).label)
    except ValueError:  # a kind since removed from the list: its code rather than nothing
        return choice.programme


def export_row(application: Application, decimal_mark: str = ".") -> list[str]:
    choices = list(application.choices.all())
    nominated = application.nominated_among_choices()
    profile = getattr(application.student, "student_profile", None)
    return [
        _cell(profile.student_number if profile else ""),
        _cell(application.student.get_full_name()),
        _cell(application.student.email),
        _cell(str(application.call)),
        str(application.get_state_display()),
        date_format(timezone.localtime(application.submitted_at), "Y-m-d H:i")
        if application.submitted_at
        else "",
        _cell(_ranked(choices, lambda choice: choice.destination_name)),
        _cell(_ranked(choices, lambda choice: str(countries.name(choice.destination_country)))),
        _cell(_ranked(choices, _programme)),
        _cell(nominated.destination_name if nominated else ""),
        _("yes") if application.snapshot_has_errors else _("no"),
        ""
        if application.ranking_score is None
        else str(application.ranking_score).replace(".", decimal_mark),
    ]


def export_header() -> list[str]:
    return [
        _("Student number"),
        _("Name"),
        _("E-mail"),
        _("Call"),
        _("State"),
        _("Submitted at"),
        _("Choices (rank: destination)"),
        _("Destination countries (rank: country)"),
        _("Programmes (rank: programme)"),
        _("Nominated to"),
        _("Rule errors when submitted"),
        _("Ranking score"),
    ]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a streamed body."""

    def write(self, value: str) -> str:
        return value


def export_lines(applications, language: str) -> Iterator[str]:
    """The lines, in `language`: a streamed body is written after the view has returned."""
    # What spreadsheets expect in each language: French Excel splits on ";" and reads "14,5";
    # the byte-order mark tells every Excel the file is UTF-8.
    french = language.startswith("fr")
    writer = csv.writer(_Echo(), delimiter=";" if french else ",")
    with override(language):
        yield "\ufeff" + writer.writerow(export_header())
        for application in applications.iterator(chunk_size=EXPORT_CHUNK_SIZE):
            yield writer.writerow(export_row(application, decimal_mark="," if french else "."))


@staff_only
@require_safe
def queue_export(request):
    """Every row the queue's filters select (all pages), as CSV. A filter the form refuses
    sends the officer back to the queue, which says what is wrong: a file has no room for
    the message, and would silently hold every application instead."""
    queue_filter = QueueFilter(request.GET, queryset=export_applications())
    if not queue_filter.form.is_valid():
        return redirect(f"{reverse('reviews:queue')}?{request.GET.urlencode()}")
    response = StreamingHttpResponse(
        export_lines(queue_filter.qs, get_language()), content_type="text/csv; charset=utf-8"
    )
    filename = f"applications-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
