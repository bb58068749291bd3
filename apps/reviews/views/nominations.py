"""Nominations to partners (DRI): per call, the partners students are nominated to and where
each one's list stands; per partner, its students, the e-mail that would go, sending it
(confirmed first) and the same list as CSV."""

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from apps.applications.errors import ServiceError
from apps.programmes.models import Call, Partner
from mobility_portal.numbers import grouped
from mobility_portal.refusals import report_refusal

from ..exports.applications import CSV_BYTE_ORDER_MARK, csv_dialect, csv_text
from ..forms_nominations import NominationSendForm, NominationsFilterForm
from ..selectors_nominations import (
    default_call,
    delivery_of,
    list_status,
    nominated_ids,
    partner_has_nominations,
    partner_rows,
    partners_with_nominations,
    students_of,
)
from ..services import nominations as services

reviewer_only = capability_required(Capability.REVIEW_APPLICATIONS)
PARTNERS_PER_PAGE = 25


def call_and_partner(call_pk: int, partner_pk: int) -> tuple[Call, Partner]:
    """The access helper of a (call, partner) list: a partner no student of the call is
    nominated to, nor was ever sent a list for it, has no page (404)."""
    call = get_object_or_404(Call, pk=call_pk)
    partner = get_object_or_404(Partner.objects.prefetch_related("languages"), pk=partner_pk)
    if not partner_has_nominations(call, partner):
        raise Http404
    return call, partner


@reviewer_only
@require_safe
def nominations_index(request):
    calls = Call.objects.order_by("-academic_year", "-closes_on", "-pk")
    form = NominationsFilterForm(request.GET or None, calls=calls)
    call, search = None, ""
    if form.is_valid():
        call, search = form.cleaned_data["call"], form.cleaned_data["q"].strip()
    call = call or default_call()
    if call is not None and form.is_bound is False:
        form = NominationsFilterForm(initial={"call": call.pk}, calls=calls)
    page, rows = None, []
    if call is not None:
        partners = partners_with_nominations(call, search)
        page = Paginator(partners, PARTNERS_PER_PAGE).get_page(request.GET.get("page"))
        rows = partner_rows(call, list(page.object_list))
    return render(
        request,
        "reviews/nominations_index.html",
        {
            "form": form,
            "call": call,
            "search": search,
            "page": page,
            "rows": rows,
            "query": urlencode({"call": call.pk, "q": search}) if call else "",
        },
    )


@reviewer_only
@require_safe
def nominations_partner(request, call_pk: int, partner_pk: int):
    call, partner = call_and_partner(call_pk, partner_pk)
    return render_partner_page(request, call, partner)


def render_partner_page(request, call: Call, partner: Partner, *, confirming=None, status=200):
    list_now = list_status(call, partner)
    notice = services.notice_to_send(
        actor=request.user, call=call, partner=partner, status=list_now
    )
    form = confirming or NominationSendForm(
        initial=NominationSendForm.initial_for(list_now, partner.nomination_email)
    )
    return render(
        request,
        "reviews/nominations_partner.html",
        {
            "call": call,
            "partner": partner,
            "status": list_now,
            "students": notice.students,
            "removed": notice.removed_students,
            "message": services.notice_message(notice)
            if notice.application_ids or notice.removed_ids
            else None,
            "notice": notice,
            "form": form,
            "confirming": confirming is not None,
            "delivery": delivery_of(list_now.last_notice),
        },
        status=status,
    )


@reviewer_only
@require_POST
def nominations_send(request, call_pk: int, partner_pk: int):
    """First POST: the confirmation, carrying what the page showed. Second (`confirmed`):
    sent, if the list is still the one shown."""
    call, partner = call_and_partner(call_pk, partner_pk)
    page = reverse("reviews:nominations_partner", args=[call.pk, partner.pk])
    form = NominationSendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page sent an unreadable list: open it again."))
        return redirect(page)
    if "confirmed" not in request.POST:
        return render_partner_page(request, call, partner, confirming=form)
    try:
        notice = services.nomination_notice_send(
            actor=request.user, call=call, partner=partner, seen=form.seen()
        )
    except ServiceError as refusal:
        report_refusal(request, refusal)
        return redirect(page)
    count = len(notice.application_ids)
    messages.success(
        request,
        ngettext(
            "The list of %(count)s student is queued for %(address)s.",
            "The list of %(count)s students is queued for %(address)s.",
            count,
        )
        % {"count": grouped(count), "address": notice.email},
    )
    return redirect(page)


@reviewer_only
@require_safe
def nominations_csv(request, call_pk: int, partner_pk: int):
    call, partner = call_and_partner(call_pk, partner_pk)
    buffer = io.StringIO()
    writer = csv_dialect(get_language()).writer(buffer)
    writer.writerow(
        [
            _("Last name"),
            _("First name"),
            _("E-mail"),
            _("Student number"),
            _("Programme"),
            _("First day"),
            _("Last day"),
            _("Filière"),
            _("Track"),
            _("Year"),
        ]
    )
    for application in students_of(nominated_ids(call, partner)):
        student = application.student
        profile = getattr(student, "student_profile", None)
        choice = application.nominated_choice
        writer.writerow(
            csv_text(value)
            for value in (
                student.last_name,
                student.first_name,
                student.email,
                profile.student_number if profile else "",
                choice.agreement.get_kind_display(),
                choice.activity.start.isoformat(),
                choice.activity.end.isoformat(),
                profile.filiere if profile and profile.filiere else "",
                profile.get_track_display() if profile else "",
                profile.get_year_display() if profile else "",
            )
        )
    response = HttpResponse(
        CSV_BYTE_ORDER_MARK + buffer.getvalue(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"nominations-{call.academic_year}-{partner.pk}.csv"
    )
    return response
