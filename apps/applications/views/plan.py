"""The student's mobility plan: activities, live regulation check, timeline."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from mobility_portal.page_cache import keep_page
from mobility_portal.parsing import whole_number
from mobility_portal.refusals import refuse_form, report_refusal

from .. import services
from ..access import own_activity
from ..checking import plan_result
from ..errors import DuplicateActivity
from ..forms import ActivityForm, StudentFactsForm
from ..selectors import (
    in_plan_order,
    plan_activities,
    published_regulation,
    stays_that_did_not_happen,
)
from ..services import ServiceError
from ..timeline import build_timeline
from .removed import remember_removed, removed_leads_back

student_only = capability_required(Capability.BUILD_OWN_PLAN)
# Back to the pages of an activity the student just removed: their plan, not a 404.
activity_removed = removed_leads_back("activity", lambda: _("This activity has been removed."))


def _student_plan(request):
    """The signed-in student's plan, or None after telling them why there is none."""
    try:
        return services.plan_for_student(request.user)
    except ServiceError as error:
        report_refusal(request, error)
        return None


def _timeline(plan, activities, check):
    return build_timeline(
        activities, check, plan.student.student_profile.year, timezone.localdate()
    )


@student_only
def plan_editor(request):
    plan = _student_plan(request)
    if plan is None:
        return redirect("home")
    activities = plan_activities(plan)
    check = plan_result(plan, activities)
    return render(
        request,
        "applications/plan.html",
        {
            "plan": plan,
            "activities": activities,
            "did_not_happen": stays_that_did_not_happen(
                request.user, activities, timezone.localdate()
            ),
            "check": check,
            "published": published_regulation(plan.regulation),
            "timeline": _timeline(plan, activities, check),
            "facts_form": StudentFactsForm(instance=plan),
            # Below each error, what the student can change to clear it.
            "show_advice": True,
        },
    )


@student_only
@require_POST
def plan_facts(request):
    plan = _student_plan(request)
    if plan is None:
        return redirect("home")
    form = StudentFactsForm(request.POST, instance=plan)
    if form.is_valid():
        services.plan_update_student_facts(actor=request.user, plan=plan, **form.cleaned_data)
        messages.success(request, _("Your situation is saved and the plan checked again."))
    return redirect("applications:plan")


@student_only
def plan_timeline_svg(request):
    plan = _student_plan(request)
    if plan is None:
        return redirect("home")
    activities = plan_activities(plan)
    timeline = _timeline(plan, activities, plan_result(plan, activities))
    svg = render_to_string(
        "applications/includes/timeline.svg", {"timeline": timeline, "standalone": True}, request
    )
    return HttpResponse(svg, content_type="image/svg+xml")


def _activity_form_page(request, plan, form, activity=None, received=()):
    return render(
        request,
        "applications/plan_activity_form.html",
        {"plan": plan, "form": form, "activity": activity, "received": received},
        status=400 if form.is_bound and form.errors else 200,
    )


@student_only
def activity_add(request):
    plan = _student_plan(request)
    if plan is None:
        return redirect("home")
    form = ActivityForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(actor=request.user, plan=plan, fields=form.cleaned_data)
        except DuplicateActivity as duplicate:  # the first click added it
            messages.info(request, duplicate.reasons[0])
        else:
            messages.success(request, _("Activity added; the plan is checked below."))
        return redirect("applications:plan")
    return _activity_form_page(request, plan, form)


@student_only
@activity_removed
def activity_edit(request, pk: int):
    activity = own_activity(request.user, pk)
    frozen = services.mobility_over_reasons(activity)
    if frozen:
        for reason in frozen:
            messages.info(request, reason)
        return redirect("applications:plan")
    plan = activity.plan
    # The same applications for which the delete page refuses to remove the stay.
    received = services.applications_received_naming(activity)
    form = ActivityForm(request.POST or None, instance=activity, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.activity_update(
                actor=request.user, activity=activity, fields=form.cleaned_data
            )
        except ServiceError as error:
            refuse_form(form, error)
        else:
            # Saved as it was stored: no change for the office to be shown.
            changed = any(
                getattr(form.stored, name) != getattr(saved, name)
                for name in services.ACTIVITY_FIELDS
            )
            messages.success(request, _saved_message(received if changed else []))
            return redirect("applications:plan")
    return _activity_form_page(request, plan, form, activity, received)


def _saved_message(received) -> str:
    """What the student is told after saving a stay: where it is part of applications the
    office has received, that the office is shown the change in them."""
    if not received:
        return _("Activity saved; the plan is checked below.")
    return ngettext(
        "Activity saved; the plan is checked below. It is part of your application to "
        "%(calls)s: the international relations office is shown the change in it.",
        "Activity saved; the plan is checked below. It is part of your applications to "
        "%(calls)s: the international relations office is shown the change in them.",
        len(received),
    ) % {"calls": ", ".join(str(application.call) for application in received)}


@student_only
@activity_removed
def activity_delete(request, pk: int):
    activity = own_activity(request.user, pk)
    if request.method == "POST":
        try:
            services.activity_delete(actor=request.user, activity=activity)
        except ServiceError as error:
            report_refusal(request, error)
        else:
            remember_removed(request, "activity", pk, reverse("applications:plan"))
            messages.success(request, _("Activity removed."))
        return redirect("applications:plan")
    return render(
        request,
        "applications/plan_activity_delete.html",
        {"activity": activity, "removal": services.activity_removal(activity)},
    )


@student_only
@require_POST
@keep_page(post_is_read=True)
def plan_live_check(request):
    """The findings the plan would have with the activity being edited, without saving it."""
    plan = _student_plan(request)
    if plan is None:
        return HttpResponse(status=409)
    editing = whole_number(request.POST.get("activity_id", ""))
    instance = own_activity(request.user, editing) if editing is not None else None
    form = ActivityForm(request.POST, instance=instance, plan=plan)
    # Inside the page's polite live region, which announces the whole answer: a finding marked
    # role="alert" would interrupt the student at each keystroke that changes it.
    context = {
        "form": form,
        "check": None,
        "draft_id": None,
        "in_live_region": True,
        "show_advice": True,
    }
    if form.is_valid():
        draft = form.draft_activity()
        others = [a for a in plan_activities(plan) if instance is None or a.pk != instance.pk]
        check = plan_result(plan, in_plan_order([*others, draft]))
        context.update(
            check=check, draft_id=draft.engine_id, others={a.engine_id: a for a in others}
        )
    return render(request, "applications/includes/plan_live_check.html", context)
