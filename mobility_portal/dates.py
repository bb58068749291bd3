"""Dates as the reader's language writes them: in words ("1er septembre 2026" in French, where
Django's French format gives "1 septembre 2026"), or short ("01/09/2026") where rows are written
in Python rather than by the template's `date` filter. English is written day first too
("1 September 2026", "01/09/2026"): the portal's own formats, mobility_portal/formats."""

from datetime import date, datetime

from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language


def _written(value: date | datetime, format_name: str) -> str:
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    written = date_format(value, format_name)
    if value.day == 1 and (get_language() or "").startswith("fr") and written.startswith("1 "):
        return "1er" + written[1:]
    return written


def long_date(value: date | datetime) -> str:
    """ "26 novembre 2026", "1er décembre 2026"; "26 November 2026" in English. A moment is
    dated in the portal's time zone, as Django's `date` filter does."""
    return _written(value, "DATE_FORMAT")


def long_datetime(value: datetime) -> str:
    """ "1er décembre 2026 14:05" in the portal's time zone."""
    return _written(value, "DATETIME_FORMAT")


def short_date(value: date | datetime | None) -> str:
    """`{{ value|date:"SHORT_DATE_FORMAT" }}`, in the reader's time zone as the template's;
    "" for no value."""
    return date_filter(timezone.template_localtime(value), "SHORT_DATE_FORMAT")


def short_datetime(value: datetime | None) -> str:
    """`{{ value|date:"SHORT_DATETIME_FORMAT" }}`, in the reader's time zone."""
    return date_filter(timezone.template_localtime(value), "SHORT_DATETIME_FORMAT")
