"""The DRI's decision forms on a dossier, and the internal comment form."""

from decimal import Decimal
from functools import partial

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.applications.models import Application, ApplicationState, Choice, DocumentKind
from apps.applications.undoable import UNDOABLE_MOVES
from apps.applications.workflow import (
    as_seen,
    can_move,
    state_before_withdrawal,
    undoable_move,
)
from mobility_portal.dates import long_date
from mobility_portal.forms import BootstrapForm

from .services.seats import SEAT_HOLDING_STATES

S = ApplicationState


class DecisionForm(BootstrapForm):
    """A decision on one application. It carries what the reviewer saw: the state, and the id
    of the latest Transition (empty when there was none), which changes with every move, so
    that a decision on a dossier that changed since is refused (workflow.lock_as_seen)."""

    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)
    seen_transition = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, application: Application, **kwargs):
        self.application = application
        initial = kwargs.setdefault("initial", {})
        initial["seen_state"] = application.state
        # Read when the form is shown, from the history the page prefetched: no query.
        initial["seen_transition"] = partial(seen_transition_id, application)
        super().__init__(*args, **kwargs)

    def application_as_seen(self) -> Application:
        """The application as the reviewer saw it (its state and latest transition), for the
        service to refuse a decision on a dossier that changed since. The form must be valid."""
        return as_seen(
            self.application,
            state=self.cleaned_data["seen_state"] or self.application.state,
            transition_id=self.cleaned_data["seen_transition"],
        )


def seen_transition_id(application: Application) -> int | None:
    """The id of the latest Transition of the application as the page shows it."""
    return max((transition.pk for transition in application.history.all()), default=None)


