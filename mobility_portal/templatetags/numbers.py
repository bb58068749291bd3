"""`grouped` for every template (settings: TEMPLATES' builtins): `{{ row.count|grouped }}`
writes "1 278" in French and "1,278" in English, even inside `{% localize off %}` (the charts'
texts). For counts only: a year, an id or a student number is written as it is."""

from django import template

from .. import numbers

register = template.Library()


@register.filter
def grouped(value):
    return numbers.grouped_or_as_is(value)
