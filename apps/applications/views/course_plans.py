"""The course plan (learning agreement draft) of one of the student's study activities, and its
earlier versions, read only."""

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility_portal.refusals import report_refusal

from .. import selectors, services
from ..access import own_activity
from ..application_forms import CourseLineForm, CourseLineFormSet, course_line_helper
from ..services import ServiceError
from .applications import student_only
from .plan import activity_removed


@student_only
@activity_removed
def course_plan_edit(request, pk: int):
    activity = own_activity(request.user, pk)
    if not activity.is_study:
        messages.error(request, _("Only study stays have a course plan."))
        return redirect("applications:plan")
    course_plan = selectors.latest_course_plan(activity)
    lines = selectors.course_lines(course_plan)
    if request.method == "POST":
        # No initial data: a submitted line is kept because it is filled in, never dropped as
        # an "unchanged extra form" for matching a saved line (whatever INITIAL_FORMS says).
        formset = CourseLineFormSet(request.POST)
    else:
        formset = CourseLineFormSet(
            initial=[model_to_dict(line, fields=CourseLineForm.Meta.fields) for line in lines]
        )
    if formset.is_bound and formset.is_valid():
        submitted = formset.lines()
        try:
            services.course_plan_replace_lines(
                actor=request.user,
                activity=activity,
                lines=submitted,
                host_seen=request.POST.get("host"),
            )
        except ServiceError as error:
            report_refusal(request, error)
            # Shown again as the course plan now stands (the stay may have moved meanwhile),
            # with the lines the student typed.
            course_plan = selectors.latest_course_plan(activity)
            lines = selectors.course_lines(course_plan)
        else:
            if services.course_plan_unchanged(lines, submitted):
                messages.info(request, _("Nothing changed: the course plan is kept as it was."))
            else:
                messages.success(request, _("Course plan saved."))
            return redirect("applications:course_plan_edit", activity.pk)
    return render(
        request,
        "applications/course_plan_form.html",
        {
            "activity": activity,
            # What the advisor decided on the latest version sent, line by line.
            "decided": course_plan if course_plan and course_plan.status != "draft" else None,
            # Sent, but no application wants the stay now: the advisor's queue leaves it out.
            "waits_for_an_application": selectors.course_plan_waits_for_an_application(course_plan),
            "lines": lines,
            "left_behind": selectors.course_plan_left_behind(activity, course_plan, lines),
            # Versions are numbered from 1 without a gap: a later one means earlier ones.
            "has_earlier_versions": course_plan is not None and course_plan.version > 1,
            "formset": formset,
            "helper": course_line_helper(),
            "total": selectors.course_total(activity, lines),
        },
        # Reaching the page after a POST means the lines were refused: nothing was saved.
        status=400 if formset.is_bound else 200,
    )


@student_only
@require_POST
def course_plan_ask_again(request, pk: int):
    activity = own_activity(request.user, pk)
    try:
        services.course_plan_ask_again(
            actor=request.user, activity=activity, host_seen=request.POST.get("host")
        )
    except ServiceError as error:
        report_refusal(request, error)
    else:
        if selectors.stay_still_wanted(activity):
            messages.success(
                request, _("The rejected courses are put to your study advisor again, as they are.")
            )
        else:  # withdrawn, refused or nominated elsewhere: the advisor's queue leaves it out
            messages.info(
                request,
                _(
                    "The rejected courses are put again as they are, but no application of yours "
                    "wants this stay now: your study advisor sees them once one names it again."
                ),
            )
    return redirect("applications:course_plan_edit", activity.pk)


@student_only
@activity_removed
def course_plan_history(request, pk: int):
    """The versions before the latest, read only: what the student sent, to which host, and
    what the advisor decided on each line."""
    activity = own_activity(request.user, pk)
    if not activity.is_study:
        messages.error(request, _("Only study stays have a course plan."))
        return redirect("applications:plan")
    return render(
        request,
        "applications/course_plan_history.html",
        {
            "activity": activity,
            "versions": selectors.course_plan_versions(activity, earlier_only=True),
            # Through which each version's learning agreement prints, if an application chose
            # the stay.
            "application": selectors.application_choosing(activity.pk),
        },
    )


@student_only
@activity_removed
def course_plan_version(request, pk: int, version: int):
    """One version of the course plan, read only, with its learning agreement."""
    activity = own_activity(request.user, pk)
    found = selectors.course_plan_versions(activity, number=version)
    if not found:
        raise Http404
    return render(
        request,
        "applications/course_plan_version.html",
        {
            "activity": activity,
            "version": found[0],
            "application": selectors.application_choosing(activity.pk),
        },
    )
