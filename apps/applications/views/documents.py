"""Documents of an application: upload or use again one (or all those offered) of another
application (the student, while the dossier is a draft) and download (anyone who may see the
dossier), always as an attachment."""

from pathlib import PurePath

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mobility_portal.parsing import whole_number
from mobility_portal.refusals import report_refusal

from .. import selectors, services
from ..access import application_for, document_for
from ..application_forms import DocumentUploadForm
from ..models import DocumentKind
from ..services import ServiceError
from .applications import render_application_page, student_only
from .removed import remember_removed, removed_leads_back

# Back to the pages of a document the student just removed: their application's documents.
document_removed = removed_leads_back("document", lambda: _("This document has been removed."))


@student_only
@require_POST
def document_upload(request, pk: int):
    application = application_for(request.user, pk, change=True)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_application_page(request, application, upload_form=form, status=400)
    try:
        document = services.document_upload(
            actor=request.user,
            application=application,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(
            request,
            _("%(kind)s uploaded: %(name)s.")
            % {"kind": document.get_kind_display(), "name": document.original_name},
        )
    return redirect("applications:application_detail", application.pk)


@student_only
@require_POST
def document_reuse(request, pk: int):
    """The student's document of another of their applications, copied into this one."""
    application = application_for(request.user, pk, change=True)
    back = reverse("applications:application_detail", args=[application.pk]) + "#documents"
    document_id = whole_number(request.POST.get("document", ""))
    if document_id is None:
        messages.error(request, _("Choose the document to use again."))
        return redirect(back)
    try:
        document = services.document_reuse(
            actor=request.user, application=application, document_id=document_id
        )
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(
            request,
            _("%(kind)s added from another of your applications: %(name)s.")
            % {"kind": document.get_kind_display(), "name": document.original_name},
        )
    return redirect(back)


@student_only
@require_POST
def document_reuse_all(request, pk: int):
    """Every document the documents step offers from the student's other applications, at
    once: one message lists what was added, one a refusal says why."""
    application = application_for(request.user, pk, change=True)
    back = reverse("applications:application_detail", args=[application.pk]) + "#documents"
    try:
        outcome = services.document_reuse_all(actor=request.user, application=application)
    except ServiceError as error:
        report_refusal(request, error)
        return redirect(back)
    if outcome.reused:
        count = len(outcome.reused)
        added = "; ".join(
            _("%(kind)s (%(name)s)")
            % {"kind": document.get_kind_display(), "name": document.original_name}
            for document in outcome.reused
        )
        messages.success(
            request,
            ngettext(
                "%(count)d document added from your other applications: %(added)s.",
                "%(count)d documents added from your other applications: %(added)s.",
                count,
            )
            % {"count": count, "added": added},
        )
    for refusal in outcome.refused:
        for reason in refusal.reasons:
            messages.error(
                request,
                _("%(kind)s could not be added: %(reason)s")
                % {"kind": DocumentKind(refusal.kind).label, "reason": reason},
            )
    return redirect(back)


@student_only
@document_removed
def document_delete(request, pk: int):
    """GET asks for a confirmation; POST removes the document."""
    document = document_for(request.user, pk)
    application = application_for(request.user, document.application_id, change=True)
    back = reverse("applications:application_detail", args=[application.pk]) + "#documents"
    if request.method == "POST":
        try:
            services.document_delete(actor=request.user, document=document)
        except ServiceError as error:
            report_refusal(request, error)
        else:
            remember_removed(request, "document", pk, back)
            messages.success(
                request,
                _("%(kind)s removed: %(name)s.")
                % {"kind": document.get_kind_display(), "name": document.original_name},
            )
        return redirect(back)
    if application.state not in services.EDITABLE_STATES:
        messages.error(
            request,
            _("This application is %(state)s: it can no longer be changed.")
            % {"state": application.get_state_display().lower()},
        )
        return redirect(back)
    return render(
        request,
        "applications/document_delete.html",
        {
            "document": document,
            "application": application,
            "back": back,
            "required": document.kind
            in services.required_documents(selectors.with_choices(application)),
        },
    )


@document_removed
def document_download(request, pk: int):
    document = document_for(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=pdf_file_name(document.original_name),
        content_type="application/pdf",
    )


def pdf_file_name(original: str) -> str:
    """The uploaded name, ending in .pdf whatever the student called it: every document is a
    checked PDF, and "cv.html" saved on an officer's computer would open as a web page."""
    stem = PurePath(original).stem if original.lower().endswith(".pdf") else original
    return f"{stem.strip() or 'document'}.pdf"
