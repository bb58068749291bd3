"""The student's applications: start, choose and motivate, submit, withdraw; the dossier page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from apps.programmes.models import Call
from mobility_portal.refusals import refuse_form, report_refusal

from .. import selectors, services
from ..access import application_for
from ..application_forms import ApplicationForm, DocumentUploadForm, SubmitForm, WithdrawForm
from ..errors import AlreadyApplied, NoStayForCall
from ..models import Application, ApplicationState, Transition
from ..services import ServiceError
from ..workflow import SEAT_GIVEN_UP_BY_WITHDRAWAL

student_only = capability_required(Capability.BUILD_OWN_PLAN)


def _state_words(application: Application) -> dict[str, str]:
    return {"state": application.get_state_display().lower()}


@student_only
def application_list(request):
    applications = list(selectors.own_applications(request.user))
    return render(
        request,
        "applications/application_list.html",
        {
            "applications": applications,
            "calls": selectors.call_rows(
                applications,
                timezone.localdate(),
                years_with_a_stay=selectors.study_years_of(request.user),
            ),
        },
    )


@student_only
@require_POST
def application_start(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    try:
        application = services.application_start(actor=request.user, call=call)
    except AlreadyApplied as error:
        # Back to the calls, then Apply again: the application exists, open it.
        messages.info(request, _("You already have an application for this call: here it is."))
        return redirect("applications:application_detail", error.application.pk)
    except NoStayForCall as error:
        # Nothing written: the reason, and the plan where the stay is added.
        plan_link = format_html(
            '<a class="alert-link" href="{}">{}</a>',
            reverse("applications:plan"),
            _("Open my plan"),
        )
        messages.warning(request, format_html("{} {}", error.reasons[0], plan_link))
        return redirect("applications:application_list")
    except ServiceError as error:
        report_refusal(request, error)
        return redirect("applications:application_list")
    messages.success(
        request, _("Your application is started: choose your destinations and tell us why.")
    )
    return redirect("applications:application_edit", application.pk)


def application_detail(request, pk: int):
    return render_application_page(request, application_for(request.user, pk))


def _changes_asked(application: Application) -> Transition | None:
    """The office's request, while the application waits for the changes it asks for (from
    the history the page prefetched)."""
    if application.state != ApplicationState.CHANGES_REQUESTED:
        return None
    requests = [
        transition for transition in application.history.all() if transition.asks_for_changes
    ]
    return requests[-1] if requests else None


def _submit_form(application: Application, data=None) -> SubmitForm:
    """An application sent back for changes is submitted with a word on what changed."""
    return SubmitForm(data, resubmission=application.state == ApplicationState.CHANGES_REQUESTED)


def render_application_page(
    request, application: Application, upload_form=None, submit_form=None, status=200
):
    """The dossier page; the upload and submit views re-render it with their bound form on a
    refusal."""
    selectors.load_application_page(application)
    is_owner = application.student_id == request.user.pk
    editable = application.state in services.EDITABLE_STATES
    required = services.required_documents(application)
    reusable = (
        selectors.reusable_documents(application, selectors.missing_kinds(application, required))
        if is_owner and editable
        else {}
    )
    documents = selectors.document_rows(application, required, reusable)
    context = {
        "application": application,
        "is_owner": is_owner,
        "is_draft": editable,
        "can_change": is_owner and editable,
        "can_withdraw": is_owner and application.state in services.WITHDRAWABLE_STATES,
        "documents": documents,
        # Several offers: one button takes them all (document_reuse_all).
        "reusable_count": len(reusable),
        "course_totals": selectors.course_totals(
            selectors.chosen_study_activities(application), by_student=is_owner
        ),
        "upload_form": upload_form
        or DocumentUploadForm(initial={"kind": _first_missing(documents)}),
        "submit_form": submit_form or _submit_form(application),
        "missing": [],
        "still_to_complete": [],
        "plan_has_errors": False,
        "snapshot": selectors.snapshot_result(application.snapshot),
        "changes_asked": _changes_asked(application),
        # An EWP mobility starts with a nomination: only that stay is exported.
        "nominated_activity_id": selectors.nominated_activity_id(application),
        # Re-rendered after a refused upload (a POST-only address): where the page lives.
        "page_path": reverse("applications:application_detail", args=[application.pk]),
    }
    if editable:
        readiness = services.submission_readiness(application, timezone.localdate())
        context["missing"] = readiness.problems
        context["still_to_complete"] = readiness.still_to_complete
        context["plan_has_errors"] = readiness.plan_has_errors
    return render(request, "applications/application_detail.html", context, status=status)


def _first_missing(documents: list[selectors.DocumentRow]) -> str | None:
    return next((row.kind for row in documents if row.document is None), None)


@student_only
def application_edit(request, pk: int):
    application = application_for(request.user, pk, change=True)
    if application.state not in services.EDITABLE_STATES:
        messages.error(
            request,
            _("This application is %(state)s: it can no longer be changed.")
            % _state_words(application),
        )
        return redirect("applications:application_detail", application.pk)
    plan = application.student.mobility_plan
    form = ApplicationForm(
        request.POST or None,
        application=application,
        activities=selectors.study_activities(plan, academic_year=application.call.academic_year),
        agreements=selectors.agreements_in_force(application.call.academic_year),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                actor=request.user,
                application=application,
                motivation=form.cleaned_data["motivation"],
                choices=form.choice_inputs(),
            )
        except ServiceError as error:
            refuse_form(form, error)
        else:
            messages.success(request, _("Your application is saved."))
            return redirect("applications:application_detail", application.pk)
    return render(
        request,
        "applications/application_form.html",
        {"application": application, "form": form},
        status=400 if form.errors else 200,
    )


@student_only
@require_POST
def application_submit(request, pk: int):
    application = application_for(request.user, pk, change=True)
    form = _submit_form(application, request.POST)
    if not form.is_valid():  # its errors are shown by its field, in the Submission section
        _report_not_submitted(request, application, reasons=[], errors_shown=True)
        return render_application_page(request, application, submit_form=form, status=400)
    message = form.cleaned_data.get("message", "")
    try:
        services.application_submit(actor=request.user, application=application, message=message)
    except ServiceError as error:
        application = application_for(request.user, pk, change=True)  # as it now stands
        _report_not_submitted(request, application, reasons=error.reasons)
        if message:
            # The page as it now stands, with what the student wrote, to submit again from.
            return render_application_page(request, application, submit_form=form, status=400)
    else:
        messages.success(
            request,
            _("Your application is submitted. The international relations office will review it."),
        )
    return redirect("applications:application_detail", application.pk)


def _report_not_submitted(
    request, application: Application, *, reasons: list[str], errors_shown: bool = False
) -> None:
    """One alert for a refused submission. The reasons the page's Submission section lists
    (what is still missing) are not repeated: the alert links to that section. Any other reason
    (the application submitted meanwhile in another tab, a message not asked for) is said in
    the alert, as the section does not list it."""
    listed: set[str] = set()
    if application.state in services.EDITABLE_STATES:
        readiness = services.submission_readiness(application, timezone.localdate())
        listed = {str(problem) for problem in readiness.problems}
    unlisted = [str(reason) for reason in reasons if str(reason) not in listed]
    if errors_shown or len(unlisted) < len(reasons):
        section = format_html('<a class="alert-link" href="#submit-title">{}</a>', _("Submission"))
        head = format_html(
            _("Your application is not submitted: see %(section)s.") % {"section": "{}"}, section
        )
    else:
        head = _("Your application is not submitted:")
    if unlisted:
        head = format_html(
            '{}<ul class="mb-0">{}</ul>',
            head,
            format_html_join("", "<li>{}</li>", ((reason,) for reason in unlisted)),
        )
    messages.error(request, head)


@student_only
def application_withdraw(request, pk: int):
    application = application_for(request.user, pk, change=True)
    if application.state not in services.WITHDRAWABLE_STATES:
        messages.error(
            request,
            _("This application is %(state)s: it can no longer be withdrawn.")
            % _state_words(application),
        )
        return redirect("applications:application_detail", application.pk)
    form = WithdrawForm(request.POST or None, initial={"seen_state": application.state})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                actor=request.user,
                application=application,
                comment=form.cleaned_data["comment"],
                seen_state=form.cleaned_data["seen_state"],
            )
        except ServiceError as error:
            report_refusal(request, error)
            application.refresh_from_db()
            if application.state in services.WITHDRAWABLE_STATES:
                # A decision since the page was opened: the confirmation as it reads now, to
                # confirm again from, with the comment the student wrote.
                form = WithdrawForm(
                    initial={
                        "seen_state": application.state,
                        "comment": form.cleaned_data["comment"],
                    }
                )
                return _withdraw_page(request, application, form, status=409)
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect("applications:application_detail", application.pk)
    return _withdraw_page(request, application, form, status=400 if form.errors else 200)


def _withdraw_page(request, application: Application, form: WithdrawForm, status: int):
    return render(
        request,
        "applications/withdraw_confirm.html",
        {
            "application": application,
            "form": form,
            "seat_given_up": _seat_given_up(application),
        },
        status=status,
    )


def _seat_given_up(application: Application) -> str | None:
    """Where the student holds a seat that withdrawing gives up (None: they hold none)."""
    if application.state not in SEAT_GIVEN_UP_BY_WITHDRAWAL or not application.nominated_choice:
        return None
    return application.nominated_choice.destination
