"""The application workflow: which state may follow which, and the audited move itself."""

from collections.abc import Iterable, Sequence
from copy import copy

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.notifications.events import announce_transition, announce_transitions
from mobility_portal.bulk import rows_per_insert, update_each

from .errors import ServiceError
from .models import Application, ApplicationState, Transition
from .regulation import FOLLOWING_STATES, plan_follow_current_regulation
from .undoable import UNDOABLE_MOVES

S = ApplicationState

# Target state -> the states it may be reached from. The one table of the workflow.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    # A draft withdrawn before it was ever submitted may be started again (application_start).
    S.DRAFT: frozenset({S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.DRAFT, S.CHANGES_REQUESTED}),
    S.UNDER_REVIEW: frozenset({S.SUBMITTED}),
    S.CHANGES_REQUESTED: frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
    # After a host's refusal the office may nominate the student to another of their choices.
    S.NOMINATED: frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.HOST_REFUSED}),
    # Also while waiting for changes: a student who never answers is not left open for ever.
    S.REFUSED: frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED}),
    S.ACCEPTED: frozenset({S.NOMINATED}),
    S.HOST_REFUSED: frozenset({S.NOMINATED}),
    S.IN_MOBILITY: frozenset({S.ACCEPTED}),
    S.RETURNED: frozenset({S.IN_MOBILITY}),
    S.COMPLETED: frozenset({S.RETURNED}),
    # A student may drop out until they leave: a nominated or accepted one gives the seat up;
    # one refused by their host may still be nominated elsewhere, so may withdraw too.
    S.WITHDRAWN: frozenset(
        {
            S.DRAFT,
            S.SUBMITTED,
            S.UNDER_REVIEW,
            S.CHANGES_REQUESTED,
            S.NOMINATED,
            S.ACCEPTED,
            S.HOST_REFUSED,
        }
    ),
}

# An application in these states has put its study activities' course plans before the advisor.
COURSE_PLANS_SENT_STATES = (
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.CHANGES_REQUESTED,
    S.NOMINATED,
    S.ACCEPTED,
    S.IN_MOBILITY,
    S.RETURNED,
)
# States in which the student edits choices, motivation and documents.
EDITABLE_STATES = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
WITHDRAWABLE_STATES = ALLOWED_FROM[S.WITHDRAWN]
# The withdrawable states in which the student holds a seat: withdrawing gives it up.
SEAT_GIVEN_UP_BY_WITHDRAWAL = frozenset({S.NOMINATED, S.ACCEPTED})
# States a reviewer decides on.
IN_REVIEW_STATES = frozenset({S.SUBMITTED, S.UNDER_REVIEW})
# A withdrawal the office undoes (recorded by mistake, or the student changed their mind)
# takes the application back to the state it left; a draft is the student's own to start again.
REINSTATABLE_STATES = WITHDRAWABLE_STATES - {S.DRAFT}

# The office's undo of a wrong click: the state a move went to -> the states it may have come
# from, to which the undo takes it back. Kept apart from ALLOWED_FROM, so that no other move
# (`move`, `can_move`, the decision forms, the bulk pages) can ever go backwards: only
# `move_undoing` reads this table, and only to take back the very move that brought the
# application to its state (`undoable_move`). One entry per state in undoable.py, with the
# words of its undo.
UNDOABLE_FROM: dict[str, frozenset[str]] = {
    state: move.back_to for state, move in UNDOABLE_MOVES.items()
}


class TransitionRefused(ServiceError):
    """The application is not in a state from which the asked move may start."""


class StaleDossier(ServiceError):
    """Someone changed the application since the person deciding last saw it."""


# The attribute of an application (a copy, see `as_seen`) that carries the id of the latest
# Transition the person deciding saw.
_SEEN_TRANSITION = "seen_transition_id"


