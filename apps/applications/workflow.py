"""The application workflow: which state may follow which, and the audited move itself."""

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.notifications.events import announce_transition

from .errors import ServiceError
from .models import Application, ApplicationState, Transition

S = ApplicationState

# Target state -> the states it may be reached from. The one table of the workflow.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.DRAFT, S.CHANGES_REQUESTED}),
    S.UNDER_REVIEW: frozenset({S.SUBMITTED}),
    S.CHANGES_REQUESTED: frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
    S.NOMINATED: frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
    S.REFUSED: frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
    S.ACCEPTED: frozenset({S.NOMINATED}),
    S.HOST_REFUSED: frozenset({S.NOMINATED}),
    S.IN_MOBILITY: frozenset({S.ACCEPTED}),
    S.RETURNED: frozenset({S.IN_MOBILITY}),
    S.COMPLETED: frozenset({S.RETURNED}),
    S.WITHDRAWN: frozenset({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED}),
}

# States in which the student edits choices, motivation and documents.
EDITABLE_STATES = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
WITHDRAWABLE_STATES = ALLOWED_FROM[S.WITHDRAWN]
# States a reviewer decides on.
IN_REVIEW_STATES = frozenset({S.SUBMITTED, S.UNDER_REVIEW})


class TransitionRefused(ServiceError):
    """The application is not in a state from which the asked move may start."""


class StaleDossier(ServiceError):
    """Someone changed the application since the person deciding last saw it."""


def lock_as_seen(application: Application) -> Application:
    """Lock the row; refuse when its state is no longer the one the caller acted on (the
    state `application` carries), so of two simultaneous decisions exactly one applies."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.state != application.state:
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
    if not can_move(application, to_state):
        raise TransitionRefused(
            _("This application is %(state)s: it cannot become %(target)s.")
            % {
                "state": application.get_state_display().lower(),
                "target": ApplicationState(to_state).label.lower(),
            }
        )
    from_state = application.state
    application.state = to_state
    application.save(update_fields=["state", *update_fields])
    transition = Transition.objects.create(
        application=application,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )
    announce_transition(transition)
    return transition
