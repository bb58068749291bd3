"""The DRI review queue: filtered, sorted and paginated, with per-state counts and exports."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError
from apps.applications.models import Application, ApplicationState
from apps.programmes.models import Call
from mobility_portal.caching import canonical_query, memoize
from mobility_portal.page_cache import keep_page
from mobility_portal.refusals import report_refusal

from ..access import queue_export_for
from ..exports.applications import csv_lines, export_file_name, workbook_bytes
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
from ..services.exports import export_file_name as background_file_name
from ..services.exports import queue_export_request
from ..stay_moves import MOST_AT_ONCE, MOVE_FROM_STATE

QUEUE_PAGE_SIZE = 50
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

staff_only = capability_required(Capability.SEE_ALL_DOSSIERS)


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
    # Filtered on accepted (or in mobility), the queue offers the office to tick students, or
    # to select every application of the filters, and record their departures (or returns)
    # together (views/stays.py).
    stay_move = MOVE_FROM_STATE.get(current_state) if is_reviewer else None
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
            "most_at_once": MOST_AT_ONCE,
            "state_counts": counts,
            "current_state": current_state,
            "query": query_without(request.GET, "page"),
            "state_query": query_without(request.GET, "page", "state"),
            "sort_links": sort_links(request.GET),
            "back_query": back_query,
        },
    )


@staff_only
@require_safe
def queue_export(request):
    """Every row the queue's filters select (all pages), as CSV. A filter the form refuses
    sends the officer back to the queue, which says what is wrong: a file has no room for
    the message, and would silently hold every application instead."""
    applications = _exported(request)
    if applications is None:
        return redirect(f"{reverse('reviews:queue')}?{request.GET.urlencode()}")
    response = StreamingHttpResponse(
        csv_lines(applications, get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, export_file_name("csv"))
    return response


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def queue_export_xlsx(request):
    """The same rows as `queue_export`, as an Excel workbook with typed cells. More than
    QUEUE_EXPORT_INLINE_MAX of them are written by a worker (services/exports.py): the link
    shows how many and asks to confirm (a GET starts nothing: a link prefetched or followed
    from elsewhere cost a worker the whole export), and the confirmation sends the officer to
    the export's page, which offers the file once it is written."""
    back_to_queue = f"{reverse('reviews:queue')}?{request.GET.urlencode()}"
    queue_filter = QueueFilter(request.GET, queryset=export_applications())
    if not queue_filter.form.is_valid():
        return redirect(back_to_queue)
    query = filters_query(queue_filter)
    # The queue's own per-state counts, kept for the filters the officer has just seen: no
    # query of its own, but for a search.
    total = rows_count(queue_counts(query), queue_filter.form.cleaned_data.get("state", ""))
    if total <= settings.QUEUE_EXPORT_INLINE_MAX:
        response = HttpResponse(workbook_bytes(queue_filter.qs), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, export_file_name("xlsx"))
        return response
    if request.method != "POST":
        return render(
            request,
            "reviews/queue_export_confirm.html",
            {"total": total, "query": request.GET.urlencode(), "back": back_to_queue},
        )
    try:
        export = queue_export_request(
            actor=request.user, query=query, language=get_language(), total=total
        )
    except ServiceError as error:
        report_refusal(request, error)
        return redirect(back_to_queue)
    return redirect("reviews:queue_export_status", pk=export.pk)


@staff_only
@require_safe
@never_cache
def queue_export_status(request, pk: int):
    """An export written in the background: its state and progress, polled by the page while
    it is being written (the fragment alone, for htmx), then the link to download it."""
    export = queue_export_for(request.user, pk)
    template = (
        "reviews/includes/queue_export_state.html" if request.htmx else "reviews/queue_export.html"
    )
    return render(request, template, {"export": export})


@staff_only
@require_safe
def queue_export_download(request, pk: int):
    export = queue_export_for(request.user, pk)
    if not export.is_ready:
        return redirect("reviews:queue_export_status", pk=export.pk)
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=background_file_name(export),
        content_type=XLSX_CONTENT_TYPE,
    )


def _exported(request):
    """The applications the queue's filters select, or None for a filter the form refuses."""
    queue_filter = QueueFilter(request.GET, queryset=export_applications())
    return queue_filter.qs if queue_filter.form.is_valid() else None
