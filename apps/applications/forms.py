import copy

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from apps.programmes.models import Partner
from apps.rules import InvalidPlan, parse_plan
from apps.rules.messages import Text, render
from apps.rules.published import regulations_for
from mobility_portal.collation import by_name

from .checking import engine_language
from .models import STUDY_KINDS, Activity, ActivityKind, MobilityPlan
from .plan_format import plan_document
from .services import ACTIVITY_FIELDS, edited_activity, normalise_activity

# Engine field paths of a one-activity plan, and the form field each problem belongs to.
ENGINE_FIELDS = {
    "kind": "kind",
    "start": "start",
    "end": "end",
    "country": "country",
    "ects": "ects",
    "ects_project": "ects_project",
    "internship.start": "internship_start",
    "internship.end": "internship_end",
    "internship.country": "internship_country",
    "internship": "internship_start",
    "summer_type": "summer_type",
    "last_obligation": "last_obligation",
}
ENGINE_PREFIX = "activities[0]."


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


# Two years of a double degree are 120 ECTS: beyond this no stay is meant (a typing slip).
MAX_ECTS = 300
PLAN_YEARS = (2000, 2100)
DATE_FIELDS = ("start", "end", "internship_start", "internship_end")


# The fields only some kinds carry, as the form shows them (data-kinds in
# plan_activity_form.html): another kind's field is hidden, and what it still holds (a value
# typed before the kind changed) is neither checked nor kept.
KIND_FIELDS = {
    "partner": STUDY_KINDS,
    "ects": STUDY_KINDS,
    "ects_project": {ActivityKind.EXCHANGE_YEAR},
    "internship_start": {ActivityKind.DOUBLE_DEGREE},
    "internship_end": {ActivityKind.DOUBLE_DEGREE},
    "internship_country": {ActivityKind.DOUBLE_DEGREE},
    "summer_type": {ActivityKind.SUMMER_STAY},
    "last_obligation": {ActivityKind.ENGINEERING_INTERNSHIP},
}


def within_plan_years(value) -> None:
    first, last = PLAN_YEARS
    if value is not None and not first <= value.year <= last:
        raise forms.ValidationError(
            _("Give a date between %(first)s and %(last)s.") % {"first": first, "last": last}
        )


class ActivityForm(forms.ModelForm):
    """An activity of the student's plan; the engine's own validation runs in `clean`, so the
    form refuses exactly what the regulations contract calls invalid input."""

    partner = forms.ModelChoiceField(
        queryset=Partner.objects.order_by(by_name()),
        required=False,
        label=_("Partner institution"),
        help_text=_("Leave empty for a host outside partnerships, and name it below."),
    )

    class Meta:
        model = Activity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "internship_start": DateInput(),
            "internship_end": DateInput(),
        }

    def __init__(self, *args, plan: MobilityPlan, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = self._without_other_kinds_fields(self.data)
        self.plan = plan
        # The activity as stored: validating the form writes the edit into the instance.
        self.stored = copy.copy(self.instance) if self.instance.pk else None
        self.fields["country"].required = False
        self.fields["country"].help_text = _("Taken from the partner when you choose one.")
        for name in ("ects", "ects_project"):
            self.fields[name].max_value = MAX_ECTS
            self.fields[name].validators.append(MaxValueValidator(MAX_ECTS))
            self.fields[name].widget.attrs["max"] = MAX_ECTS
        for name in DATE_FIELDS:
            self.fields[name].validators.append(within_plan_years)

    def _without_other_kinds_fields(self, data):
        """The data without the fields the chosen kind does not carry: hidden on the page, a
        value left there (400 final-project credits typed for a year, before the student
        chose a semester) was refused beside a field they could not see."""
        data = data.copy()
        kind = data.get(self.add_prefix("kind"))
        for name, kinds in KIND_FIELDS.items():
            if kind not in kinds:
                data.pop(self.add_prefix(name), None)
        return data

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            # Said as the engine says it, beside the last day. Left to the model, the dates
            # would meet its check constraint, which names itself at the top of the form.
            self.add_error(
                "end",
                render(Text("end_before_start", {"end": end, "start": start}), engine_language()),
            )
        kind = data.get("kind")
        ects, project = data.get("ects"), data.get("ects_project")
        if kind == ActivityKind.EXCHANGE_YEAR and None not in (ects, project) and project > ects:
            # The engine says "70 is more than ects (60)", naming its own field.
            self.add_error(
                "ects_project",
                _(
                    "The credits of the final project, thesis or internship (%(project)s) are "
                    "part of the planned ECTS credits (%(ects)s): they cannot be more."
                )
                % {"project": project, "ects": ects},
            )
        partner = data.get("partner")
        if partner is not None:
            data["country"] = partner.country
        elif self._left_empty(data, "country"):
            self.add_error("country", _("Choose the country of the host."))
        if kind in STUDY_KINDS:
            if partner is None and self._left_empty(data, "host_name"):
                self.add_error("host_name", _("Choose a partner or name the host."))
            if self._left_empty(data, "ects"):
                self.add_error("ects", _("Give the ECTS credits you plan to earn."))
        if kind == ActivityKind.SUMMER_STAY and self._left_empty(data, "summer_type"):
            self.add_error("summer_type", _("Choose the type of summer stay."))
        if kind == ActivityKind.DOUBLE_DEGREE:
            internship_days = ("internship_start", "internship_end")
            internship = [data.get(name) for name in internship_days]
            refused = any(name in self.errors for name in internship_days)
            if any(internship) and not all(internship) and not refused:
                self.add_error("internship_end", _("Give both days of the internship, or neither."))
            if any(internship) and self._left_empty(data, "internship_country"):
                self.add_error("internship_country", _("Choose the internship's country."))
        if not self.errors:
            self._engine_validation(data)
        return data

    def _left_empty(self, data, name: str) -> bool:
        """Empty, and not because the field refused what was typed: 500 ECTS were said to
        be too many, then asked for as if none had been given."""
        return name not in self.errors and data.get(name) in (None, "")

    def draft_activity(self) -> Activity:
        """The activity as entered, unsaved: what the live check and the engine look at."""
        activity = Activity(pk=self.instance.pk, plan=self.plan)
        for name in ACTIVITY_FIELDS:
            setattr(activity, name, self.cleaned_data.get(name))
        normalise_activity(activity)
        if self.stored is None:
            return activity
        return edited_activity(self.stored, activity)

    def _engine_validation(self, data) -> None:
        profile = self.plan.student.student_profile
        document = plan_document(self.plan, profile, [self.draft_activity()])
        try:
            parse_plan(document, engine_language(), regulations_for(self.plan.regulation))
        except InvalidPlan as invalid:
            for problem in invalid.problems:
                path = problem.path.removeprefix(ENGINE_PREFIX)
                field = ENGINE_FIELDS.get(path)
                self.add_error(field if field in self.fields else None, problem.message)


class StudentFactsForm(forms.ModelForm):
    class Meta:
        model = MobilityPlan
        fields = ["engineering_internship_validated", "full_year_internship_before_departure"]
