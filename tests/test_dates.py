"""Dates as each language writes them: French says "1er" of a month's first day; English is
written day first, as the school's international readers write it (mobility_portal/formats)."""

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
        ("en", date(2026, 9, 1), "1 September 2026"),
        ("en", date(2026, 11, 28), "28 November 2026"),
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


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_short_date_is_written_day_first_in_both_languages(language):
    """English wrote "06/01/2026" for 1 June: the digits swapped when a reader switched from
    French."""
    moment = datetime(2026, 6, 1, 14, 5, tzinfo=ZoneInfo("Europe/Paris"))
    with translation.override(language):
        assert short_date(date(2026, 6, 1)) == "01/06/2026"
        assert short_datetime(moment) == "01/06/2026 14:05"


def test_an_english_moment_is_written_day_first_on_24_hours():
    moment = datetime(2026, 11, 28, 14, 5, tzinfo=ZoneInfo("Europe/Paris"))
    template = engines["django"].from_string('{{ m|time:"TIME_FORMAT" }}')
    with translation.override("en"):
        assert long_datetime(moment) == "28 November 2026, 14:05"
        assert template.render({"m": moment}) == "14:05"


def test_english_long_dates_are_the_rules_engines():
    """The application page lists the portal's "The call closed on …" beside the rules engine's
    findings, which write "1 September 2027": both write the same."""
    from apps.rules.messages import localize

    day = date(2027, 9, 1)
    with translation.override("en"):
        assert long_date(day) == localize(day, "en") == "1 September 2027"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("06/01/2026", date(2026, 1, 6)),  # day first: 6 January, not 1 June
        ("28/11/2026", date(2026, 11, 28)),
        ("2026-11-28", date(2026, 11, 28)),  # what an HTML date input sends
        ("28 November 2026", date(2026, 11, 28)),
    ],
)
def test_an_english_typed_date_is_read_day_first(typed, read):
    from django import forms

    with translation.override("en"):
        assert forms.DateField().clean(typed) == read


def test_an_english_date_written_month_first_is_refused_not_misread():
    from django import forms

    with translation.override("en"), pytest.raises(forms.ValidationError):
        forms.DateField().clean("11/28/2026")


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
