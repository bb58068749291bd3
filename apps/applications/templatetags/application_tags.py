"""Template helpers shared by the student's and the staff's application pages."""

from collections.abc import Iterable
from decimal import Decimal

from django import template
from django.template.defaultfilters import add, linebreaksbr, truncatechars
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from apps.applications.advice import advice_for
from apps.applications.models import Application, ApplicationState, Transition
from apps.applications.privacy import REDACTED
from apps.applications.timeline import Timeline
from mobility_portal.dates import short_datetime
from mobility_portal.escaping import escaped

register = template.Library()

STATE_BADGE_CLASSES = {
    ApplicationState.SUBMITTED: "text-bg-primary",
    ApplicationState.WITHDRAWN: "text-bg-dark",
}


@register.filter
def rule_advice(rule: str) -> str:
    """What the student can do about an error of this rule (apps/applications/advice.py)."""
    return advice_for(rule)


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


HISTORY_ROW = """
          <tr>
            <td>{at}</td>
            <td>{actor}</td>
            <td>{from_state}</td>
            <td>{to_state}{mark}</td>
            <td>{comment}</td>
          </tr>"""
# A move the office undid, and its undo (workflow.move_undoing), said so beside the state.
UNDO_MARK = ' <span class="badge text-bg-warning">{}</span>'
UNDONE_MARK = ' <span class="badge text-bg-secondary">{}</span>'


def _history_mark(transition: Transition, undone: set[int]) -> str:
    if transition.undoes_id is not None:
        return UNDO_MARK.format(
            escaped(pgettext("history of an application", "undo of the previous step"))
        )
    if transition.pk in undone:
        return UNDONE_MARK.format(escaped(pgettext("history of an application", "undone")))
    return ""


@register.filter
def history_rows(history: Iterable[Transition]) -> SafeString:
    """The rows of an application's history table, written here rather than looped over in
    the template (five cells of template filters per change of state): the same markup,
    escaped as the template's autoescape escaped it, through the template's own filters."""
    history = list(history)
    undone = {transition.undoes_id for transition in history if transition.undoes_id}
    return mark_safe(  # nosec B308 B703: each value escaped as it is written in
        "".join(
            HISTORY_ROW.format(
                at=escaped(short_datetime(transition.at)),
                actor=escaped(transition.actor),
                from_state=escaped(transition.get_from_state_display()),
                to_state=escaped(transition.get_to_state_display()),
                mark=_history_mark(transition, undone),
                comment=escaped(linebreaksbr(redacted(transition.comment), autoescape=True) or "—"),
            )
            for transition in history
        )
    )


# The timeline's bands and bars (applications/includes/timeline.svg), written here: about forty
# template nodes a stay. Inside the template's {% localize off %}: numbers as Python writes them.
TIMELINE_BAND = """
      <rect x="{x}" y="24" width="{width}" height="22" fill="{fill}" stroke="#fff"/>
      <text x="{label_x}" y="39" fill="#212529"{room}>{label}</text>
      <line x1="{x}" x2="{x}" y1="24" y2="{line_end}" stroke="#dee2e6"/>"""
TIMELINE_BAR = """
      <g>
        <title>{title}</title>
        <rect class="timeline-bar" x="{x}" y="{y}" width="{width}" height="30" rx="4" \
fill="{colour}"{error}/>
        <switch>
          <foreignObject x="{label_x}" y="{y}" width="{label_width}" height="30" \
requiredExtensions="http://www.w3.org/1999/xhtml">
            <div xmlns="http://www.w3.org/1999/xhtml" class="timeline-label" \
style="color: {text_colour}; font-weight: 600; line-height: 30px; white-space: nowrap; \
overflow: hidden; text-overflow: ellipsis;">{label}</div>
          </foreignObject>
          <text x="{label_x}" y="{text_y}" fill="{text_colour}" \
font-weight="600">{short_label}</text>
        </switch>
      </g>"""
BAR_ERROR = ' stroke="#dc3545" stroke-width="3" stroke-dasharray="6 3"'


def _unlocalized(value) -> str:
    """`{{ value }}` inside {% localize off %}."""
    return escaped(localize(value, use_l10n=False))


@register.filter
def timeline_bands(timeline: Timeline) -> SafeString:
    line_end = _unlocalized(add(timeline.progress_y, -10))
    return mark_safe(  # nosec B308 B703: each value escaped as it is written in
        "".join(
            TIMELINE_BAND.format(
                x=_unlocalized(band.x),
                width=_unlocalized(band.width),
                fill="#fff3cd" if band.summer else "#e7f1ff",
                label_x=_unlocalized(add(band.x, 4)),
                room=f' textLength="{_unlocalized(band.label_room)}" '
                'lengthAdjust="spacingAndGlyphs"'
                if band.label_room
                else "",
                label=_unlocalized(band.label),
                line_end=line_end,
            )
            for band in timeline.bands
        )
    )


@register.filter
def timeline_bars(timeline: Timeline) -> SafeString:
    return mark_safe(  # nosec B308 B703: each value escaped as it is written in
        "".join(
            TIMELINE_BAR.format(
                title=_unlocalized(bar.title),
                x=_unlocalized(bar.x),
                y=_unlocalized(bar.y),
                width=_unlocalized(bar.width),
                colour=_unlocalized(bar.colour),
                error=BAR_ERROR if bar.has_error else "",
                label_x=_unlocalized(bar.label_x),
                label_width=_unlocalized(bar.label_width),
                text_colour=_unlocalized(bar.text_colour),
                label=_unlocalized(bar.label),
                text_y=_unlocalized(add(bar.y, 19)),
                short_label=_unlocalized(truncatechars(bar.label, 28)),
            )
            for bar in timeline.bars
        )
    )
