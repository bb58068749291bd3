from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from mobility_portal.refusals import refuse_form, report_refusal

from .. import erasure, selectors
from ..access import erasure_request_for
from ..erasure_forms import ErasureRequestForm
from ..errors import ServiceError
from ..privacy import export_filename, export_zip

student_only = capability_required(Capability.BUILD_OWN_PLAN)


@student_only
def privacy_export(request):
    """GET explains what the archive holds, and where the student stands on erasure; POST
    builds the archive and downloads it."""
    if request.method != "POST":
        return render(
            request,
            "applications/privacy_export.html",
            {"erasure_requests": selectors.own_erasure_requests(request.user)},
        )
    response = HttpResponse(export_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(request.user)}"'
    return response


@student_only
@require_http_methods(["GET", "HEAD", "POST"])
def erasure_request(request):
    """The confirmation: what erasure removes and what it keeps, with an optional reason;
    POST asks."""
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure.erasure_request_submit(actor=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            refuse_form(form, error)
            return _erasure_request_page(request, form, status=409)
        messages.success(
            request,
            _(
                "Your request is sent to the administrators. You will be told of the outcome "
                "by e-mail."
            ),
        )
        return redirect("applications:privacy_export")
    return _erasure_request_page(request, form, status=400 if form.errors else 200)


def _erasure_request_page(request, form: ErasureRequestForm, status: int):
    student = request.user
    under_way = list(erasure.applications_under_way(student).select_related("call"))
    context = {
        "form": form,
        "pending": erasure.has_pending_request(student),
        "under_way": under_way,
        "under_way_refusal": erasure.under_way_refusal(app.state for app in under_way),
    }
    return render(request, "applications/erasure_request.html", context, status=status)


@student_only
@require_POST
def erasure_cancel(request, pk: int):
    erasure_request = erasure_request_for(request.user, pk)
    try:
        erasure.erasure_request_cancel(actor=request.user, request=erasure_request)
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(request, _("Your erasure request is cancelled: your data stays."))
    return redirect("applications:privacy_export")
