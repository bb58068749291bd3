"""Filters of the e-mail templates."""

from django import template

from ..rendering import within_sentence as _within_sentence

register = template.Library()


@register.filter
def within_sentence(label) -> str:
    """A label inside a sentence: "your summer stay (between 2A and 3A)"."""
    return _within_sentence(label)
