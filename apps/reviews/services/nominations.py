"""Sending a partner the list of the students nominated there for a call: an audit row
(NominationNotice) and the e-mail, queued through the notifications outbox in the same
transaction, so neither exists without the other."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError
from apps.notifications.events import NOMINATIONS_TO_PARTNER, announce_nominations_to_partner
from apps.notifications.rendering import Message, subject_line
from apps.programmes.models import Call, Partner

from ..models import NominationNotice
from ..selectors_nominations import ListStatus, list_status

FRENCH = "fr"
ENGLISH = "en"


def notice_language(partner: Partner) -> str:
    """French for a partner that teaches in French (Québec, Wallonia, Romandy, France...),
    English for every other: its incoming office then reads the language of its own
    courses. The country alone would send French to Toronto or Leuven."""
    if any(language.code == FRENCH for language in partner.languages.all()):
        return FRENCH
    return ENGLISH


@dataclass(frozen=True)
class SeenList:
    """What the page showed when the DRI chose to send: the students listed, the address,
    and the last list sent then (None: none yet)."""

    application_ids: list[int]
    email: str
    last_notice_id: int | None


def nomination_notice_send(
    *, actor: User, call: Call, partner: Partner, seen: SeenList
) -> NominationNotice:
    """Send `partner` the full list of the students of `call` nominated there, as the page
    showed it. Refused when the list, the address or the last list sent changed since the
    page was read: a second click, a second tab, or a nomination in between."""
    if not user_can(actor, Capability.REVIEW_APPLICATIONS):
        raise ServiceError(_("Only the international relations office sends nominations."))
    with transaction.atomic():
        # One sender at a time per partner: the second waits, then finds the first's list.
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        status = list_status(call, partner)
        last = status.last_notice
        if (last.pk if last else None) != seen.last_notice_id:
            raise ServiceError(
                _(
                    "A list was sent to this partner since you opened the page: nothing was "
                    "sent again. Check the page as it is now."
                )
            )
        if not partner.nomination_email:
            raise ServiceError(
                _("This partner has no e-mail for nominations: add one in the admin.")
            )
        if partner.nomination_email != seen.email:
            raise ServiceError(
                _(
                    "The partner's e-mail for nominations changed since you opened the page: "
                    "nothing was sent. Check the address and send again."
                )
            )
        if sorted(seen.application_ids) != status.application_ids:
            raise ServiceError(
                _(
                    "The students nominated to this partner changed since you opened the page: "
                    "nothing was sent. Check the list and send again."
                )
            )
        if not status.application_ids and not status.removed_ids:
            raise ServiceError(_("No student is nominated to this partner for this call."))
        notice = notice_to_send(actor=actor, call=call, partner=partner, status=status)
        notice.save()
        announce_nominations_to_partner(notice)
    return notice


def notice_message(notice: NominationNotice) -> Message:
    """The e-mail a notice sends, rendered as delivery renders it: the page's preview of a
    notice not saved yet (`notice.students` read from its ids)."""
    with translation.override(notice.language):
        objects = {"call": notice.call, "nomination_notice": notice}
        subject = subject_line(NOMINATIONS_TO_PARTNER, objects)
        context = {
            **objects,
            "subject": subject,
            "url": settings.SITE_URL,
            "LANGUAGE_CODE": notice.language,
        }
        text = render_to_string(f"emails/{NOMINATIONS_TO_PARTNER.template}.txt", context)
        html = render_to_string(f"emails/{NOMINATIONS_TO_PARTNER.template}.html", context)
    return Message(subject=subject, text=text, html=html)


def notice_to_send(
    *, actor: User, call: Call, partner: Partner, status: ListStatus
) -> NominationNotice:
    """The notice sending now would write, unsaved: for the page's preview."""
    last = status.last_notice
    return NominationNotice(
        call=call,
        partner=partner,
        actor=actor,
        email=partner.nomination_email,
        language=notice_language(partner),
        application_ids=status.application_ids,
        added_ids=status.added_ids if last else [],
        removed_ids=status.removed_ids,
        previous=last,
    )
