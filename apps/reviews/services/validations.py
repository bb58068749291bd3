"""Validation of summer stays and internships abroad by the DFI and the DRI: the student asks,
each body decides; the latest decision of each body sets the activity's flag, and the plan is
checked again (a summer stay counts toward the FAE once both bodies validated it)."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Capability, Role, user_can
from apps.applications.errors import ServiceError
from apps.applications.models import Activity, ActivityValidation, ValidationBody
from apps.applications.services import lock_plan, plan_recheck
from apps.notifications.events import announce_activity_validated, announce_validation_requested
from mobility_portal.dates import long_date

from ..selectors_advisor import APPROVAL_FLAG, awaiting_bodies, fully_validated, needs_validation

BODY_OF_ROLE = {Role.DFI: ValidationBody.DFI, Role.DRI: ValidationBody.DRI}


def _locked_activity(activity: Activity) -> Activity:
    """The activity's row, locked after its plan's (the one order of row locks)."""
    plan = lock_plan(activity.plan_id)
    locked = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    locked.plan = plan
    return locked


@transaction.atomic
def activity_request_validation(*, actor: User, activity: Activity) -> Activity:
    """Put a summer stay or an internship abroad before the DFI and the DRI (again, once the
    bodies that had not validated it have all answered)."""
    activity = _locked_activity(activity)
    if activity.plan.student_id != actor.pk:
        raise ServiceError(_("Only the student asks for the validation of their own activity."))
    if not needs_validation(activity):
        raise ServiceError(
            _("Only summer stays and internships abroad are validated by the DFI and the DRI.")
        )
    if fully_validated(activity):
        raise ServiceError(_("This activity is already validated by the DFI and the DRI."))
    awaiting = awaiting_bodies(activity, activity.validations.all())
    if awaiting:
        raise ServiceError(
            _("Your request of %(date)s is still awaiting the decision of: %(bodies)s.")
            % {
                "date": long_date(activity.validation_requested_at),
                "bodies": get_text_list(
                    [str(ValidationBody(body).label) for body in awaiting], _("and")
                ),
            }
        )
    activity.validation_requested_at = timezone.now()
    activity.save(update_fields=["validation_requested_at"])
    announce_validation_requested(activity, awaiting_bodies(activity, activity.validations.all()))
    return activity


def validation_body(actor: User, chosen: str | None = None) -> str:
    """The body `actor` decides for: their own as DFI or DRI staff; an administrator chooses."""
    own = BODY_OF_ROLE.get(actor.role)
    if own is not None:
        if chosen and chosen != own:
            raise ServiceError(
                _("You decide for the %(body)s only.") % {"body": ValidationBody(own).label}
            )
        return own
    if chosen not in ValidationBody.values:
        raise ServiceError(_("Choose the body you decide for."))
    return chosen


def request_stamp(activity: Activity) -> str:
    """Which request of the student a page shows: a new request (after the stay changed, or
    a refusal) has another."""
    requested = activity.validation_requested_at
    return requested.isoformat() if requested else ""


# Passed as `seen_decision` by callers that show no page (commands, tests): no staleness check.
UNSEEN = -1


@transaction.atomic
def activity_validate(
    *,
    actor: User,
    activity: Activity,
    approved: bool,
    comment: str,
    body: str | None = None,
    seen_decision: int | None = UNSEEN,
    seen_request: str = "",
) -> ActivityValidation:
    """Record a body's decision (an audit row), set its flag and check the plan again.
    `seen_decision` is the latest decision the page showed (None: none): a decision taken
    since (the same decision sent twice, or a colleague's in another tab) refuses this one,
    which would otherwise repeat it or silently reverse it. `seen_request` is the request the
    page showed (`request_stamp`; empty: no check): a request made since, for a stay the
    student may have changed meanwhile, refuses it too."""
    if not user_can(actor, Capability.VALIDATE_SUMMER_PROJECTS):
        raise ServiceError(
            _("Only the DFI and the DRI validate summer stays and internships abroad.")
        )
    body = validation_body(actor, body)
    activity = _locked_activity(activity)
    if not needs_validation(activity):
        raise ServiceError(_("Only summer stays and internships abroad are validated here."))
    if activity.validation_requested_at is None:
        raise ServiceError(_("The student has not asked for this validation."))
    if seen_request and seen_request != request_stamp(activity):
        raise ServiceError(
            _(
                "The student asked again since you opened the page, and may have changed the "
                "stay: read it below, then decide."
            )
        )
    if seen_decision != UNSEEN:
        latest = activity.validations.order_by("-pk").values_list("pk", flat=True).first()
        if latest != seen_decision:
            raise ServiceError(
                _(
                    "A decision was recorded on this activity since you opened the page: read "
                    "it below, and decide again only if you still wish to."
                )
            )
    comment = comment.strip()
    if not approved and not comment:
        raise ServiceError(_("Give the reason for the refusal: the student reads it."))
    validation = ActivityValidation.objects.create(
        activity=activity, body=body, approved=approved, comment=comment, decided_by=actor
    )
    setattr(activity, APPROVAL_FLAG[body], approved)
    activity.save(update_fields=[APPROVAL_FLAG[body]])
    plan_recheck(activity.plan)
    announce_activity_validated(validation.pk, activity, body=body)
    return validation