def last_transition_id(application: Application) -> int | None:
    """The id of the application's latest audit row, read from the database (None before its
    first move). Every change of state writes one, so it changes with every transition, even
    one that comes back to the same state."""
    return (
        Transition.objects.filter(application_id=application.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )


def as_seen(application: Application, *, state: str, transition_id: int | None) -> Application:
    """A copy of `application` that says what the person deciding saw of it: its state and the
    id of its latest Transition then (None: it had none). `lock_as_seen` compares both."""
    seen = copy(application)
    seen.state = state
    setattr(seen, _SEEN_TRANSITION, transition_id)
    return seen


def lock_as_seen(application: Application) -> Application:
    """Lock the row; refuse when it changed since the caller saw it, so that a decision never
    applies to a dossier its author did not see, and of two simultaneous decisions exactly one
    applies. The caller saw the state `application` carries and, when it comes from `as_seen`
    (the dossier page's forms), the latest Transition then: a move since, even one back to the
    same state (changes requested, then submitted again), is refused too."""
    return check_as_seen(
        application, Application.objects.select_for_update().get(pk=application.pk)
    )


def check_as_seen(application: Application, locked: Application) -> Application:
    """`lock_as_seen` for a row the caller has already locked (`locked`, read since): the
    seat allocation's confirmation locks every application it nominates at once."""
    changed = locked.state != application.state
    if not changed and hasattr(application, _SEEN_TRANSITION):
        changed = getattr(application, _SEEN_TRANSITION) != last_transition_id(locked)
    if changed:
        raise StaleDossier(
            _("This dossier changed since you opened it: it is now %(state)s. Reload it.")
            % {"state": locked.get_state_display().lower()}
        )
    return locked


def can_move(application: Application, to_state: str) -> bool:
    return application.state in ALLOWED_FROM[to_state]


def move(
    application: Application,
    *,
    actor: User,
    to_state: str,
    comment: str = "",
    update_fields: tuple[str, ...] = (),
) -> Transition:
    """Move a locked application to `to_state`, write the audit row and queue the
    notifications of the change, in the caller's transaction; or refuse."""
    check_move(application, to_state)
    return _record_move(
        application, actor=actor, to_state=to_state, comment=comment, update_fields=update_fields
    )


def check_move(application: Application, to_state: str) -> None:
    """Refuse (TransitionRefused) a move the workflow does not allow from the application's
    state."""
    if not can_move(application, to_state):
        raise TransitionRefused(
            _("This application is %(state)s: it cannot become %(target)s.")
            % {
                "state": application.get_state_display().lower(),
                "target": ApplicationState(to_state).label.lower(),
            }
        )


def move_all(
    moves: Sequence[tuple[Application, str]],
    *,
    actor: User,
    to_state: str,
    update_fields: tuple[str, ...] = (),
    restores_on_undo: Sequence[dict] | None = None,
) -> list[Transition]:
    """`move` for many locked applications at once, each with its comment (and, in
    `restores_on_undo`, in the same order, what undoing its move restores): every move is
    checked before anything is written, then the rows are updated in one statement, their
    audit rows inserted in another and their notifications queued together (a few queries in
    all, where `move` costs five or six each)."""
    for application, _comment in moves:
        check_move(application, to_state)
    from_states = [application.state for application, _comment in moves]
    for application, _comment in moves:
        application.state = to_state
    update_each([application for application, _comment in moves], ["state", *update_fields])
    rows = [
        _audit_row(application, actor, from_state, to_state, comment)
        for (application, comment), from_state in zip(moves, from_states, strict=True)
    ]
    for row, restores in zip(rows, restores_on_undo or [{}] * len(rows), strict=True):
        row.restores_on_undo = restores
    transitions = Transition.objects.bulk_create(rows, batch_size=rows_per_insert(Transition))
    announce_transitions(transitions)
    for transition in transitions:
        _follow_regulation_on_entry(transition)
    return transitions


def state_before_withdrawal(
    application: Application, *, history: Iterable[Transition] | None = None
) -> str | None:
    """The state a withdrawn application left, which undoing the withdrawal takes it back to;
    None when there is none to undo (not withdrawn, come to it otherwise, or a draft the student
    withdrew). Read from `history`, the application's audit rows when the caller has them
    loaded (no query), else from its latest audit row."""
    if application.state != S.WITHDRAWN:
        return None
    if history is not None:
        latest = max(history, key=lambda transition: transition.pk, default=None)
        moved = None if latest is None else (latest.from_state, latest.to_state)
    else:
        moved = (
            Transition.objects.filter(application_id=application.pk)
            .order_by("-pk")
            .values_list("from_state", "to_state")
            .first()
        )
    if moved is None or moved[1] != S.WITHDRAWN or moved[0] not in REINSTATABLE_STATES:
        return None
    return moved[0]


def undoable_move(
    application: Application, *, history: Iterable[Transition] | None = None
) -> Transition | None:
    """The move that brought the application to its state, when the office may undo it (a
    nomination, a departure, a return: UNDOABLE_FROM); else None. Moves already undone are
    set aside with their undo, so that a return undone leaves the departure before it to undo.
    Read from `history` when the caller has it loaded (no query), else from the database."""
    if application.state not in UNDOABLE_FROM:
        return None
    if history is None:
        history = Transition.objects.filter(application_id=application.pk)
    standing: list[Transition] = []
    for transition in sorted(history, key=lambda transition: transition.pk):
        if transition.undoes_id is not None:
            if standing and standing[-1].pk == transition.undoes_id:
                standing.pop()
                continue
            return None  # an undo of some other move than the latest: nothing safe to read
        standing.append(transition)
    latest = standing[-1] if standing else None
    if (
        latest is None
        or latest.to_state != application.state
        or latest.from_state not in UNDOABLE_FROM[application.state]
    ):
        return None
    return latest


def move_undoing(
    application: Application, *, actor: User, undone: Transition, comment: str
) -> Transition:
    """Take a locked application back to the state `undone` (its `undoable_move`) left: the
    audit row names the move it undoes, and the student is told as of a decision."""
    if undoable_move(application) != undone:
        raise TransitionRefused(
            _("This application is %(state)s: there is no move to undo.")
            % {"state": application.get_state_display().lower()}
        )
    return _record_move(
        application,
        actor=actor,
        to_state=undone.from_state,
        comment=comment,
        update_fields=("nominated_choice",) if undone.to_state == S.NOMINATED else (),
        undoes=undone,
    )


def move_back_from_withdrawal(application: Application, *, actor: User, comment: str) -> Transition:
    """Take a locked, withdrawn application back to the state it was withdrawn from: outside
    ALLOWED_FROM (as `move_undoing`), since its target is read from the history."""
    to_state = state_before_withdrawal(application)
    if to_state is None:
        raise TransitionRefused(
            _("This application is %(state)s: there is no withdrawal to undo.")
            % {"state": application.get_state_display().lower()}
        )
    return _record_move(application, actor=actor, to_state=to_state, comment=comment)


def _record_move(
    application: Application,
    *,
    actor: User,
    to_state: str,
    comment: str = "",
    update_fields: tuple[str, ...] = (),
    undoes: Transition | None = None,
) -> Transition:
    from_state = application.state
    application.state = to_state
    application.save(update_fields=["state", *update_fields])
    transition = _audit_row(application, actor, from_state, to_state, comment)
    transition.undoes = undoes
    transition.save()
    announce_transition(transition)
    _follow_regulation_on_entry(transition)
    return transition


def _audit_row(
    application: Application, actor: User, from_state: str, to_state: str, comment: str
) -> Transition:
    """The history row of one move (unsaved): who, when (on save), from, to, and why."""
    return Transition(
        application=application,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )


def _follow_regulation_on_entry(transition: Transition) -> None:
    """An application entering the states that follow the current regulation takes its
    student's plan along."""
    if transition.to_state in FOLLOWING_STATES and transition.from_state not in FOLLOWING_STATES:
        plan_follow_current_regulation(transition.application.student_id)
