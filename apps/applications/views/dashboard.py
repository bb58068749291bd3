"""The student's home: plan status, applications, calls, and the next thing to do."""

from datetime import date, datetime

from django.shortcuts import render
from django.utils import timezone
from django.utils.text import get_text_list
from django.views.decorators.http import require_safe

from mobility_portal.page_cache import keep_page

from .. import selectors, services
from ..checking import PlanCheck, plan_result
from ..models import Activity, Application, ApplicationState
from ..next_step import ApplicationSummary, DraftSummary, Situation, StayNotTaken, next_step
from ..privacy import ERASURE_ENDED_STATES
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
    calls = selectors.call_rows(
        applications, today, years_with_a_stay=selectors.study_years(activities)
    )
    situation = Situation(
        has_profile=profile is not None,
        activity_count=len(activities),
        plan_error_count=check.error_count if check else 0,
        draft=_open_draft(applications, today, check),
        open_call_without_application=next((str(row.call) for row in calls if row.can_apply), None),
        current=_current_application(applications, today),
        rejected_courses=selectors.rejected_courses(student) if plan else None,
        stay_not_taken=_stay_not_taken(student, activities, applications, today),
        erasure_asked_at=_erasure_asked_at(student, applications),
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


def _erasure_asked_at(student, applications: list[Application]) -> datetime | None:
    """When the student asked for their data to be erased, while the request waits; asked
    only when none of their applications is under way (a request is refused while one is,
    and none can be started while it waits: no query for most students)."""
    if any(application.state not in ERASURE_ENDED_STATES for application in applications):
        return None
    return selectors.pending_erasure_asked_at(student)


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


def _stay_not_taken(
    student, activities: list[Activity], applications: list[Application], today: date
) -> StayNotTaken | None:
    """The first such stay of the plan, in its order; asked only when an application of the
    student has ended (most have none: no query for them)."""
    if all(selectors.still_followed(application, today) for application in applications):
        return None
    ended = selectors.stays_that_did_not_happen(student, activities, today)
    for activity in selectors.in_plan_order(activities):
        if activity.pk in ended:
            application = ended[activity.pk]
            return StayNotTaken(
                host=_host_applied_for(activity, application.hosts_applied_for),
                call_name=str(application.call),
                state_label=str(application.get_state_display()).lower(),
                why={
                    ApplicationState.HOST_REFUSED: "host_refused",
                    ApplicationState.DRAFT: "not_submitted",
                }.get(application.state, "ended"),
            )
    return None


def _host_applied_for(activity: Activity, hosts: list[selectors.HostAppliedFor]) -> str:
    """The stay's host if the application chose it, else the hosts it chose: the student may
    have moved the stay since, to a host the application never named."""
    if not hosts or any(host.key == activity.host_key for host in hosts):
        return activity.host_display
    return str(get_text_list([host.name for host in hosts]))  # "A, B or C"


def _current_application(applications: list[Application], today: date) -> ApplicationSummary | None:
    for state in FOLLOWED_STATES:
        for application in applications:
            if application.state == state and selectors.still_followed(application, today):
                choice = application.nominated_choice
                return ApplicationSummary(
                    pk=application.pk,
                    call_name=str(application.call),
                    state=str(state),
                    destination=choice.destination if choice else "",
                )
    return None
