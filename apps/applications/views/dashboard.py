"""The student's home: plan status, applications, calls, and the next thing to do."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from apps.programmes.models import academic_year_of
from mobility_portal.page_cache import keep_page

from .. import selectors, services
from ..checking import PlanCheck, plan_result
from ..models import Application, ApplicationState
from ..next_step import ApplicationSummary, DraftSummary, Situation, next_step
from .applications import student_only


@student_only
@require_safe
@keep_page
def student_dashboard(request):
    today = timezone.localdate()
    student = request.user
    profile = selectors.student_profile(student)
    plan = selectors.plan_of(student) if profile else None
    activities = selectors.plan_activities(plan) if plan else []
    check = plan_result(plan, activities) if plan else None
    applications = list(selectors.dashboard_applications(student))
    calls = selectors.call_rows(applications, today)
    situation = Situation(
        has_profile=profile is not None,
        activity_count=len(activities),
        plan_error_count=check.error_count if check else 0,
        draft=_open_draft(applications, today, check),
        open_call_without_application=next(
            (str(row.call) for row in calls if row.is_open and row.application is None), None
        ),
        current=_current_application(applications, today),
        rejected_courses=selectors.rejected_courses(student) if plan else None,
    )
    return render(
        request,
        "applications/dashboard.html",
        {
            "profile": profile,
            "check": check,
            "activity_count": len(activities),
            "applications": applications,
            "calls": calls,
            "step": next_step(situation),
        },
    )


def _open_draft(
    applications: list[Application], today: date, check: PlanCheck | None
) -> DraftSummary | None:
    """The first draft that can still be submitted, with what it lacks."""
    for application in applications:
        if application.state == ApplicationState.DRAFT and application.call.is_open_on(today):
            return DraftSummary(
                pk=application.pk,
                call_name=str(application.call),
                missing=tuple(
                    services.submission_readiness(
                        selectors.with_choices(application), today, check
                    ).problems
                ),
            )
    return None


# Which application the dashboard speaks of, the most pressing first.
FOLLOWED_STATES = (
    ApplicationState.CHANGES_REQUESTED,
    ApplicationState.IN_MOBILITY,
    ApplicationState.ACCEPTED,
    ApplicationState.NOMINATED,
    ApplicationState.RETURNED,
    ApplicationState.UNDER_REVIEW,
    ApplicationState.SUBMITTED,
    ApplicationState.HOST_REFUSED,
)


def _still_followed(application: Application, today: date) -> bool:
    """A host's refusal is followed while the office may still nominate the student elsewhere:
    a choice is left, and the call's academic year has not passed."""
    if application.state != ApplicationState.HOST_REFUSED:
        return True
    return application.has_choice_left and application.call.academic_year >= academic_year_of(today)


def _current_application(applications: list[Application], today: date) -> ApplicationSummary | None:
    for state in FOLLOWED_STATES:
        for application in applications:
            if application.state == state and _still_followed(application, today):
                choice = application.nominated_choice
                return ApplicationSummary(
                    pk=application.pk,
                    call_name=str(application.call),
                    state=str(state),
                    destination=choice.destination if choice else "",
                )
    return None
