"""The staff reporting dashboard: applications of one academic year by state, destination
country and programme, as charts and tables linking to the queue filtered the same way."""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability

from ..charts import BarChart, bar_chart
from ..selectors_queue import (
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
    if requested.isdigit() and int(requested) in years:
        return int(requested)
    return years[0] if years else None


@capability_required(Capability.SEE_ALL_DOSSIERS)
def reporting(request):
    years = academic_years()
    year = chosen_year(request.GET.get("year", ""), years)
    sections = []
    total = 0
    if year is not None:
        by_state = counts_by_state(year)
        total = sum(row.count for row in by_state)
        sections = [
            _section("state", _("By state"), _("State"), "", by_state),
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
    return render(
        request,
        "reviews/reporting.html",
        {"years": years, "year": year, "total": total, "sections": sections},
    )
