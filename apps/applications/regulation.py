"""Which regulation version a stored plan is checked under.

A plan follows the current version while its student has nothing under review or under way
(no application, or only drafts, withdrawn or refused ones); a plan with an application
submitted keeps the version it was submitted under, until nothing is under way any more.
"""

from django.db.models import Exists, OuterRef, QuerySet

from apps.rules.published import current_regulations

from .models import Application, ApplicationState, MobilityPlan

S = ApplicationState
# Applications in these states leave the plan free to follow the current version.
FOLLOWING_STATES = (S.DRAFT, S.WITHDRAWN, S.REFUSED)


def plans_following_current() -> QuerySet[MobilityPlan]:
    """The plans whose students have no application in any other state."""
    held = Application.objects.filter(student=OuterRef("student")).exclude(
        state__in=FOLLOWING_STATES
    )
    return MobilityPlan.objects.filter(~Exists(held))


def plan_follow_current_regulation(student_id: int) -> None:
    """After the student's last application under way ended (withdrawn, refused): their plan
    follows the current version again, with its verdict checked anew."""
    from .services import plan_recheck  # the services import the workflow, which calls this

    # The plan's row first, whatever it holds: a publication at the same moment (which holds
    # every plan's row) is then either committed and read below, or waits for this move.
    locked = list(MobilityPlan.objects.select_for_update().filter(student_id=student_id))
    current = current_regulations(fresh=True).current  # never an older one a cache kept
    plans = plans_following_current().filter(pk__in=[plan.pk for plan in locked])
    for plan in plans.exclude(regulation=current):
        plan.regulation = current
        plan.save(update_fields=["regulation", "updated_at"])
        plan_recheck(plan)
