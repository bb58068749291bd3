"""The DRI's decisions on an application. Each locks the row, checks the workflow, writes the
audit row (applications.workflow.move) and raises ServiceError with a clear reason.

A nomination also takes a seat: it is refused when its agreement has no seat left for the
academic year, or when the student already holds a nomination that year through another
application. The seat counting lives here so that the seat allocation
(`services.allocation`) and a nomination from the dossier page count alike."""

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError
from apps.applications.models import (
    Application,
    ApplicationState,
    Choice,
    DocumentKind,
)
from apps.applications.services import document_store
from apps.applications.workflow import can_move, lock_as_seen, move
from apps.programmes.models import Agreement, Call

from ..models import InternalComment

S = ApplicationState

# A nomination in one of these states holds its agreement's seat for the academic year, and
# its student may hold no other nomination that year.
SEAT_HOLDING_STATES = (S.NOMINATED, S.ACCEPTED, S.IN_MOBILITY, S.RETURNED, S.COMPLETED)


def _ensure_reviewer(actor: User) -> None:
    if not user_can(actor, Capability.REVIEW_APPLICATIONS):
        raise ServiceError(_("Only the international relations office decides on applications."))


def _reviewer_lock(actor: User, application: Application) -> Application:
    _ensure_reviewer(actor)
    return lock_as_seen(application)


# --- seats -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatCount:
    agreement: Agreement
    per_year: int
    taken_earlier: int  # by nominations in calls of the same academic year

    @property
    def available(self) -> int:
        return max(self.per_year - self.taken_earlier, 0)


def seat_counts(
    call: Call, agreement_ids: Collection[int], *, lock: bool = False
) -> dict[int, SeatCount]:
    """Seats per agreement for the call's academic year, by agreement id: two queries.
    `lock` holds the agreements' rows (taken in id order) until the transaction ends, so two
    nominations cannot give the same seat."""
    query = Agreement.objects.select_related("partner").filter(pk__in=agreement_ids)
    if lock:
        query = query.select_for_update(of=("self",)).order_by("pk")
    agreements = sorted(query, key=lambda agreement: agreement.pk)  # locked before counting
    taken = dict(
        Application.objects.filter(
            call__academic_year=call.academic_year,
            state__in=SEAT_HOLDING_STATES,
            nominated_choice__agreement__in=agreement_ids,
        )
        .values_list("nominated_choice__agreement")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        agreement.pk: SeatCount(agreement, agreement.seats_per_year, taken.get(agreement.pk, 0))
        for agreement in agreements
    }


def over_allocation_reason(seats: SeatCount, students: int) -> str:
    return _("%(agreement)s: more students than seats left (%(students)s for %(seats)s).") % {
        "agreement": seats.agreement,
        "students": students,
        "seats": seats.available,
    }


def no_seat_reason(seats: SeatCount, academic_year: int) -> str:
    values = {"agreement": seats.agreement, "year": _year(academic_year)}
    if seats.per_year == 0:
        return _("%(agreement)s has no seat in %(year)s.") % values
    return ngettext(
        "%(agreement)s has no seat left in %(year)s: its %(seats)s seat is taken.",
        "%(agreement)s has no seat left in %(year)s: all its %(seats)s seats are taken.",
        seats.per_year,
    ) % {**values, "seats": seats.per_year}


def _year(academic_year: int) -> str:
    return f"{academic_year}–{academic_year + 1}"


def held_elsewhere(academic_year: int) -> Exists:
    """True for an application whose student holds a seat in `academic_year` through another
    of their applications (for `Application` querysets)."""
    return Exists(
        Application.objects.filter(
            student=OuterRef("student"),
            call__academic_year=academic_year,
            state__in=SEAT_HOLDING_STATES,
        ).exclude(pk=OuterRef("pk"))
    )


def lock_students_year(student_ids: Collection[int], academic_year: int) -> list[Application]:
    """Lock, in id order, every application of the students in `academic_year`, with its
    call: of two nominations of one student that year, the second waits for the first and
    then sees it."""
    return list(
        Application.objects.select_for_update(of=("self",))
        .filter(student__in=student_ids, call__academic_year=academic_year)
        .select_related("call")
        .order_by("pk")
    )


def held_elsewhere_reason(holder: Application) -> str:
    return _(
        "This student is already nominated for this academic year: their application to "
        "%(call)s is %(state)s."
    ) % {"call": holder.call, "state": holder.get_state_display().lower()}


