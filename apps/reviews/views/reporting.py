"""The staff reporting dashboard: applications of one academic year by state, destination
country and programme, as charts and tables linking to the queue filtered the same way."""

from dataclasses import dataclass

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from apps.programmes.models import Call
from mobility_portal.caching import memoize
from mobility_portal.page_cache import keep_page
from mobility_portal.parsing import whole_number

from ..charts import BarChart, bar_chart
from ..selectors_queue import (
    DESTINATION_TABLES,
    CountRow,
    academic_years,
    counts_by_country,
    counts_by_kind,
    counts_by_state,
)


@dataclass(frozen=True)
class ReportSection:
    """One breakdown: `filter_name` is the queue filter each row's key is a value of."""

    filter_name: str
    title: str
    column: str
    note: str
    rows: list[CountRow]
    chart: BarChart


def _section(
    filter_name: str, title: str, column: str, note: str, rows: list[CountRow]
) -> ReportSection:
    return ReportSection(
        filter_name=filter_name,
        title=title,
        column=column,
        note=note,
        rows=rows,
        chart=bar_chart([(row.label, row.count) for row in rows]),
    )


def chosen_year(requested: str, years: list[int]) -> int | None:
    """The requested academic year when there is a call for it, else the latest one."""
    if whole_number(requested) in years:
        return int(requested)
    return years[0] if years else None


@memoize(*DESTINATION_TABLES, Call, per_language=True)
def report_sections(year: int) -> list[ReportSection]:
    """The year's three breakdowns with their charts, kept until the counts may change."""
    return [
        _section("state", _("By state"), _("State"), "", counts_by_state(year)),
        _section(
            "country",
            _("By destination country"),
            _("Destination country"),
            _("An application counts in each country among its choices."),
            counts_by_country(year),
        ),
        _section(
            "kind",
            _("By programme"),
            _("Programme"),
            _("An application counts in each programme among its choices."),
            counts_by_kind(year),
        ),
    ]


@memoize(*DESTINATION_TABLES, Call, per_language=True)
def sections_html(year: int) -> str:
    """The charts and tables of one year, rendered once until the counts may have changed:
    writing out the charts took most of the page's time."""
    return render_to_string(
        "reviews/includes/reporting_sections.html",
        {"sections": report_sections(year), "year": year},
    )


@capability_required(Capability.SEE_ALL_DOSSIERS)
@require_safe
@keep_page
def reporting(request):
    years = academic_years()
    requested = request.GET.get("year", "").strip()
    year = chosen_year(requested, years)
    sections = report_sections(year) if year is not None else []
    return render(
        request,
        "reviews/reporting.html",
        {
            "years": years,
            "year": year,
            # A year typed or linked to with no call: said, rather than another year's counts
            # shown as if they were the ones asked for.
            "year_not_found": requested if requested and whole_number(requested) != year else "",
            "total": sum(row.count for row in sections[0].rows) if sections else 0,
            "sections": sections,
            "sections_html": sections_html(year) if year is not None else "",
        },
    )
