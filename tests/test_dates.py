"""Dates in words as each language writes them: French says "1er" of a month's first day."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import translation

from mobility_portal.dates import long_date, long_datetime, short_date, short_datetime


@pytest.mark.parametrize(
    ("language", "day", "written"),
    [
        ("fr", date(2026, 9, 1), "1er septembre 2026"),
        ("fr", date(2026, 9, 11), "11 septembre 2026"),
        ("fr", date(2026, 9, 21), "21 septembre 2026"),
        ("en", date(2026, 9, 1), "Sept. 1, 2026"),
    ],
)
def test_long_date(language, day, written):
    with translation.override(language):
        assert long_date(day) == written


def test_a_moment_is_dated_in_the_portals_time_zone():
    # 23:30 in UTC on 31 August is 1 September in Paris.
    moment = datetime(2026, 8, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("fr"):
        assert long_date(moment) == "1er septembre 2026"
        assert long_datetime(moment) == "1er septembre 2026 01:30"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_short_dates_are_what_the_templates_date_filter_writes(language):
    """Rows written in Python (queue, history, course lines, allocation) date as the templates do,
    in the portal's time zone; no date writes nothing."""
    moment = datetime(2026, 8, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    template = engines["django"].from_string(
        '{{ m|date:"SHORT_DATE_FORMAT" }}|{{ m|date:"SHORT_DATETIME_FORMAT" }}'
    )
    with translation.override(language):
        assert f"{short_date(moment)}|{short_datetime(moment)}" == template.render({"m": moment})
        assert short_date(None) == short_datetime(None) == ""
    with translation.override("fr"):
        assert short_date(moment) == "01/09/2026"


def test_every_template_has_the_filters_and_no_date_writes_nothing():
    template = engines["django"].from_string(
        '{{ day|long_date }}|{{ moment|long_datetime }}|{{ none|long_date|default:"—" }}'
    )
    moment = datetime(2026, 12, 1, 9, 5, tzinfo=ZoneInfo("Europe/Paris"))
    with translation.override("fr"):
        assert (
            template.render({"day": date(2027, 1, 1), "moment": moment, "none": None})
            == "1er janvier 2027|1er décembre 2026 09:05|—"
        )


def test_no_template_writes_a_long_date_with_djangos_filter():
    """Django's `date:"DATE_FORMAT"` (and `now`) writes "1 septembre": the portal's filters
    write "1er"."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r'(\|date:|\{% now )"(DATE_FORMAT|DATETIME_FORMAT)"')
    offending = [
        str(path.relative_to(root))
        for folder in ("apps", "templates")
        for path in (root / folder).rglob("*")
        if path.suffix in {".html", ".txt"} and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offending == []