class RequestChangesForm(DecisionForm):
    message = forms.CharField(
        label=_("What the student should change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class NominateForm(DecisionForm):
    choice = forms.ModelChoiceField(
        queryset=Choice.objects.none(),
        label=_("Nominate the student to"),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    comment = forms.CharField(
        label=_("Comment for the student (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        # Never a host that refused the student, as the service refuses it.
        field = self.fields["choice"]
        field.queryset = application.choices.filter(host_refused_at__isnull=True).select_related(
            "activity", "agreement__partner"
        )
        if "choices" in getattr(application, "_prefetched_objects_cache", {}):
            # The options, from the choices the page prefetched (load_application_page): no
            # query. A posted choice is still looked up in the queryset.
            field.widget.choices = PrefetchedChoices(
                field,
                [choice for choice in application.choices.all() if choice.host_refused_at is None],
            )
        if application.state == S.HOST_REFUSED:
            self.fields["choice"].label = _("Nominate the student to another destination")
            self.fields["choice"].help_text = _(
                "The host refused the student. Seats permitting, another of their choices can "
                "take them."
            )


class PrefetchedChoices(ModelChoiceIterator):
    """A ModelChoiceField's options from instances already loaded, in their order, instead of
    its queryset's rows."""

    def __init__(self, field: forms.ModelChoiceField, instances: list):
        super().__init__(field)
        self.instances = instances

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in self.instances:
            yield self.choice(instance)

    def __len__(self) -> int:
        return len(self.instances) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.instances)


class RefuseForm(DecisionForm):
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        help_text=_("The student reads it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    confirm = forms.BooleanField(
        label=_("I confirm the refusal: the application is closed for good."),
    )


class WithdrawForStudentForm(DecisionForm):
    reason = forms.CharField(
        label=_("How the student gave up"),
        help_text=_("For example: their e-mail of 12 March. The student reads it."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm: the student gives up this application, and a seat they hold goes back "
            "to the allocation."
        ),
    )


class ReinstateForm(DecisionForm):
    reason = forms.CharField(
        label=_("Why the withdrawal is undone"),
        help_text=_(
            "For example: recorded by mistake, or the student's e-mail of 14 March. The "
            "student reads it."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        self.back_to = state_before_withdrawal_seen(application)

    @property
    def takes_a_seat_again(self) -> bool:
        return self.back_to in SEAT_HOLDING_STATES

    @property
    def back_to_label(self) -> str:
        return ApplicationState(self.back_to).label.lower() if self.back_to else ""


class UndoForm(DecisionForm):
    """Take back the move that brought the dossier to its state, recorded by mistake: a
    nomination, a departure or a return (workflow.UNDOABLE_FROM)."""

    reason = forms.CharField(
        label=_("Why this is undone"),
        help_text=_("For example: recorded on the wrong dossier. The student reads it."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )
    confirm = forms.BooleanField()

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        self.undone = undoable_move_seen(application)
        self.back_to = self.undone.from_state if self.undone is not None else None
        move = UNDOABLE_MOVES.get(application.state)
        if move is not None:
            confirmation = move.confirmation_for(holds_seat=self.holds_seat)
            self.fields["confirm"].label = confirmation % {"state": self.back_to_label}
        self.refusal = self._transcript_refusal()

    def _transcript_refusal(self) -> str:
        """Why the page already knows the undo would be refused (empty: it does not): the
        host's transcript uploaded during the mobility (a departure) or since the return.
        From the documents the page prefetched; the service checks everything else."""
        if self.undone is None or self.application.state not in (S.IN_MOBILITY, S.RETURNED):
            return ""
        since = self.undone.at if self.application.state == S.RETURNED else None
        if any(
            document.kind == DocumentKind.HOST_TRANSCRIPT
            and (since is None or document.uploaded_at >= since)
            for document in self.application.documents.all()
        ):
            return _(
                "The student has uploaded the host's transcript of records since: this can no "
                "longer be undone."
            )
        return ""

    @property
    def title(self) -> str:
        move = UNDOABLE_MOVES.get(self.application.state)
        return move.title if move is not None else ""

    @property
    def holds_seat(self) -> bool:
        """Whether the application holds an agreement's seat (a nomination outside
        partnerships holds none), from the choices the page prefetched."""
        choice = self.application.nominated_among_choices()
        return choice is not None and choice.agreement_id is not None

    @property
    def back_to_label(self) -> str:
        return ApplicationState(self.back_to).label.lower() if self.back_to else ""


def undoable_move_seen(application: Application):
    """`undoable_move` from the history the page prefetched: no query. A nomination recorded
    before nominations kept what undoing them restores offers no undo."""
    undone = undoable_move(application, history=application.history.all())
    if undone is not None and undone.to_state == S.NOMINATED and not undone.restores_on_undo:
        return None
    return undone


def state_before_withdrawal_seen(application: Application) -> str | None:
    """`state_before_withdrawal` from the history the page prefetched: no query."""
    return state_before_withdrawal(application, history=application.history.all())


class HostDecisionForm(DecisionForm):
    ACCEPTED = "accepted"
    REFUSED = "refused"

    outcome = forms.ChoiceField(
        label=_("The host's decision"),
        choices=[(ACCEPTED, _("Accepted by the host")), (REFUSED, _("Refused by the host"))],
        widget=forms.RadioSelect,
    )
    letter = forms.FileField(
        label=_("The host's letter (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    # Kept in the history the student reads and quoted in their e-mail: said so, as on the
    # other decisions, a few boxes from the internal comments staff alone read.
    comment = forms.CharField(
        label=_("Comment for the student (optional)"),
        help_text=_("The student reads it."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["outcome"] == self.ACCEPTED


class StayDayForm(DecisionForm):
    """A departure or a return (undone only while nothing depends on it, see UndoForm). A
    return tells the student to send the host's transcript: recorded before the nominated
    stay's own day (its first for a departure, its last for a return), it asks the reviewer to
    confirm, naming that day."""

    stay_day: str  # the Activity field the day is read from
    confirm_label: str  # formatted with %(date)s

    confirm = forms.BooleanField()

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        day = self.early_day(application)
        if day is None:
            del self.fields["confirm"]
        else:
            self.fields["confirm"].label = self.confirm_label % {"date": long_date(day)}

    def early_day(self, application: Application):
        """The stay's day when today comes before it, else None (from the prefetched choices)."""
        choice = application.nominated_among_choices()
        day = getattr(choice.activity, self.stay_day, None) if choice is not None else None
        return day if day is not None and timezone.localdate() < day else None


class DepartedForm(StayDayForm):
    stay_day = "start"
    confirm_label = _("The stay begins on %(date)s: I confirm the student has already left.")


class ReturnedForm(StayDayForm):
    stay_day = "end"
    confirm_label = _("The stay ends on %(date)s: I confirm the student is already back.")


_SCORE_FIELD = Application._meta.get_field("ranking_score")
# The scores the model's column holds: 0.001 apart, from -9,999.999 to 9,999.999.
SCORE_STEP = Decimal(1).scaleb(-_SCORE_FIELD.decimal_places)
SCORE_MAX = Decimal(10) ** (_SCORE_FIELD.max_digits - _SCORE_FIELD.decimal_places) - SCORE_STEP


class RankingScoreForm(DecisionForm):
    score = forms.DecimalField(
        label=_("Ranking score"),
        help_text=_("The higher, the better ranked in seat allocation. Leave empty to clear it."),
        max_digits=_SCORE_FIELD.max_digits,
        decimal_places=_SCORE_FIELD.decimal_places,
        required=False,
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        score = self.fields["score"]
        score.initial = application.ranking_score
        # The step (0.001) comes with the field's decimal places.
        score.widget.attrs.update(min=str(-SCORE_MAX), max=str(SCORE_MAX))
        # One message for every way a number falls outside the column (too many digits in
        # all, before the point, after it), where Django's would count digits.
        places = _SCORE_FIELD.decimal_places
        out_of_range = ngettext(
            "Enter a score from %(min)s to %(max)s, with at most %(count)s decimal.",
            "Enter a score from %(min)s to %(max)s, with at most %(count)s decimals.",
            places,
        ) % {
            "min": number_format(-SCORE_MAX, places, force_grouping=True),
            "max": number_format(SCORE_MAX, places, force_grouping=True),
            "count": places,
        }
        for code in ("invalid", "max_digits", "max_whole_digits", "max_decimal_places"):
            score.error_messages[code] = out_of_range


class InternalCommentForm(BootstrapForm):
    text = forms.CharField(
        label=_("Internal comment"),
        help_text=_("Seen by staff only, never by the student."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


# Each decision: its form, and the state it moves the application to (None: no move). The
# name is the form's prefix, so that the forms of one page keep distinct field ids.
DECISIONS: dict[str, tuple[type[DecisionForm], str | None]] = {
    "take": (DecisionForm, S.UNDER_REVIEW),
    "request_changes": (RequestChangesForm, S.CHANGES_REQUESTED),
    "nominate": (NominateForm, S.NOMINATED),
    "refuse": (RefuseForm, S.REFUSED),
    "host_decision": (HostDecisionForm, S.ACCEPTED),
    "departed": (DepartedForm, S.IN_MOBILITY),
    "withdraw": (WithdrawForStudentForm, S.WITHDRAWN),
    # Its target is the state the withdrawal left (ReinstateForm.back_to).
    "reinstate": (ReinstateForm, None),
    "returned": (ReturnedForm, S.RETURNED),
    # Its target is the state the move it undoes left (UndoForm.back_to).
    "undo": (UndoForm, None),
    "score": (RankingScoreForm, None),
}


def decision_form(name: str, application: Application, data=None, files=None) -> DecisionForm:
    form_class, _target = DECISIONS[name]
    return form_class(data, files, application=application, prefix=name)


def decision_forms(
    application: Application, bound: dict[str, DecisionForm]
) -> dict[str, DecisionForm]:
    """The decisions the application's state allows, each with its form (the bound one when
    it came back with errors)."""
    return {
        name: bound.get(name) or decision_form(name, application)
        for name, (_form_class, target) in DECISIONS.items()
        if (target is None or can_move(application, target))
        and (name != "nominate" or _nominable(application))
        and (name != "withdraw" or application.state != S.DRAFT)
        and (name != "reinstate" or state_before_withdrawal_seen(application) is not None)
        and (name != "undo" or undoable_move_seen(application) is not None)
    }


def _nominable(application: Application) -> bool:
    """Whether a choice is left that no host refused (from the choices the page prefetched):
    otherwise the nomination form would be a required menu without any option."""
    return any(choice.host_refused_at is None for choice in application.choices.all())
