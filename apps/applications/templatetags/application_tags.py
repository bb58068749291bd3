"""Template helpers shared by the student's and the staff's application pages."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from apps.applications.models import Application, ApplicationState
from apps.applications.privacy import REDACTED

register = template.Library()

STATE_BADGE_CLASSES = {
    ApplicationState.SUBMITTED: "text-bg-primary",
    ApplicationState.WITHDRAWN: "text-bg-dark",
}


@register.filter
def state_badge(application: Application) -> SafeString:
    """The application's state as a badge. A filter rather than an included template: the
    staff queue shows fifty of them, and each include costs a template render."""
    state = ApplicationState(application.state)
    css = STATE_BADGE_CLASSES.get(state, "text-bg-secondary")
    # The enum's label, not get_state_display(): that one rebuilds a dict of every state.
    return format_html('<span class="badge {}">{}</span>', css, state.label)


@register.filter
def score(value: Decimal | None) -> Decimal | str:
    """A ranking score as it was typed: 14.5, not the stored 14.500 (which a French page
    wrote "14,500", and 145 as "145,000")."""
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


@register.filter
def redacted(text: str) -> str:
    """A free text as written, or, where anonymisation took it away, the marker it left in the
    reader's language (the rows hold one marker for every language)."""
    return gettext("[redacted]") if text == REDACTED else text


@register.filter
def for_key(mapping: dict, key):
    """The mapping's value for `key`, or None: a page's facts keyed by an object's id."""
    return mapping.get(key)
