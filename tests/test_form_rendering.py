"""The form markup written in Python (mobility_portal/form_rendering.py) is, character for
character, what the templates it replaces write: forms/bootstrap.html and its includes, and
Django's widget templates."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import translation

from apps.applications.models import ApplicationState
from apps.reviews.forms_dri import DECISIONS, InternalCommentForm, decision_form
from mobility_portal.form_rendering import FormRenderer
from mobility_portal.forms import BootstrapForm
from tests.reviews.dri.builders import in_state, submitted
from tests.test_forms import Everything

S = ApplicationState


def by_templates(form_class, *args, **kwargs) -> str:
    """The form as the templates write it: its layout and every widget."""
    form = form_class(*args, renderer=TemplatesSetting(), **kwargs)
    form.is_valid()
    return forms.Form.render(form)


def by_python(form_class, *args, **kwargs) -> str:
    form = form_class(*args, **kwargs)
    form.is_valid()
    return str(form)


class WithAHiddenError(Everything):
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WithTheirOwnErrors(Everything):
    def clean(self):
        raise forms.ValidationError("Something <odd> & wrong.")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"p-name": "", "p-score": "many", "p-seen": "<x>"},
        {"p-outcome": "maybe", "p-name": "Ada & <b>", "p-reason": "a\n<b>", "p-confirm": "on"},
        {"p-name": "Ada", "p-reason": "Because", "p-outcome": "yes", "p-score": "2.5"},
    ],
)
def test_a_form_of_every_kind_of_field_is_written_as_its_templates_write_it(data, language):
    with translation.override(language):
        for form_class in (Everything, WithAHiddenError, WithTheirOwnErrors):
            expected = by_templates(form_class, data, prefix="p")
            assert by_python(form_class, data, prefix="p") == expected


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.SUBMITTED, S.UNDER_REVIEW, S.NOMINATED, S.WITHDRAWN])
def test_the_dossier_forms_are_written_as_their_templates_write_them(state):
    application = in_state(submitted(), state)
    for name in DECISIONS:
        for data in (None, {}, {f"{name}-comment": "<b>x</b>", f"{name}-score": "x"}):
            form_class = type(decision_form(name, application))
            kwargs = {"application": application, "prefix": name}
            expected = by_templates(form_class, data, **kwargs)
            assert by_python(form_class, data, **kwargs) == expected, name
    for data in (None, {"comment-text": ""}, {"comment-text": "<i>x</i>"}):
        expected = by_templates(InternalCommentForm, data, prefix="comment")
        assert by_python(InternalCommentForm, data, prefix="comment") == expected


def test_a_widget_template_it_does_not_write_is_rendered_by_its_template():
    field = forms.ChoiceField(choices=[("a", "A")])
    assert FormRenderer().render(
        "django/forms/widgets/select.html",
        field.widget.get_context("f", "a", {"id": "id_f"}),
    ) == TemplatesSetting().render(
        "django/forms/widgets/select.html", field.widget.get_context("f", "a", {"id": "id_f"})
    )


class WithLabelsToLocalize(BootstrapForm):
    """Labels that are not text: `{{ label }}` localizes them (a French decimal comma, a date
    in words)."""

    credits = forms.ChoiceField(
        label="Credits",
        choices=[("7.5", Decimal("7.5")), ("2.5", 2.5)],
        widget=forms.RadioSelect,
    )
    day = forms.ChoiceField(
        label="Day", choices=[("d", date(2027, 9, 1))], widget=forms.RadioSelect
    )
    many = forms.MultipleChoiceField(
        label="Many", choices=[("1", Decimal("1.5"))], widget=forms.CheckboxSelectMultiple
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_choice_labels_that_are_not_text_are_localized_as_the_template_does(language):
    with translation.override(language):
        for data in (None, {"p-credits": "x"}):
            expected = by_templates(WithLabelsToLocalize, data, prefix="p")
            assert by_python(WithLabelsToLocalize, data, prefix="p") == expected


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_option_with_its_label_is_written_as_its_template_writes_it(language):
    """`{{ radio }}` for one option of a RadioSelect (BoundWidget.tag(wrap_label=True)): the
    input, the newline input.html ends with, then the label, localized and escaped."""
    labels = ['"><script>alert(1)</script>', Decimal("7.5"), date(2027, 9, 1), "l'étudiant"]

    class Form(forms.Form):
        pick = forms.ChoiceField(choices=list(enumerate(labels)), widget=forms.RadioSelect)
        ticks = forms.MultipleChoiceField(
            choices=list(enumerate(labels)), widget=forms.CheckboxSelectMultiple
        )

    with translation.override(language):
        for name in ("pick", "ticks"):
            expected = [str(option) for option in Form(renderer=TemplatesSetting())[name]]
            assert [str(option) for option in Form()[name]] == expected
