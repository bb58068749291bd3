"""Counts as the reader's language writes them, their thousands grouped: "1 278" in French
(with the no-break space of Django's French format), "1,278" in English.

`digits_number` reads a number written in a form or an address, where str.isdigit() alone
lets "²" through to int() (a 500).

Grouping is chosen figure by figure, not by USE_THOUSAND_SEPARATOR, which would group every
number a template writes: years ("2 027"), ids, student numbers, ECTS. Only counts — of
students, applications, plans, seats, e-mails — go through `grouped`."""

from decimal import Decimal

from django.utils.formats import number_format


def grouped(value: int | None) -> str:
    """`value` grouped by thousands in the active language; "" for no value."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)


def grouped_or_as_is(value: object) -> object:
    """What the template filter writes: a number grouped, anything else (a text, a missing
    value) as the template would have written it."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return grouped(value)


def digits_number(text: str | None, *, most_digits: int) -> int | None:
    """The number `text` writes in ASCII digits only, at most `most_digits` of them; else
    None ("", "²", "-1", "12a", a number longer than any the caller takes)."""
    if text and text.isascii() and text.isdigit() and len(text) <= most_digits:
        return int(text)
    return None
