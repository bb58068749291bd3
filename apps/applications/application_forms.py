"""Forms of the application pages: choices and motivation, documents, withdrawal, course plan."""

import re
from collections.abc import Iterable
from typing import NamedTuple

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.programmes.models import Agreement
from mobility_portal.numbers import grouped

from .models import (
    AGREEMENT_KIND_FOR_ACTIVITY,
    Activity,
    ActivityKind,
    Application,
    CourseLine,
    DocumentKind,
)
from .services import RESUBMISSION_MESSAGE_MAX_LENGTH, STUDENT_DOCUMENTS, ChoiceInput
from .uploads import validate_pdf

OUTSIDE_PARTNERSHIPS = "outside"


def destination_value(activity_id: int, agreement_id: int | None) -> str:
    return f"{activity_id}:{agreement_id or OUTSIDE_PARTNERSHIPS}"


def activity_label(activity: Activity) -> str:
    return _("%(kind)s, %(start)s → %(end)s (%(host)s)") % {
        "kind": activity.get_kind_display(),
        "start": date_format(activity.start, "SHORT_DATE_FORMAT"),
        "end": date_format(activity.end, "SHORT_DATE_FORMAT"),
        "host": activity.host_display or activity.country.name,
    }


def agreement_label(agreement: Agreement) -> str:
    partner = agreement.partner
    return f"{partner.name} — {partner.city + ', ' if partner.city else ''}{partner.country.name}"


class Destination(NamedTuple):
    value: str
    choice: ChoiceInput
    label: str


def destinations_for(activity: Activity, agreements: Iterable[Agreement]) -> list[Destination]:
    """Every destination this activity can be applied for: the agreements of the matching
    kind, the activity's own partner first, then its own host outside partnerships when it
    names one."""
    kind = AGREEMENT_KIND_FOR_ACTIVITY[activity.kind]
    matching = sorted(
        (agreement for agreement in agreements if agreement.kind == kind),
        key=lambda agreement: agreement.partner_id != activity.partner_id,
    )
    options = [
        Destination(
            destination_value(activity.pk, agreement.pk),
            ChoiceInput(activity, agreement),
            agreement_label(agreement),
        )
        for agreement in matching
    ]
    # A double degree exists only under an agreement, so it has no outside option.
    if activity.host_name and activity.kind != ActivityKind.DOUBLE_DEGREE:
        options.append(
            Destination(
                destination_value(activity.pk, None),
                ChoiceInput(activity, None),
                _("Outside partnerships: %(host)s") % {"host": activity.host_name},
            )
        )
    return options


MOTIVATION_MAX_LENGTH = 10_000


