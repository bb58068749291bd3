"""The two moves the DRI records for several students at once, from the queue: a departure
(accepted to in mobility) and a return (in mobility to returned), each the repeat of a
decision of the dossier, with its words."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from apps.applications.models import Application, ApplicationState

from .services import decisions

S = ApplicationState

# More than a few queue pages at once is not a selection anybody checks row by row.
MOST_AT_ONCE = 250


@dataclass(frozen=True)
class StayMove:
    """A departure or a return: the dossier's decision it repeats, and its words."""

    name: str  # the decision's name (forms_dri.DECISIONS), the prefix of each row's form
    from_state: str  # the queue's state filter that offers it
    to_state: str
    service: Callable[..., Application]
    title: str
    intro: str
    # Why an early row was left out, formatted with %(date)s (the stay's day).
    not_confirmed: str
    # The confirmation's button for a count, still to format with %(count)d: the page holds
    # its forms for one and for several, for the script that counts the ticked rows.
    submit_label: Callable[[int], str]
    # Formatted with %(count)d: the results' summary.
    summary: str

    def submit_text(self, count: int) -> str:
        return self.submit_label(count) % {"count": count}

    def submit_forms(self) -> tuple[str, str]:
        """The button's words for one row and for several, "{count}" standing for the number:
        the script of the confirmation picks one with the page language's plural rules."""
        return tuple(  # type: ignore[return-value]
            self.submit_label(count).replace("%(count)d", "{count}") for count in (1, 2)
        )


MOVES = {
    "departed": StayMove(
        name="departed",
        from_state=S.ACCEPTED,
        to_state=S.IN_MOBILITY,
        service=decisions.application_mark_departed,
        title=gettext_lazy("Record departures"),
        intro=gettext_lazy(
            "Each student listed below will be recorded as departed, as the button on their "
            "dossier does. A departure recorded by mistake is undone from the student's dossier, "
            "while they have sent nothing of their return."
        ),
        not_confirmed=gettext_lazy(
            "Not recorded: the stay begins on %(date)s and you did not confirm that the "
            "student has already left."
        ),
        submit_label=lambda count: ngettext(
            "Record %(count)d departure", "Record %(count)d departures", count
        ),
        summary=ngettext_lazy(
            "%(count)d student is recorded as departed.",
            "%(count)d students are recorded as departed.",
            "count",
        ),
    ),
    "returned": StayMove(
        name="returned",
        from_state=S.IN_MOBILITY,
        to_state=S.RETURNED,
        service=decisions.application_mark_returned,
        title=gettext_lazy("Record returns"),
        intro=gettext_lazy(
            "Each student listed below will be recorded as back from mobility and asked to "
            "send the host's transcript, as the button on their dossier does. A return recorded "
            "by mistake is undone from the student's dossier, while they have sent nothing it "
            "asks for."
        ),
        not_confirmed=gettext_lazy(
            "Not recorded: the stay ends on %(date)s and you did not confirm that the student "
            "is already back."
        ),
        submit_label=lambda count: ngettext(
            "Record %(count)d return", "Record %(count)d returns", count
        ),
        summary=ngettext_lazy(
            "%(count)d student is recorded as back from mobility and asked for the host's "
            "transcript.",
            "%(count)d students are recorded as back from mobility, each asked for the host's "
            "transcript.",
            "count",
        ),
    ),
}
# The queue filtered on one of these states offers the move (views/queue.py).
MOVE_FROM_STATE = {move.from_state: move.name for move in MOVES.values()}
