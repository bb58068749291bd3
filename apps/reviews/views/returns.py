"""The return from mobility: the student's page (host transcript, credits obtained per course)
and the advisor's recognition page (missing credits, confirmation that completes the dossier)."""

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat, floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from apps.applications.access import application_for
from apps.applications.errors import ServiceError
from apps.applications.models import Application, CourseLine, CoursePlanStatus, DocumentKind
from apps.applications.uploads import validate_pdf
from mobility_portal.refusals import report_refusal

from ..selectors_advisor import (
    RETURN_STATES,
    RETURN_VISIBLE_STATES,
    advised_course_plan,
    credits_stamp,
    missing_credits,
    nominated_activity,
    recognition_course_plan,
    returning_application,
)
from ..services.returns import (
    course_plan_confirm_recognition,
    course_plan_record_ects,
    not_recognisable_yet,
    recognition_problems,
    return_transcript_upload,
)
from .advisor import advisor_only

student_only = capability_required(Capability.BUILD_OWN_PLAN)


class HostTranscriptForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Transcript of records from the host (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF only, at most %(limit)s. A new file replaces the previous one."
        ) % {"limit": filesizeformat(settings.MAX_UPLOAD_SIZE)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_pdf(upload)
        return upload


LINE_FIELD = re.compile(r"line_\d+")


class ObtainedEctsForm(forms.Form):
    """One optional field per course line: the ECTS the host granted for it."""

    def __init__(self, *args, lines: list[CourseLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[self.field_name(line)] = forms.DecimalField(
                label=_("ECTS obtained for %(code)s %(title)s")
                % {"code": line.code, "title": line.title},
                required=False,
                min_value=Decimal(0),
                max_value=line.ects,  # a course grants at most its own credits
                # Django's own message writes the limit unlocalised ("7.5" in French).
                error_messages={
                    "max_value": _("At most %(ects)s ECTS: a course grants no more than its own.")
                    % {"ects": floatformat(line.ects, "-1")}
                },
                max_digits=4,
                decimal_places=1,
                initial=line.ects_obtained,
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control"}),
            )

    @staticmethod
    def field_name(line: CourseLine) -> str:
        return f"line_{line.pk}"

    def rows(self) -> list[tuple[CourseLine, forms.BoundField]]:
        return [(line, self[self.field_name(line)]) for line in self.lines]

    def names_other_lines(self) -> bool:
        """Whether the POST sends credits for lines that are not the form's: the page was
        opened before the advisor approved another version of the course plan."""
        own = {self.add_prefix(self.field_name(line)) for line in self.lines}
        return any(LINE_FIELD.fullmatch(name) and name not in own for name in self.data)

    def ects_obtained(self) -> dict[int, Decimal | None]:
        """The credits of the lines the form sent; a line left out keeps what it has (an empty
        field is sent, and clears it)."""
        return {
            line.pk: self.cleaned_data[self.field_name(line)]
            for line in self.lines
            if self.add_prefix(self.field_name(line)) in self.data
        }


def _return_application(request, pk: int) -> Application | None:
    """The student's own application in mobility, back or completed; None after telling why
    there is no return page for it."""
    application = application_for(request.user, pk, change=True)
    if application.state not in RETURN_VISIBLE_STATES:
        messages.error(
            request,
            _("This application is %(state)s: the return is recorded during the mobility or after.")
            % {"state": application.get_state_display().lower()},
        )
        return None
    return application


def _render_return_page(request, application, *, ects_form=None, transcript_form=None, status=200):
    course_plan = recognition_course_plan(nominated_activity(application))
    lines = list(course_plan.lines.all()) if course_plan else []
    return render(
        request,
        "reviews/return_page.html",
        {
            "application": application,
            "activity": nominated_activity(application),
            "course_plan": course_plan,
            "can_change": application.state in RETURN_STATES,
            "transcript": application.documents.filter(kind=DocumentKind.HOST_TRANSCRIPT).first(),
            "ects_form": ects_form or ObtainedEctsForm(lines=lines),
            "transcript_form": transcript_form or HostTranscriptForm(),
            "credits": missing_credits(course_plan) if course_plan else None,
        },
        status=status,
    )


@student_only
def return_page(request, pk: int):
    """GET: the return page; POST: the ECTS obtained per course."""
    application = _return_application(request, pk)
    if application is None:
        return redirect("applications:application_detail", pk)
    if request.method != "POST":
        return _render_return_page(request, application)
    course_plan = recognition_course_plan(nominated_activity(application))
    lines = list(course_plan.lines.all()) if course_plan else []
    form = ObtainedEctsForm(request.POST, lines=lines)
    if form.names_other_lines():
        messages.error(
            request,
            _(
                "Your approved course plan changed since you opened this page: nothing was "
                "saved. Enter the credits obtained for its courses below."
            ),
        )
        return redirect("reviews:return_page", application.pk)
    if not form.is_valid():
        return _render_return_page(request, application, ects_form=form, status=400)
    try:
        course_plan_record_ects(
            actor=request.user, application=application, ects_obtained=form.ects_obtained()
        )
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(request, _("The credits obtained are saved."))
    return redirect("reviews:return_page", application.pk)


@student_only
@require_POST
def return_transcript(request, pk: int):
    application = _return_application(request, pk)
    if application is None:
        return redirect("applications:application_detail", pk)
    form = HostTranscriptForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_return_page(request, application, transcript_form=form, status=400)
    try:
        return_transcript_upload(
            actor=request.user, application=application, upload=form.cleaned_data["file"]
        )
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(request, _("The host's transcript of records is uploaded."))
    return redirect("reviews:return_page", application.pk)


@advisor_only
def return_recognition(request, pk: int):
    """GET: the credits obtained against the approved course plan; POST: confirm them."""
    course_plan = advised_course_plan(request.user, pk)
    if request.method == "POST":
        if not request.POST.get("confirm"):
            messages.error(request, _("Tick the box to confirm: the recognition cannot be undone."))
            return redirect("reviews:return_recognition", course_plan.pk)
        try:
            course_plan_confirm_recognition(
                actor=request.user,
                course_plan=course_plan,
                seen_credits=request.POST.get("seen_credits", ""),
            )
        except ServiceError as error:
            course_plan.refresh_from_db(fields=["recognition_confirmed_at"])
            if course_plan.recognition_confirmed_at is not None:
                # Sent twice (a double click, another tab): it is confirmed, not refused.
                messages.info(request, _("The recognition of these credits is already confirmed."))
            else:
                messages.error(request, _("The recognition is not confirmed:"))
                report_refusal(request, error)
        else:
            messages.success(
                request, _("Recognition confirmed: the student's dossier is completed.")
            )
        return redirect("reviews:return_recognition", course_plan.pk)
    application = returning_application(course_plan)
    transcript = None
    if application is not None:
        transcript = next(
            (d for d in application.documents.all() if d.kind == DocumentKind.HOST_TRANSCRIPT),
            None,
        )
    credits = missing_credits(course_plan)
    # An approved version the credits are not recognised against, or not yet (the student is
    # still abroad, their change of courses awaits the advisor): why, instead of a form the
    # service would refuse.
    not_yet = ""
    if (
        application is not None
        and course_plan.status == CoursePlanStatus.APPROVED
        and course_plan.recognition_confirmed_at is None
    ):
        not_yet = not_recognisable_yet(application, course_plan)
    # What the student has still to send (the transcript, credits not entered): said instead
    # of the form, which the service would refuse for it.
    waiting_for = (
        recognition_problems(
            has_transcript=transcript is not None, lines=(row.line for row in credits.lines)
        )
        if application is not None
        else []
    )
    return render(
        request,
        "reviews/return_recognition.html",
        {
            "course_plan": course_plan,
            "activity": course_plan.activity,
            "student": course_plan.activity.plan.student,
            "application": application,
            "transcript": transcript,
            "credits": credits,
            "seen_credits": credits_stamp((row.line for row in credits.lines), transcript),
            "not_recognisable_yet": not_yet,
            "waiting_for": waiting_for,
        },
    )
