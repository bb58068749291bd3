"""`long_date` and `long_datetime` for every template (settings: TEMPLATES' builtins)."""

from django import template

from .. import dates

register = template.Library()


@register.filter
def long_date(value):
    """A date in words ("1er septembre 2026"); nothing for no date, as Django's `date`."""
    return dates.long_date(value) if value else ""


@register.filter
def long_datetime(value):
    return dates.long_datetime(value) if value else ""
