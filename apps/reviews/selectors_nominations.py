"""What the "Nominations to partners" pages read: per call, the partners students are
nominated to, each with its students and the last list sent there, in a fixed number of
queries whatever the number of partners."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.applications.models import Application
from apps.programmes.models import Call, Partner
from mobility_portal.search import fold

from .models import NominationNotice
from .services.seats import SEAT_HOLDING_STATES

# The students a partner is told of: nominated there, whatever came of it since (accepted,
# gone there, back): only a nomination that ended (withdrawn, refused by the host, undone)
# takes a student off the list, as the seats count.
NOTIFIED_STATES = SEAT_HOLDING_STATES


def nominated_to_partners(call: Call) -> QuerySet[Application]:
    """The call's applications nominated to a partner (under one of its agreements)."""
    return Application.objects.filter(
        call=call, state__in=NOTIFIED_STATES, nominated_choice__agreement__isnull=False
    )


def default_call() -> Call | None:
    """The current call: the latest one opened by today, else the first one to open."""
    calls = Call.objects.order_by("-academic_year", "-closes_on", "-pk")
    return calls.filter(opens_on__lte=timezone.localdate()).first() or calls.last()


def partners_with_nominations(call: Call, search: str = "") -> QuerySet[Partner]:
    """The partners students of `call` are nominated to, or were sent a list for it (every
    student of the list since gone: the partner is still to be told), by name; `search` finds
    names whatever their accents and case."""
    partners = Partner.objects.filter(
        Q(pk__in=nominated_to_partners(call).values("nominated_choice__agreement__partner"))
        | Q(pk__in=NominationNotice.objects.filter(call=call).values("partner"))
    )
    for word in fold(search).split():
        partners = partners.filter(name__fold__contains=word)
    return partners.order_by("name", "pk")


@dataclass(frozen=True)
class ListStatus:
    """Where a partner's list stands: the students nominated there now and the last list
    sent, with what changed between them."""

    application_ids: list[int]
    last_notice: NominationNotice | None

    @property
    def added_ids(self) -> list[int]:
        sent = set(self.last_notice.application_ids) if self.last_notice else set()
        return sorted(set(self.application_ids) - sent)

    @property
    def removed_ids(self) -> list[int]:
        if self.last_notice is None:
            return []
        return sorted(set(self.last_notice.application_ids) - set(self.application_ids))

    @property
    def changed_since_sent(self) -> bool:
        return self.last_notice is not None and bool(self.added_ids or self.removed_ids)


@dataclass(frozen=True)
class PartnerRow:
    partner: Partner
    status: ListStatus

    @property
    def students(self) -> int:
        return len(self.status.application_ids)


def partner_rows(call: Call, partners: list[Partner]) -> list[PartnerRow]:
    """One row per partner of a page: two queries, whatever their number."""
    ids_by_partner = nominated_ids_by_partner(call, [partner.pk for partner in partners])
    last = last_notices(call, [partner.pk for partner in partners])
    return [
        PartnerRow(
            partner, ListStatus(sorted(ids_by_partner.get(partner.pk, [])), last.get(partner.pk))
        )
        for partner in partners
    ]


def nominated_ids_by_partner(call: Call, partner_ids: list[int]) -> dict[int, list[int]]:
    pairs = (
        nominated_to_partners(call)
        .filter(nominated_choice__agreement__partner__in=partner_ids)
        .values_list("nominated_choice__agreement__partner", "pk")
    )
    grouped: dict[int, list[int]] = defaultdict(list)
    for partner_id, application_id in pairs:
        grouped[partner_id].append(application_id)
    return grouped


def last_notices(call: Call, partner_ids: list[int]) -> dict[int, NominationNotice]:
    """The last list sent to each partner for the call, with who sent it (one query: a
    partner is sent a handful of lists a call)."""
    notices = (
        NominationNotice.objects.filter(call=call, partner__in=partner_ids)
        .select_related("actor")
        .order_by("partner", "-sent_at", "-pk")
    )
    last: dict[int, NominationNotice] = {}
    for notice in notices:
        last.setdefault(notice.partner_id, notice)
    return last


def nominated_ids(call: Call, partner: Partner) -> list[int]:
    """The applications of `call` nominated to `partner`, sorted: one query."""
    return sorted(nominated_ids_by_partner(call, [partner.pk]).get(partner.pk, []))


def list_status(call: Call, partner: Partner) -> ListStatus:
    return ListStatus(
        nominated_ids(call, partner), last_notices(call, [partner.pk]).get(partner.pk)
    )


def students_of(application_ids: list[int]) -> list[Application]:
    """The applications of a list, with what it shows of each student and stay, by name."""
    applications = Application.objects.filter(pk__in=application_ids).select_related(
        "student__student_profile__filiere",
        "nominated_choice__activity",
        "nominated_choice__agreement",
    )
    return sorted(
        applications,
        key=lambda application: (
            fold(application.student.last_name),
            fold(application.student.first_name),
            application.pk,
        ),
    )


def delivery_of(notice: NominationNotice | None) -> str | None:
    """Where the e-mail of `notice` stands in the outbox (a DeliveryStatus), None for none."""
    if notice is None:
        return None
    from apps.notifications.events import (
        NOMINATIONS_TO_PARTNER,
        nominations_to_partner_key_prefix,
    )
    from apps.notifications.models import Notification

    return (
        Notification.objects.filter(
            event=NOMINATIONS_TO_PARTNER.name,
            key__startswith=nominations_to_partner_key_prefix(notice.pk),
        )
        .values_list("status", flat=True)
        .first()
    )


def partner_has_nominations(call: Call, partner: Partner) -> bool:
    return (
        nominated_to_partners(call).filter(nominated_choice__agreement__partner=partner).exists()
        or NominationNotice.objects.filter(call=call, partner=partner).exists()
    )


def partner_told_of(application: Application) -> NominationNotice | None:
    """The last list sent to the partner the application is nominated to, when it names the
    application: that partner believes the student is coming. None when the nomination is
    outside partnerships or no list naming it is the partner's latest."""
    partner_id = (
        Application.objects.filter(pk=application.pk)
        .values_list("nominated_choice__agreement__partner_id", flat=True)
        .first()
    )
    if partner_id is None:
        return None
    latest = last_notices(application.call, [partner_id]).get(partner_id)
    return latest if latest and application.pk in latest.application_ids else None
