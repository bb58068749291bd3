"""The form templates the staff dossier renders most, written in Python.

Django renders each widget through a template (an <input> through input.html and attrs.html),
and a BootstrapForm through forms/bootstrap.html with two includes: rendering its four or five
small forms was about a third of the staff dossier's time. `FormRenderer` writes the plain
<input>, <textarea> and radio/checkbox option templates in Python, and `bootstrap_form_html`
the layout of forms/bootstrap.html, each character for character what the template writes
(tests/test_form_rendering.py compares both on every BootstrapForm of the project). Any other
template, or a context they do not expect, is rendered by its template as before.
"""

from collections.abc import Callable

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, pgettext

WIDGETS = "django/forms/widgets/"

# Widget templates that are `{% include "django/forms/widgets/input.html" %}` and nothing else.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "checkbox",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "file",
        "color",
    )
)
OPTION_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html" for name in ("input_option", "radio_option", "checkbox_option")
)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the text of the value, escaped unless marked safe."""
    if isinstance(value, tuple):
        value = str(value)
    text = str(value)  # what "%s" writes
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _text(value) -> str:
    """`{{ value }}`: localized (a number, a date) and escaped, as the template writes it."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _option(widget: dict) -> str | None:
    """django/forms/widgets/input_option.html (a radio's or a checkbox's option) without its
    label, as BootstrapForm writes it (`option.tag`). An option with its label (`{{ option }}`)
    is written by the template: the newline input.html ends with, the label localized."""
    if widget.get("wrap_label"):
        return None
    return _input(widget)


def _textarea(widget: dict) -> str | None:
    """django/forms/widgets/textarea.html (stripped, as the renderer strips it)."""
    value = widget["value"]
    if value is not None and not isinstance(value, str):
        return None  # written by the template, which localizes it
    text = conditional_escape(value) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{text}</textarea>"
    )


def _writer(template_name: str) -> Callable[[dict], str | None] | None:
    if template_name in INPUT_TEMPLATES:
        return _input
    if template_name in OPTION_TEMPLATES:
        return _option
    if template_name == f"{WIDGETS}textarea.html":
        return _textarea
    return None


class FormRenderer(TemplatesSetting):
    """TemplatesSetting (form templates looked up like pages'), with the simplest widget
    templates written in Python."""

    def render(self, template_name, context, request=None):
        writer = _writer(template_name)
        widget = context.get("widget") if writer is not None and request is None else None
        if isinstance(widget, dict):
            html = writer(widget)
            if html is not None:
                return html
        return super().render(template_name, context, request)


# --- forms/bootstrap.html ---------------------------------------------------------------


def _errors_html(form: forms.Form, top_errors: list) -> str:
    """includes/form_errors.html with top_errors."""
    if not (form.errors or top_errors):
        return ""
    listed = top_errors or form.non_field_errors()
    colon = conditional_escape(pgettext("between a label and what follows", ":"))
    lines = "".join(f"<li>{conditional_escape(error)}</li>" for error in listed)
    fields = "".join(
        f'<li><a class="alert-link" href="#{_anchor(field)}">'
        f"{_text(field.label)}</a>{colon} {conditional_escape(error)}</li>"
        for field in form.visible_fields()
        for error in field.errors
    )
    return (
        f'<div class="alert alert-danger" role="alert"><ul class="list-unstyled mb-0">\n'
        f"{lines}\n{fields}\n</ul></div>"
    )


def _anchor(field: forms.BoundField) -> str:
    id_ = field.id_for_label
    return conditional_escape(id_) if id_ else f"{conditional_escape(field.auto_id)}_0"


def _notes(field: forms.BoundField) -> str:
    """forms/bootstrap_field_notes.html."""
    auto_id = conditional_escape(field.auto_id)
    errors = field.errors
    error_html = (
        f'<div id="{auto_id}_error" class="invalid-feedback d-block">'
        + "".join(f"<p><strong>{conditional_escape(error)}</strong></p>" for error in errors)
        + "</div>"
        if errors
        else ""
    )
    help_text = field.help_text
    help_html = (
        f'<div id="{auto_id}_helptext" class="form-text">{help_text}</div>' if help_text else ""
    )
    return f"{error_html}\n{help_html}\n"


def _field(field: forms.BoundField) -> str:
    kind = field.widget_type
    required = field.field.required
    required_class = " requiredField" if required else ""
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    label = _text(field.label)
    auto_id = conditional_escape(field.auto_id)
    if kind == "checkbox":
        return (
            f'\n<div class="mb-3"><div id="div_{auto_id}" class="form-check">\n'
            f"  {field}\n"
            f'  <label for="{conditional_escape(field.id_for_label)}" '
            f'class="form-check-label{required_class}">{label}{asterisk}</label>\n'
            f"  {_notes(field)}\n</div></div>\n"
        )
    if kind in ("radioselect", "checkboxselectmultiple"):
        described = field.aria_describedby
        described_by = f' aria-describedby="{conditional_escape(described)}"' if described else ""
        options = "".join(
            f'<div class="form-check">{option.tag()}<label for="'
            f'{conditional_escape(option.id_for_label)}" class="form-check-label">'
            f"{_text(option.choice_label)}</label></div>"
            for option in field
        )
        return (
            f'\n<div id="div_{auto_id}" class="mb-3"><fieldset{described_by}>\n'
            f'  <legend class="form-label fs-6{required_class}">{label}{asterisk}</legend>\n'
            f"  {options}\n"
            f"  {_notes(field)}\n</fieldset></div>\n"
        )
    return (
        f'\n<div id="div_{auto_id}" class="mb-3">\n'
        f'  <label for="{conditional_escape(field.id_for_label)}" '
        f'class="form-label{required_class}">{label}{asterisk}</label>\n'
        f"  {field}\n"
        f"  {_notes(field)}\n</div>\n"
    )


def bootstrap_form_html(form: forms.Form) -> SafeString:
    """forms/bootstrap.html for `form`, stripped as the form renderer strips it."""
    top_errors = form.non_field_errors().copy()
    hidden, visible = [], []
    for name, field in form._bound_items():
        if field.is_hidden:
            if field.errors:
                top_errors += [
                    gettext("(Hidden field %(name)s) %(error)s")
                    % {"name": name, "error": str(error)}
                    for error in field.errors
                ]
            hidden.append(field)
        else:
            visible.append(field)
    # The newlines the template's lines and tags leave, kept: the same text.
    html = (
        f"\n{_errors_html(form, top_errors)}\n\n"
        + "".join(str(field) for field in hidden)
        + "\n"
        + "".join(f"\n{_field(field)}\n" for field in visible)
    )
    return mark_safe(html.strip())  # nosec B308 B703: fields and errors escaped by their own rendering
