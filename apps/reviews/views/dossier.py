"""The staff dossier page (DFI read-only) and the DRI's decisions on it, each a POST that calls
its service and comes back to the page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from apps.accounts.access import CapabilityRequiredMixin, capability_required
from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError
from apps.applications.models import Application, ApplicationState
from apps.applications.selectors import (
    awaited_resubmission,
    chosen_study_activities,
    document_rows,
    load_application_page,
    nominated_activity_id,
    snapshot_result,
)
from apps.applications.services import required_documents
from apps.applications.workflow import StaleDossier
from mobility_portal.dates import long_date
from mobility_portal.page_cache import keep_page
from mobility_portal.refusals import report_refusal

from ..forms_dri import (
    DecisionForm,
    HostDecisionForm,
    InternalCommentForm,
    decision_form,
    decision_forms,
)
from ..queue_return import dossier_url, queue_return
from ..selectors_dossier import (
    course_plan_histories,
    current_plan,
    dossier_for,
    internal_comments,
)
from ..selectors_nominations import partner_told_of
from ..services import decisions, undo

staff_only = capability_required(Capability.SEE_ALL_DOSSIERS)


def render_dossier(
    request,
    application: Application,
    *,
    bound: dict[str, DecisionForm] | None = None,
    comment_form: InternalCommentForm | None = None,
    status: int = 200,
):
    """The page; a decision or a comment that came back with errors re-renders it bound."""
    load_application_page(application)
    is_reviewer = user_can(request.user, Capability.REVIEW_APPLICATIONS)
    way_back = queue_return(request)
    context = {
        "application": application,
        "profile": getattr(application.student, "student_profile", None),
        "snapshot": snapshot_result(application.snapshot),
        "resubmission": awaited_resubmission(application),
        "plan": current_plan(application),
        "documents": document_rows(application, required_documents(application)),
        "course_plans": course_plan_histories(chosen_study_activities(application)),
        "nominated_activity_id": nominated_activity_id(application),
        "comments": internal_comments(application),
        "comment_form": comment_form or InternalCommentForm(prefix="comment"),
        "is_reviewer": is_reviewer,
        "decisions": decision_forms(application, bound or {}) if is_reviewer else {},
        # Re-rendered after a refused decision (a POST-only address): where the page lives.
        "page_path": reverse("reviews:dossier", args=[application.pk]) + way_back.query,
        "queue_return": way_back,
    }
    return render(request, "reviews/dossier.html", context, status=status)


@staff_only
@keep_page
def dossier(request, pk: int):
    return render_dossier(request, dossier_for(request.user, pk))


class DecisionView(CapabilityRequiredMixin, View):
    """POST only: validate the decision's form, call the service, report, come back."""

    required_capability = Capability.REVIEW_APPLICATIONS
    http_method_names = ["post"]
    name: str
    # The field a django ValidationError from the service belongs to (a refused upload).
    upload_field: str | None = None

    def decide(self, actor: User, application: Application, form: DecisionForm) -> str:
        """Call the service and return the success message; its ServiceError (or django
        ValidationError for a refused upload) propagates."""
        raise NotImplementedError

    def post(self, request, pk: int):
        application = dossier_for(request.user, pk)
        form = decision_form(self.name, application, request.POST, request.FILES)
        if form.is_valid():
            # Decide on the dossier as the reviewer saw it (its state and latest transition):
            # a change since then is a 409 with the page as it now stands.
            seen = form.application_as_seen()
            try:
                success = self.decide(request.user, seen, form)
            except StaleDossier as stale:
                messages.warning(request, stale.reasons[0])
                return render_dossier(request, dossier_for(request.user, pk), status=409)
            except ServiceError as error:
                # Shown again with what the reviewer wrote (a file must be chosen again).
                report_refusal(request, error)
                return render_dossier(
                    request, dossier_for(request.user, pk), bound={self.name: form}, status=400
                )
            except ValidationError as invalid:
                form.add_error(self.upload_field, invalid)
            else:
                messages.success(request, success)
        if form.errors:
            return render_dossier(request, application, bound={self.name: form}, status=400)
        return redirect(dossier_url(request, application.pk))


