"""Escaping for markup written in Python, row by row or option by option."""

from html import escape


def escaped(value) -> str:
    """What django.utils.html.conditional_escape(value) writes (a value marked safe as it is,
    anything else as its text, HTML-escaped), without the lazy-string wrapper that doubled its
    cost: the queue's rows and menus call it thousands of times a page."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))
