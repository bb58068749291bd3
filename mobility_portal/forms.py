"""Forms that render themselves with Bootstrap 5 markup through Django's own form rendering."""

from django import forms

from .form_rendering import bootstrap_form_html

_CHECKED_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def _bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, _CHECKED_WIDGETS):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def _add_class(widget: forms.Widget, name: str) -> None:
    classes = widget.attrs.get("class", "").split()
    if name not in classes:
        widget.attrs["class"] = " ".join([*classes, name])


class BootstrapForm(forms.Form):
    """`{{ form }}` gives the markup crispy-forms' `|crispy` gives for text, file, checkbox and
    radio fields, from one template (forms/bootstrap.html) at a fraction of its cost: crispy's
    layout machinery was a fifth of the staff dossier's time, which shows up to six small forms.
    Django adds the ARIA attributes (aria-describedby, aria-invalid) to the widgets, and the
    template to the fieldset of a group of radios or checkboxes. `{{ form }}` writes that
    template's markup in Python (mobility_portal/form_rendering.py): the same text, faster."""

    template_name = "forms/bootstrap.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # each form has its own copy of its fields
            if not field.widget.is_hidden:
                _add_class(field.widget, _bootstrap_class(field.widget))

    def render(self, template_name=None, context=None, renderer=None):
        # forms/bootstrap.html, written in Python (mobility_portal/form_rendering.py).
        if template_name is context is renderer is None and self.template_name == (
            BootstrapForm.template_name
        ):
            return bootstrap_form_html(self)
        return super().render(template_name, context, renderer)

    __str__ = render  # as RenderableMixin binds them, to its own render
    __html__ = render

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self._errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                _add_class(self.fields[name].widget, "is-invalid")
