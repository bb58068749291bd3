"""GDPR right to erasure: a student asks, an administrator carries the request out (the
student's data anonymised as old dossiers are, see privacy.py) or refuses it with a reason.

Every change of a request locks its row, checks its guard, and writes an audit row
(ErasureTransition) and its notifications in the same transaction."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.notifications.events import (
    announce_erasure_cancelled,
    announce_erasure_done,
    announce_erasure_refused,
    announce_erasure_requested,
)

from .errors import ServiceError
from .models import (
    Application,
    ApplicationState,
    ErasureRequest,
    ErasureState,
    ErasureTransition,
)
from .privacy import ANONYMISED_EMAIL_DOMAIN, ERASURE_ENDED_STATES, anonymise_student

# What a student may write as their reason, and an administrator as a refusal's.
REASON_MAX_LENGTH = 2000


def applications_under_way(student: User) -> QuerySet[Application]:
    """The student's applications not in a final state: erasing would take the name off a
    dossier the office still works on, so a request waits until none is left."""
    return Application.objects.filter(student=student).exclude(state__in=ERASURE_ENDED_STATES)


def has_pending_request(student: User) -> bool:
    return ErasureRequest.objects.filter(student=student, state=ErasureState.PENDING).exists()


def under_way_refusal(states: Iterable[str] = ()) -> str:
    """Why the request waits, given the states of the applications under way: one refused by
    its host reads "refused" to its student, yet the office may still nominate them to
    another of their choices, so the message says it has not ended."""
    if ApplicationState.HOST_REFUSED in set(states):
        return _(
            "You have an application still under way. An application refused by its host has "
            "not ended: the office may still nominate you to another of your choices. Withdraw "
            "it first, or wait until it ends (completed, refused by the office or withdrawn), "
            "then ask again."
        )
    return _(
        "You have an application still under way. Withdraw it first, or wait until it ends "
        "(completed, refused or withdrawn), then ask again."
    )


def erasure_request_submit(*, actor: User, reason: str = "") -> ErasureRequest:
    """The student asks for their personal data to be erased; one pending request at most."""
    if not user_can(actor, Capability.BUILD_OWN_PLAN):
        raise ServiceError(_("Only a student can ask for their own data to be erased."))
    reason = _checked_reason(reason)
    with transaction.atomic():
        # Locks the student's row: two submissions at once (a double click, two tabs) are
        # taken one after the other, and the second sees the first's request.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        if has_pending_request(actor):
            raise ServiceError(_("You have already asked for your data to be erased."))
        states = set(applications_under_way(actor).values_list("state", flat=True))
        if states:
            raise ServiceError(under_way_refusal(states))
        try:
            with transaction.atomic():
                request = ErasureRequest.objects.create(student=actor, reason=reason)
        except IntegrityError:  # the database's constraint, where the lock could not be
            raise ServiceError(_("You have already asked for your data to be erased.")) from None
        _audit(request, actor=actor, from_state="", comment="")
        announce_erasure_requested(request)
    return request


def erasure_request_cancel(*, actor: User, request: ErasureRequest) -> ErasureRequest:
    """The student takes back their pending request."""
    with transaction.atomic():
        locked = _locked(request)
        if locked.student_id != actor.pk:
            raise ServiceError(_("Only the student who asked may cancel this request."))
        _check_pending(locked)
        _move(locked, actor=actor, to_state=ErasureState.CANCELLED)
        announce_erasure_cancelled(locked)
    return locked


def erasure_request_refuse(*, actor: User, request: ErasureRequest, reason: str) -> ErasureRequest:
    """An administrator refuses the request; the student reads the reason (notification and
    e-mail)."""
    _check_handler(actor)
    reason = _checked_reason(reason)
    if not reason:
        raise ServiceError(_("Give the reason for the refusal: the student reads it."))
    with transaction.atomic():
        locked = _locked(request)
        _check_pending(locked)
        transition = _move(locked, actor=actor, to_state=ErasureState.REFUSED, comment=reason)
        announce_erasure_refused(locked, transition)
    return locked


def erasure_request_carry_out(*, actor: User, request: ErasureRequest) -> ErasureRequest:
    """An administrator erases the student's personal data (anonymise_student: the account is
    closed for good); the student is told by e-mail at the address they had before, sent once
    the transaction commits."""
    _check_handler(actor)
    with transaction.atomic():
        locked = _locked(request)
        _check_pending(locked)
        student = User.objects.select_for_update().get(pk=locked.student_id)
        if applications_under_way(student).exists():
            raise ServiceError(
                _(
                    "The student has started an application since asking, and it is still "
                    "under way: refuse the request, saying so, or wait until it ends."
                )
            )
        # Captured before anonymisation overwrites it; an account anonymised already (by the
        # anonymise_dossiers command) has no address left to write to.
        email, language = student.email, student.language
        anonymise_student(student)
        _move(locked, actor=actor, to_state=ErasureState.ERASED)
        if not email.endswith(ANONYMISED_EMAIL_DOMAIN):
            announce_erasure_done(locked, email=email, language=language)
    return locked


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ServiceError(_("The reason is too long."))
    return reason


def _check_handler(actor: User) -> None:
    if not user_can(actor, Capability.HANDLE_ERASURE_REQUESTS):
        raise ServiceError(_("Only an administrator handles erasure requests."))


def _locked(request: ErasureRequest) -> ErasureRequest:
    return ErasureRequest.objects.select_for_update().select_related("student").get(pk=request.pk)


def _check_pending(request: ErasureRequest) -> None:
    """Refuses a request already handled: carried out, refused or cancelled since the person
    acting last saw it (a second click, two administrators at once)."""
    if not request.is_pending:
        raise ServiceError(
            _("This request is %(state)s already: there is nothing left to do.")
            % {"state": request.get_state_display().lower()}
        )


def _move(
    request: ErasureRequest, *, actor: User, to_state: str, comment: str = ""
) -> ErasureTransition:
    from_state = request.state
    request.state = to_state
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_at"])
    return _audit(request, actor=actor, from_state=from_state, comment=comment)


def _audit(
    request: ErasureRequest, *, actor: User, from_state: str, comment: str
) -> ErasureTransition:
    return ErasureTransition.objects.create(
        request=request,
        actor=actor,
        from_state=from_state,
        to_state=request.state,
        comment=comment,
    )
