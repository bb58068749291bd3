"""Applications waiting for a seat, and seats already held, built directly in the database."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from apps.applications.models import Application, ApplicationState
from apps.programmes.models import Agreement, Call
from apps.reviews.allocation import Applicant, ChoiceRef
from apps.reviews.services.allocation import application_version, with_last_transition
from tests.applications.factories import (
    ActivityFactory,
    ApplicationFactory,
    ChoiceFactory,
    plan_for,
)

S = ApplicationState
START = timezone.make_aware(datetime(2027, 1, 10, 9, 0))


def waiting(
    call: Call,
    agreements: Sequence[Agreement | None],
    *,
    score: str | None = None,
    minute: int = 0,
    state: str = S.SUBMITTED,
    **fields,
) -> Application:
    """An application of `call` in `state`, submitted `minute` minutes after START, with one
    choice per agreement in that order (None: a host outside partnerships)."""
    application = ApplicationFactory(
        call=call,
        state=state,
        ranking_score=None if score is None else Decimal(score),
        submitted_at=START + timedelta(minutes=minute),
        **fields,
    )
    plan = plan_for(application.student)
    for rank, agreement in enumerate(agreements, start=1):
        ChoiceFactory(
            application=application,
            rank=rank,
            agreement=agreement,
            activity=ActivityFactory(plan=plan),
        )
    return application


def holding_seat(call: Call, agreement: Agreement, state: str = S.NOMINATED) -> Application:
    """An application of `call` nominated to `agreement` earlier, now in `state`."""
    application = waiting(call, [agreement])
    Application.objects.filter(pk=application.pk).update(
        state=state, nominated_choice=application.choices.get()
    )
    return application


def applicant(
    applicant_id: int,
    agreements: Sequence[int | None],
    *,
    score: str | None = None,
    minute: int | None = 0,
) -> Applicant:
    """An applicant of the pure algorithm; choice ids are applicant id × 10 + rank."""
    return Applicant(
        id=applicant_id,
        score=None if score is None else Decimal(score),
        submitted_at=None if minute is None else START + timedelta(minutes=minute),
        choices=tuple(
            ChoiceRef(choice_id=applicant_id * 10 + rank, agreement_id=agreement)
            for rank, agreement in enumerate(agreements, start=1)
        ),
    )


def decisions_post(application_choices: dict[Application, object]) -> dict[str, str]:
    """POST data of the allocation form: application -> Choice, or None for unplaced."""
    return {
        f"decision-{application.pk}": str(choice.pk) if choice else "unplaced"
        for application, choice in application_choices.items()
    }


def versions(application_ids: Iterable[int]) -> dict[int, str]:
    """What a page shown now carries of each application (`seen` of the confirmation)."""
    applications = with_last_transition(Application.objects.filter(pk__in=list(application_ids)))
    return {application.pk: application_version(application) for application in applications}


def seen_post(applications: Iterable[Application]) -> dict[str, str]:
    """POST data of the review page: what it showed of each application, shown now."""
    return {f"seen-{pk}": version for pk, version in versions(a.pk for a in applications).items()}


def detail_url(call: Call) -> str:
    return reverse("reviews:allocation_detail", args=[call.pk])


def review_url(call: Call) -> str:
    return reverse("reviews:allocation_review", args=[call.pk])


def confirm_url(call: Call) -> str:
    return reverse("reviews:allocation_confirm", args=[call.pk])


def scores_url(call: Call) -> str:
    return reverse("reviews:allocation_scores_import", args=[call.pk])
