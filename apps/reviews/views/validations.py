"""Validation of summer stays and internships abroad: the student's request, the DFI and DRI
queue, and the page where a body decides."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from apps.applications.access import own_activity
from apps.applications.errors import ServiceError
from apps.applications.models import ValidationBody
from mobility_portal.refusals import report_refusal

from ..selectors_advisor import (
    ValidationState,
    needs_validation,
    validation_activity,
    validation_no_longer_requested,
    validation_queue,
    validation_state,
)
from ..services.validations import (
    BODY_OF_ROLE,
    activity_request_validation,
    activity_validate,
    request_stamp,
)

validator_only = capability_required(Capability.VALIDATE_SUMMER_PROJECTS)
student_only = capability_required(Capability.BUILD_OWN_PLAN)

AWAITING_CHOICES = [
    ("", gettext_lazy("All requests")),
    (ValidationBody.DFI, gettext_lazy("Awaiting the DFI")),
    (ValidationBody.DRI, gettext_lazy("Awaiting the DRI")),
]


class ValidationFilterForm(forms.Form):
    awaiting = forms.ChoiceField(
        label=gettext_lazy("Show"), choices=AWAITING_CHOICES, required=False
    )
    q = forms.CharField(
        label=gettext_lazy("Student"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "placeholder": gettext_lazy("Name, e-mail or student number"),
                # Beside the other filters the box takes its own width, which cut the
                # placeholder ("Name, e-mail or studer").
                "size": 36,
            }
        ),
    )


class ValidationDecisionForm(forms.Form):
    """The body is asked only of an administrator: DFI and DRI staff decide for their own."""

    body = forms.ChoiceField(label=gettext_lazy("Decide for"), choices=ValidationBody.choices)
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Validate")), ("refuse", gettext_lazy("Refuse"))],
        error_messages={"required": gettext_lazy("Choose to validate or to refuse.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the student"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when you refuse."),
    )
    # The latest decision the page showed (empty: none), so that a later one is not overruled.
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # The request the page showed, so that a stay changed and asked for again is read first.
    seen_request = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, choose_body: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not choose_body:
            del self.fields["body"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("comment", "").strip():
            self.add_error("comment", _("Give the reason for the refusal: the student reads it."))
        return data


@validator_only
def validation_queue_page(request):
    own_body = BODY_OF_ROLE.get(request.user.role, "")
    # Arriving without a filter, staff see what awaits their own body.
    data = request.GET if "awaiting" in request.GET else {"awaiting": own_body}
    form = ValidationFilterForm(data)
    form.is_valid()  # an unknown body shows every request; a search too long, none narrowed
    awaiting = form.cleaned_data.get("awaiting", "")
    search = form.cleaned_data.get("q", "").strip()
    page = Paginator(
        validation_queue(awaiting or None, search=search), settings.CATALOGUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [
        ValidationState(activity=activity, validations=list(activity.validations.all()))
        for activity in page.object_list
    ]
    return render(
        request,
        "reviews/validation_queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "awaiting": awaiting,
            "search": search,
            "query": urlencode({"awaiting": awaiting, **({"q": search} if search else {})}),
        },
    )


@validator_only
def validation_detail(request, pk: int):
    """GET: the request and every decision so far; POST: the actor's body decides."""
    try:
        activity = validation_activity(pk)
    except Http404:
        # Asked for, then changed by the student (which forgets the request): said, rather
        # than a page not found for the link of the request or the decision being sent.
        shown = request.method == "POST" and bool(request.POST.get("seen_request"))
        if not validation_no_longer_requested(pk, shown_request=shown):
            raise
        messages.warning(
            request,
            _(
                "The student changed this stay since asking for its validation: no decision "
                "is awaited until they ask again."
            ),
        )
        return redirect("reviews:validation_queue")
    state = validation_state(activity)
    choose_body = request.user.role not in BODY_OF_ROLE
    form = ValidationDecisionForm(
        request.POST or None,
        choose_body=choose_body,
        initial=_as_shown(activity, state),
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity_validate(
                actor=request.user,
                activity=activity,
                approved=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
                body=form.cleaned_data.get("body"),
                seen_decision=form.cleaned_data["seen"],
                seen_request=form.cleaned_data["seen_request"],
            )
        except ServiceError as error:
            # The page again, as it now stands, with what the person wrote: a colleague's
            # decision in between must not cost them their comment.
            report_refusal(request, error)
            activity = validation_activity(pk)
            state = validation_state(activity)
            data = request.POST.copy()
            for name, value in _as_shown(activity, state).items():
                data[name] = "" if value is None else value
            form = ValidationDecisionForm(data, choose_body=choose_body)
            return _render_detail(request, activity, state, form, status=400)
        messages.success(request, _("Decision recorded; the student's plan is checked again."))
        return redirect("reviews:validation_detail", activity.pk)
    return _render_detail(request, activity, state, form, status=400 if form.errors else 200)


def _as_shown(activity, state: ValidationState) -> dict[str, object]:
    """What the page shows, carried by its form: the latest decision and the request."""
    return {"seen": state.last_decision_id, "seen_request": request_stamp(activity)}


def _render_detail(request, activity, state: ValidationState, form, *, status: int):
    return render(
        request,
        "reviews/validation_detail.html",
        {
            "state": state,
            "activity": activity,
            "student": activity.plan.student,
            "form": form,
            "own_body": BODY_OF_ROLE.get(request.user.role),
        },
        status=status,
    )


@student_only
def validation_request(request, pk: int):
    """GET: where the student's request stands; POST: ask (again) for the validation."""
    activity = own_activity(request.user, pk)
    if request.method == "POST":
        try:
            activity_request_validation(actor=request.user, activity=activity)
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(
                request, _("Validation requested: the DFI and the DRI will decide on it.")
            )
        return redirect(reverse("applications:plan") + f"#activity-{activity.pk}")
    if not needs_validation(activity):
        messages.error(
            request,
            _("Only summer stays and internships abroad are validated by the DFI and the DRI."),
        )
        return redirect("applications:plan")
    return render(request, "reviews/validation_request.html", {"state": validation_state(activity)})