class LongTextField(forms.CharField):
    """A text whose length the page counts as it is typed (char-counter.js), with nothing cut:
    no maxlength for the browser to cut a pasted text with, and line breaks counted once, as
    the browser counts them, where it sends two characters for each. Too long, the form says so
    (the length's validator) and gives the whole text back."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Its own message instead of Django's, whose numbers are not grouped ("10000").
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, MaxLengthValidator)
        ]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\r\n", "\n") if text else text

    def validate(self, value):
        super().validate(value)
        if self.max_length is not None and value and len(value) > self.max_length:
            excess = len(value) - self.max_length
            raise forms.ValidationError(
                ngettext(
                    "The text is %(excess)s character too long: %(count)s for at most "
                    "%(limit)s. Shorten it; nothing was saved.",
                    "The text is %(excess)s characters too long: %(count)s for at most "
                    "%(limit)s. Shorten it; nothing was saved.",
                    excess,
                )
                % {
                    "excess": grouped(excess),
                    "count": grouped(len(value)),
                    "limit": grouped(self.max_length),
                },
                code="max_length",
            )


def char_counter_attrs(limit: int) -> dict[str, str]:
    """What char-counter.js shows under a text: its words, in the page's language, with
    "{count}", "{limit}" and "{excess}" for the numbers it formats."""
    return {
        "data-char-limit": str(limit),
        "data-char-count": _("{count} / {limit} characters"),
        "data-char-over": _("{count} / {limit} characters: {excess} too many"),
    }


class ApplicationForm(forms.Form):
    """Motivation and up to `call.max_choices` ranked destinations, each a study activity of
    the plan with an agreement, grouped by activity in the menus."""

    motivation = LongTextField(
        label=_("Motivation"),
        required=False,
        max_length=MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Why these destinations, and what you expect from them."),
    )

    def __init__(
        self,
        *args,
        application: Application,
        activities: list[Activity],
        agreements: Iterable[Agreement],
        **kwargs,
    ):
        agreements = list(agreements)
        self.options: dict[str, ChoiceInput] = {}
        groups = []
        for activity in activities:
            destinations = destinations_for(activity, agreements)
            self.options.update((option.value, option.choice) for option in destinations)
            groups.append(
                (
                    activity_label(activity),
                    [(option.value, option.label) for option in destinations],
                )
            )
        self.ranks = range(1, application.call.max_choices + 1)
        kwargs.setdefault("initial", self._initial(application))
        super().__init__(*args, **kwargs)
        self.fields["motivation"].widget.attrs.update(char_counter_attrs(MOTIVATION_MAX_LENGTH))
        for rank in self.ranks:
            self.fields[self.rank_field(rank)] = forms.ChoiceField(
                label=_("Choice %(rank)s") % {"rank": rank},
                choices=[("", _("— no choice —")), *groups],
                required=False,
            )

    @staticmethod
    def rank_field(rank: int) -> str:
        return f"choice_{rank}"

    def _initial(self, application: Application) -> dict[str, str]:
        initial = {"motivation": application.motivation}
        for choice in application.choices.all():
            initial[self.rank_field(choice.rank)] = destination_value(
                choice.activity_id, choice.agreement_id
            )
        return initial

    def choice_inputs(self) -> list[ChoiceInput]:
        """The filled-in choices in rank order; an empty menu leaves no gap in the ranks."""
        values = (self.cleaned_data.get(self.rank_field(rank)) for rank in self.ranks)
        return [self.options[value] for value in values if value]


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document"),
        choices=[(kind.value, kind.label) for kind in DocumentKind if kind in STUDENT_DOCUMENTS],
    )
    file = forms.FileField(
        label=_("PDF file"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF only, at most %(limit)s. A new file replaces the one of the same kind."
        ) % {"limit": filesizeformat(settings.MAX_UPLOAD_SIZE)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_pdf(upload)
        return upload


class SubmitForm(forms.Form):
    """The submission. An application sent back for changes is submitted again with a word on
    what changed, optional; a first submission has nothing to say (no field)."""

    message = forms.CharField(
        label=_("What did you change?"),
        required=False,
        max_length=RESUBMISSION_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional: tell the international relations office what you changed since it asked "
            "for changes. It is kept in the history of your application."
        ),
    )

    def __init__(self, *args, resubmission: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not resubmission:
            del self.fields["message"]


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you withdraw, for the international relations office."),
    )
    # The state the page showed, and so what it said withdrawing gives up (a seat or not).
    seen_state = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)


class CourseLineForm(forms.ModelForm):
    class Meta:
        model = CourseLine
        fields = ["code", "title", "ects", "semester", "home_requirement"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ects"].widget.attrs["min"] = 0

    def clean(self):
        data = super().clean()
        # Control characters a copy from a word processor brings (a vertical tab): invisible,
        # and no XML can hold them (the EWP export).
        for name in ("code", "title", "semester", "home_requirement"):
            if isinstance(data.get(name), str):
                data[name] = CONTROL_CHARACTERS.sub("", data[name])
        return data


CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BaseCourseLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The kept lines' data, in the order shown; blank extra lines and removed lines are
        left out (a blank extra line has no cleaned data)."""
        return [
            {name: form.cleaned_data[name] for name in CourseLineForm.Meta.fields}
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


CourseLineFormSet = forms.formset_factory(
    CourseLineForm, formset=BaseCourseLineFormSet, extra=3, can_delete=True
)


def course_line_helper() -> FormHelper:
    """One course line per row on wide screens, every field with its label; the delete box
    on a line of its own below (in one twelfth of the row, "Supprimer" ran over the frame, and
    the ECTS box hid a number shown with its error mark)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        Row(
            Column("code", css_class="col-md-2"),
            Column("title", css_class="col-md-3"),
            Column("ects", css_class="col-md-2"),
            Column("semester", css_class="col-md-2"),
            Column("home_requirement", css_class="col-md-3"),
        ),
        Row(Column("DELETE", css_class="col-12")),
    )
    return helper
