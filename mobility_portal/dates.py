"""Dates written out in words, as the reader's language writes them: "1er septembre 2026" in
French, where Django's French format gives "1 septembre 2026"."""

from datetime import date, datetime

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
    """ "26 novembre 2026", "1er décembre 2026"; "November 26, 2026" in English. A moment is
    dated in the portal's time zone, as Django's `date` filter does."""
    return _written(value, "DATE_FORMAT")


def long_datetime(value: datetime) -> str:
    """ "1er décembre 2026 14:05" in the portal's time zone."""
    return _written(value, "DATETIME_FORMAT")
