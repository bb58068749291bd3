"""Form widgets shared by the portal's pages."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .escaping import escaped


class FastSelect(forms.Select):
    """A <select> whose options are written in Python. Through the template engine each
    option costs a template render: the staff queue's 300-partner menu spent most of the
    page's time there. Same markup as Django's select.html, grouped options included."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = format_html_join(
            "", "{}", ((self._group(label, options),) for label, options, _ in widget["optgroups"])
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), groups
        )

    @staticmethod
    def _group(label, options) -> str:
        rendered = "".join(
            f'<option value="{escaped(option["value"])}"{_option_attrs(option["attrs"])}>'
            f"{escaped(option['label'])}</option>"
            for option in options
        )
        if label is None:
            return mark_safe(rendered)  # nosec B308 B703: options escaped as they are written
        return format_html('<optgroup label="{}">{}</optgroup>', label, mark_safe(rendered))  # nosec B308 B703: options escaped as they are written


SELECTED = {"selected": True}


def _option_attrs(attrs: dict) -> str:
    """flatatt(attrs) for an option's usual attributes (none, or selected), in a few steps."""
    if not attrs:
        return ""
    if attrs == SELECTED:
        return " selected"
    return flatatt(attrs)


def use_fast_selects(form: forms.Form) -> None:
    """Swap the plain selects of `form` (django-filter builds its own) for FastSelect."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            widget = FastSelect(attrs=field.widget.attrs)
            widget.choices = field.widget.choices
            field.widget = widget