def _nomination_refusals(
    application: Application, seats: SeatCount | None, year: list[Application], call: Call
) -> list[str]:
    """Why the student cannot take the seat: `seats` of the chosen agreement (None outside
    partnerships: no seat limit) and the student's applications of the `year`, both locked."""
    reasons = [
        held_elsewhere_reason(other)
        for other in year
        if other.pk != application.pk and other.state in SEAT_HOLDING_STATES
    ]
    if seats is not None and not seats.available:
        reasons.append(no_seat_reason(seats, call.academic_year))
    return reasons


# --- decisions ---------------------------------------------------------------------------


@transaction.atomic
def application_take_for_review(*, actor: User, application: Application) -> Application:
    application = _reviewer_lock(actor, application)
    move(application, actor=actor, to_state=S.UNDER_REVIEW)
    return application


@transaction.atomic
def application_request_changes(
    *, actor: User, application: Application, message: str
) -> Application:
    if not message.strip():
        raise ServiceError(_("Tell the student what to change."))
    application = _reviewer_lock(actor, application)
    move(application, actor=actor, to_state=S.CHANGES_REQUESTED, comment=message.strip())
    return application


@transaction.atomic
def application_nominate(
    *, actor: User, application: Application, choice: Choice, comment: str = ""
) -> Application:
    """Nominate the student to `choice`, one of the application's choices, if its agreement
    has a seat left for the call's academic year and the student holds no other nomination
    that year. Locks the agreement, then the student's applications of the year, in the
    order the seat allocation's confirmation takes them."""
    _ensure_reviewer(actor)
    if choice.application_id != application.pk:
        raise ServiceError(_("This destination is not one of the application's choices."))
    call = application.call
    seats = None
    if choice.agreement_id is not None:
        seats = seat_counts(call, [choice.agreement_id], lock=True)[choice.agreement_id]
    year = lock_students_year([application.student_id], call.academic_year)
    application = lock_as_seen(application)
    if can_move(application, S.NOMINATED):  # otherwise move() below says why not
        reasons = _nomination_refusals(application, seats, year, call)
        if reasons:
            raise ServiceError(*reasons)
    application.nominated_choice = choice
    move(
        application,
        actor=actor,
        to_state=S.NOMINATED,
        comment=comment or str(choice.destination),
        update_fields=("nominated_choice",),
    )
    return application


@transaction.atomic
def application_refuse(*, actor: User, application: Application, reason: str) -> Application:
    if not reason.strip():
        raise ServiceError(_("Give the reason for the refusal."))
    application = _reviewer_lock(actor, application)
    move(application, actor=actor, to_state=S.REFUSED, comment=reason.strip())
    return application


@transaction.atomic
def application_record_host_decision(
    *, actor: User, application: Application, accepted: bool, letter, comment: str = ""
) -> Application:
    """The host's answer, with its letter kept among the dossier's documents."""
    application = _reviewer_lock(actor, application)
    move(
        application,
        actor=actor,
        to_state=S.ACCEPTED if accepted else S.HOST_REFUSED,
        comment=comment,
    )
    document_store(
        application=application, kind=DocumentKind.HOST_LETTER, upload=letter, actor=actor
    )
    return application


@transaction.atomic
def application_mark_departed(*, actor: User, application: Application) -> Application:
    application = _reviewer_lock(actor, application)
    move(application, actor=actor, to_state=S.IN_MOBILITY)
    return application


@transaction.atomic
def application_mark_returned(*, actor: User, application: Application) -> Application:
    application = _reviewer_lock(actor, application)
    move(application, actor=actor, to_state=S.RETURNED)
    return application


@transaction.atomic
def application_set_ranking_score(*, actor: User, application: Application, score) -> Application:
    application = _reviewer_lock(actor, application)
    application.ranking_score = score
    application.save(update_fields=["ranking_score"])
    return application


def internal_comment_add(*, actor: User, application: Application, text: str) -> InternalComment:
    if not user_can(actor, Capability.REVIEW_APPLICATIONS):
        raise ServiceError(_("Only the international relations office writes internal comments."))
    if not text.strip():
        raise ServiceError(_("The comment is empty."))
    return InternalComment.objects.create(application=application, author=actor, text=text.strip())
