"""Seats: how many each agreement has left in an academic year, and who already holds one.
The seat allocation (`services.allocation`) and a nomination from the dossier page
(`services.decisions`) count alike through this module."""

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.applications.models import Application, ApplicationState
from apps.programmes.models import Agreement, Call, academic_year_label
from mobility_portal.numbers import grouped

S = ApplicationState

# A nomination in one of these states holds its agreement's seat for the academic year, and
# its student may hold no other nomination that year.
SEAT_HOLDING_STATES = (S.NOMINATED, S.ACCEPTED, S.IN_MOBILITY, S.RETURNED, S.COMPLETED)


@dataclass(frozen=True)
class SeatCount:
    agreement: Agreement
    per_year: int  # none when the agreement is not in force that year
    taken_earlier: int  # by nominations in calls of the same academic year
    in_force: bool = True

    @property
    def available(self) -> int:
        return max(self.per_year - self.taken_earlier, 0)


def seat_counts(
    call: Call, agreement_ids: Collection[int], *, lock: bool = False
) -> dict[int, SeatCount]:
    """Seats per agreement for the call's academic year, by agreement id: two queries.
    `lock` holds the agreements' rows (taken in id order) until the transaction ends, so two
    nominations cannot give the same seat."""
    query = Agreement.objects.select_related("partner").filter(pk__in=agreement_ids).order_by("pk")
    if lock:
        query = query.select_for_update(of=("self",))
    agreements = list(query)  # locked before counting
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
    return {agreement.pk: _count(agreement, call, taken) for agreement in agreements}


def _count(agreement: Agreement, call: Call, taken: dict[int, int]) -> SeatCount:
    in_force = agreement.in_force_in(call.academic_year)
    return SeatCount(
        agreement,
        agreement.seats_per_year if in_force else 0,
        taken.get(agreement.pk, 0),
        in_force=in_force,
    )


def over_allocation_reason(seats: SeatCount, students: int) -> str:
    return _("%(agreement)s: more students than seats left (%(students)s for %(seats)s).") % {
        "agreement": seats.agreement,
        "students": grouped(students),
        "seats": grouped(seats.available),
    }


def no_seat_reason(seats: SeatCount, academic_year: int) -> str:
    values = {"agreement": seats.agreement, "year": academic_year_label(academic_year)}
    if not seats.in_force:
        return _("%(agreement)s is not in force in %(year)s (%(years)s).") % {
            **values,
            "years": seats.agreement.years_display,
        }
    if seats.per_year == 0:
        return _("%(agreement)s has no seat in %(year)s.") % values
    return ngettext(
        "%(agreement)s has no seat left in %(year)s: its %(seats)s seat is taken.",
        "%(agreement)s has no seat left in %(year)s: all its %(seats)s seats are taken.",
        seats.per_year,
    ) % {**values, "seats": grouped(seats.per_year)}


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
        # The plan frozen at submission and the motivation are not read here: a seat
        # allocation's confirmation locks a thousand applications at once.
        .defer("snapshot", "motivation")
        .order_by("pk")
    )


def held_elsewhere_reason(holder: Application) -> str:
    return _(
        "This student is already nominated for this academic year: their application to "
        "%(call)s is %(state)s."
    ) % {"call": holder.call, "state": holder.get_state_display().lower()}
