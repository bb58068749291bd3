"""Partners with students nominated there, built directly in the database."""

from django.urls import reverse

from apps.applications.models import Application, ApplicationState
from apps.programmes.models import Call, Partner
from apps.reviews.selectors_nominations import list_status
from apps.reviews.services.nominations import SeenList
from tests.factories import AgreementFactory, CallFactory, PartnerFactory
from tests.reviews.allocation.builders import holding_seat

S = ApplicationState


def partner_with_address(**fields) -> Partner:
    return PartnerFactory(nomination_email="incoming@partner.example", **fields)


def nominated(call: Call, partner: Partner, state: str = S.NOMINATED, **student) -> Application:
    """A student of `call` nominated under an exchange agreement of `partner`."""
    agreement = partner.agreements.first() or AgreementFactory(partner=partner)
    application = holding_seat(call, agreement, state=state)
    if student:
        type(application.student).objects.filter(pk=application.student_id).update(**student)
    application.refresh_from_db()
    return application


def seen_now(call: Call, partner: Partner) -> SeenList:
    """What the partner's page shows now."""
    status = list_status(call, partner)
    partner.refresh_from_db()
    return SeenList(
        application_ids=status.application_ids,
        email=partner.nomination_email,
        last_notice_id=status.last_notice.pk if status.last_notice else None,
    )


def seen_post(call: Call, partner: Partner, *, confirmed: bool = True) -> dict[str, str]:
    seen = seen_now(call, partner)
    data = {
        "applications": ",".join(str(pk) for pk in seen.application_ids),
        "email": seen.email,
        "last_notice": str(seen.last_notice_id or ""),
    }
    if confirmed:
        data["confirmed"] = "1"
    return data


def page_url(call: Call, partner: Partner) -> str:
    return reverse("reviews:nominations_partner", args=[call.pk, partner.pk])


def send_url(call: Call, partner: Partner) -> str:
    return reverse("reviews:nominations_send", args=[call.pk, partner.pk])


def csv_url(call: Call, partner: Partner) -> str:
    return reverse("reviews:nominations_csv", args=[call.pk, partner.pk])


def a_call(**fields) -> Call:
    return CallFactory(**fields)