class TakeForReview(DecisionView):
    name = "take"

    def decide(self, actor, application, form):
        decisions.application_take_for_review(actor=actor, application=application)
        return _("The application is now under review.")


class RequestChanges(DecisionView):
    name = "request_changes"

    def decide(self, actor, application, form):
        decisions.application_request_changes(
            actor=actor, application=application, message=form.cleaned_data["message"]
        )
        return _("The student is asked for changes.")


class Nominate(DecisionView):
    name = "nominate"

    def decide(self, actor, application, form):
        choice = form.cleaned_data["choice"]
        decisions.application_nominate(
            actor=actor,
            application=application,
            choice=choice,
            comment=form.cleaned_data["comment"],
        )
        return _("The student is nominated to %(destination)s.") % {
            "destination": choice.destination
        }


class Refuse(DecisionView):
    name = "refuse"

    def decide(self, actor, application, form):
        decisions.application_refuse(
            actor=actor, application=application, reason=form.cleaned_data["reason"]
        )
        return _("The application is refused.")


class RecordHostDecision(DecisionView):
    name = "host_decision"
    upload_field = "letter"

    def decide(self, actor, application, form: HostDecisionForm):
        decisions.application_record_host_decision(
            actor=actor,
            application=application,
            accepted=form.accepted,
            letter=form.cleaned_data["letter"],
            comment=form.cleaned_data["comment"],
        )
        return _("The host's decision is recorded, with its letter.")


class MarkDeparted(DecisionView):
    name = "departed"

    def decide(self, actor, application, form):
        decisions.application_mark_departed(actor=actor, application=application)
        return _("The student is recorded as departed.")


class WithdrawForStudent(DecisionView):
    name = "withdraw"

    def decide(self, actor, application, form):
        decisions.application_withdraw_for_student(
            actor=actor, application=application, reason=form.cleaned_data["reason"]
        )
        return _("The application is withdrawn on the student's behalf; the student is told.")


class Reinstate(DecisionView):
    name = "reinstate"

    def decide(self, actor, application, form):
        application = decisions.application_reinstate(
            actor=actor, application=application, reason=form.cleaned_data["reason"]
        )
        return _(
            "The withdrawal is undone: the application is %(state)s again; the student is told."
        ) % {"state": application.get_state_display().lower()}


class Undo(DecisionView):
    """Take back a nomination, a departure or a return recorded by mistake."""

    name = "undo"

    def decide(self, actor, application, form):
        told = (
            partner_told_of(application)
            if application.state == ApplicationState.NOMINATED
            else None
        )
        application = undo.application_undo(
            actor=actor, application=application, reason=form.cleaned_data["reason"]
        )
        done = _("Undone: the application is %(state)s again; the student is told.") % {
            "state": application.get_state_display().lower()
        }
        if told is None:
            return done
        return " ".join(
            [
                done,
                _(
                    "%(partner)s received a list naming this student on %(sent)s: send it the "
                    "list again from Nominations to partners."
                )
                % {"partner": told.partner.name, "sent": long_date(told.sent_at)},
            ]
        )


class MarkReturned(DecisionView):
    name = "returned"

    def decide(self, actor, application, form):
        decisions.application_mark_returned(actor=actor, application=application)
        return _("The student is recorded as back from mobility.")


class SetRankingScore(DecisionView):
    name = "score"

    def decide(self, actor, application, form):
        decisions.application_set_ranking_score(
            actor=actor, application=application, score=form.cleaned_data["score"]
        )
        return _("The ranking score is saved.")


@capability_required(Capability.REVIEW_APPLICATIONS)
@require_POST
def comment_add(request, pk: int):
    application = dossier_for(request.user, pk)
    form = InternalCommentForm(request.POST, prefix="comment")
    if not form.is_valid():
        return render_dossier(request, application, comment_form=form, status=400)
    try:
        decisions.internal_comment_add(
            actor=request.user, application=application, text=form.cleaned_data["text"]
        )
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(request, _("Your internal comment is added."))
    return redirect(dossier_url(request, application.pk))
