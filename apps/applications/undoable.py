"""The moves the office may undo, one entry per state such a move goes to: the states the undo
takes the application back to (workflow.UNDOABLE_FROM is read from here) and the words the undo
uses, on the dossier's card and in the student's notice. A new undoable state is one entry.

Apart from workflow.py, which imports the notifications: their subject lines read this table."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import ApplicationState

S = ApplicationState


@dataclass(frozen=True)
class UndoableMove:
    # The states the move may have come from, to which the undo takes it back.
    back_to: frozenset[str]
    # The dossier's card: its title (and button), and the box the reviewer ticks to confirm,
    # formatted with %(state)s, the state the application goes back to.
    title: Any
    confirmation: Any
    # The student's notice: what was undone, in its subject ("Your application to …: %s").
    step_undone: Any
    # The confirmation when the move held no seat (a stay outside partnerships); None: the
    # move never holds one, `confirmation` says nothing of seats.
    confirmation_without_seat: Any = None

    def confirmation_for(self, *, holds_seat: bool) -> Any:
        if holds_seat or self.confirmation_without_seat is None:
            return self.confirmation
        return self.confirmation_without_seat


UNDOABLE_MOVES: dict[str, UndoableMove] = {
    # A nomination the host has not answered yet.
    S.NOMINATED: UndoableMove(
        back_to=frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.HOST_REFUSED}),
        title=_("Undo the nomination"),
        confirmation=_(
            "I confirm: the nomination is undone, its seat is free again, the stay goes back "
            "to the host it named before, and the application is %(state)s again."
        ),
        confirmation_without_seat=_(
            "I confirm: the nomination is undone, the stay goes back to the host it named "
            "before, and the application is %(state)s again."
        ),
        step_undone=_("nomination undone"),
    ),
    # A departure, back to accepted.
    S.IN_MOBILITY: UndoableMove(
        back_to=frozenset({S.ACCEPTED}),
        title=_("Undo the departure"),
        confirmation=_(
            "I confirm: the departure is undone and the application is accepted again, as "
            "before the student left."
        ),
        step_undone=_("departure undone"),
    ),
    # A return, back to in mobility.
    S.RETURNED: UndoableMove(
        back_to=frozenset({S.IN_MOBILITY}),
        title=_("Undo the return"),
        confirmation=_(
            "I confirm: the return is undone and the student is in mobility again; a request "
            "to the advisor to recognise the credits that has not gone yet is withdrawn."
        ),
        step_undone=_("return undone"),
    ),
}
