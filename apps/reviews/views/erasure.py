"""Erasure requests (GDPR): the administrators' list, and the page from which one is carried
out or refused."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from apps.applications import erasure, selectors
from apps.applications.access import erasure_request_for
from apps.applications.erasure_forms import ErasureCarryOutForm, ErasureRefuseForm
from apps.applications.errors import ServiceError
from apps.applications.models import ErasureRequest
from mobility_portal.refusals import report_refusal

handlers_only = capability_required(Capability.HANDLE_ERASURE_REQUESTS)


@handlers_only
@require_safe
def erasure_requests(request):
    page = Paginator(selectors.erasure_requests_queue(), settings.CATALOGUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reviews/erasure_requests.html", {"page": page})


@handlers_only
@require_safe
def erasure_request(request, pk: int):
    """The confirmation page: what carrying the request out removes, and the refusal form."""
    return _page(request, erasure_request_for(request.user, pk), ErasureRefuseForm())


@handlers_only
@require_POST
def erasure_carry_out(request, pk: int):
    erasure_request = erasure_request_for(request.user, pk)
    confirmation = ErasureCarryOutForm(request.POST)
    if not confirmation.is_valid():
        return _page(
            request, erasure_request, ErasureRefuseForm(), confirmation=confirmation, status=400
        )
    try:
        erasure.erasure_request_carry_out(actor=request.user, request=erasure_request)
    except ServiceError as error:
        report_refusal(request, error)
        return redirect("reviews:erasure_request", erasure_request.pk)
    messages.success(
        request,
        _("The student's personal data is erased; they are told by e-mail."),
    )
    return redirect("reviews:erasure_requests")


@handlers_only
@require_POST
def erasure_refuse(request, pk: int):
    erasure_request = erasure_request_for(request.user, pk)
    form = ErasureRefuseForm(request.POST)
    if not form.is_valid():
        return _page(request, erasure_request, form, status=400)
    try:
        erasure.erasure_request_refuse(
            actor=request.user, request=erasure_request, reason=form.cleaned_data["reason"]
        )
    except ServiceError as error:
        # Handled since the page was shown (carried out, refused, cancelled): the page as it
        # reads now, which says so.
        report_refusal(request, error)
        erasure_request.refresh_from_db()
        return _page(request, erasure_request, form, status=409)
    messages.success(request, _("The request is refused; the student is told why."))
    return redirect("reviews:erasure_requests")


def _page(
    request,
    erasure_request: ErasureRequest,
    form: ErasureRefuseForm,
    *,
    confirmation: ErasureCarryOutForm | None = None,
    status: int = 200,
):
    context = {
        "erasure_request": selectors.erasure_request_page(erasure_request),
        "form": form,
        "confirmation": confirmation or ErasureCarryOutForm(),
    }
    return render(request, "reviews/erasure_request.html", context, status=status)
