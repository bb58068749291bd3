"""The form the DRI publishes a new regulation version with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.rules.published import PARAMETER_LABELS, current_regulations
from apps.rules.versions import PARAMETERS, RegulationVersion
from mobility_portal.forms import BootstrapForm

from .services.regulations import (
    LIMITS,
    figure_problems,
    name_problem,
    same_publication,
    unit_of,
)


def suggested_name(current: str) -> str:
    """The next year's name after a year's (2024 -> 2025), else nothing to suggest."""
    return str(int(current) + 1) if current.isdigit() and len(current) == 4 else ""


class RegulationPublishForm(BootstrapForm):
    name = forms.CharField(
        label=_("Name of the new version"),
        max_length=16,
        help_text=_("Usually the year it applies from, for example 2025."),
    )
    note = forms.CharField(
        label=_("What changes"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the version: which figures change and why."),
    )
    # The version the figures started from and are compared with on the confirmation.
    based_on = forms.CharField(widget=forms.HiddenInput, max_length=16)

    def __init__(self, *args, current: RegulationVersion, actor=None, **kwargs):
        # With the DRI sending the form, their own publication sent again (a double click) is
        # not refused for its name: the service publishes it once.
        self.actor = actor
        kwargs.setdefault(
            "initial",
            {
                "based_on": current.name,
                "name": suggested_name(current.name),
                **{parameter: getattr(current, parameter) for parameter in PARAMETERS},
            },
        )
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_based_on(self) -> str:
        based_on = self.cleaned_data["based_on"]
        if based_on not in current_regulations(fresh=True).versions:
            raise forms.ValidationError(_("Start again from the current version."))
        return based_on

    def clean(self):
        cleaned = super().clean()
        if all(parameter in cleaned for parameter in PARAMETERS):
            for parameter, problem in figure_problems(cleaned).items():
                self.add_error(parameter, problem)
        name = cleaned.get("name")
        problem = name_problem(name) if name else None
        if problem and not self._sent_again(cleaned):
            self.add_error("name", problem)
        return cleaned

    def _sent_again(self, cleaned: dict) -> bool:
        """The DRI's own publication, the very same, sent again (a double click): let through,
        the service publishes it once."""
        if self.actor is None or self.errors:
            return False
        note = cleaned.get("note", "")
        repeated = same_publication(
            actor=self.actor, name=cleaned["name"], figures=cleaned, note=note
        )
        return repeated is not None

    @property
    def figures(self) -> dict[str, int]:
        return {parameter: self.cleaned_data[parameter] for parameter in PARAMETERS}


# One field per figure of a version, in the order of the regulations' data.
for _parameter in PARAMETERS:
    RegulationPublishForm.base_fields[_parameter] = forms.IntegerField(
        label=PARAMETER_LABELS[_parameter], min_value=1, max_value=LIMITS[unit_of(_parameter)]
    )
