"""BootstrapForm writes the fields crispy-forms wrote for the same form, for less."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template

from mobility_portal.forms import BootstrapForm

# Classes crispy adds that no stylesheet or script of the portal reads.
CRISPY_ONLY = {"textarea", "checkboxinput", "numberinput", "clearablefileinput", "textinput"}


class Everything(BootstrapForm):
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="Name", help_text="As on your passport.")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))
    score = forms.DecimalField(label="Score", required=False)
    outcome = forms.ChoiceField(
        label="Outcome", choices=[("yes", "Accepted"), ("no", "Refused")], widget=forms.RadioSelect
    )
    letter = forms.FileField(label="Letter")
    confirm = forms.BooleanField(label="I confirm")


class Fields(HTMLParser):
    """Each control with what a browser and a screen reader use of it, and each label."""

    def __init__(self, html: str):
        super().__init__()
        self.controls: dict[str, dict] = {}
        self.labels: dict[str, str] = {}
        self.helps: set[str] = set()
        self.fieldsets: list[str | None] = []
        self._label_for: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea", "select"):
            self.controls[attrs["id"]] = {
                "tag": tag,
                "name": attrs.get("name"),
                "type": attrs.get("type"),
                "classes": set((attrs.get("class") or "").split()) - CRISPY_ONLY,
                "required": "required" in attrs,
                "invalid": attrs.get("aria-invalid"),
                "describedby": attrs.get("aria-describedby"),
            }
        elif tag == "fieldset":
            self.fieldsets.append(attrs.get("aria-describedby"))
        elif tag in ("label", "legend"):
            self._label_for = attrs.get("for", "legend")
            self.labels[self._label_for] = ""
        elif "form-text" in (attrs.get("class") or ""):
            self.helps.add(attrs.get("id"))

    def handle_endtag(self, tag):
        if tag in ("label", "legend"):
            self._label_for = None

    def handle_data(self, data):
        if self._label_for is not None:
            self.labels[self._label_for] += data.strip()


def rendered(form, with_crispy: bool) -> Fields:
    template = "{% load crispy_forms_tags %}{{ form|crispy }}" if with_crispy else "{{ form }}"
    return Fields(Template(template).render(Context({"form": form})))


@pytest.mark.parametrize(
    "data", [None, {"p-name": "", "p-score": "many"}, {"p-outcome": "maybe", "p-name": "Ada"}]
)
def test_the_markup_is_crispys_for_every_kind_of_field(data):
    form = Everything(data, prefix="p")
    if data:
        assert not form.is_valid()
    ours, crispys = rendered(form, with_crispy=False), rendered(form, with_crispy=True)
    assert ours.controls == crispys.controls
    assert ours.labels == crispys.labels
    assert ours.fieldsets == crispys.fieldsets
    assert ours.helps == crispys.helps == {"id_p-name_helptext"}


def test_errors_are_shown_under_their_field_and_marked_invalid():
    form = Everything({"p-name": "", "p-score": "many"}, prefix="p")
    form.is_valid()
    html = Template("{{ form }}").render(Context({"form": form}))
    fields = Fields(html)
    assert "is-invalid" in fields.controls["id_p-name"]["classes"]
    assert fields.controls["id_p-name"]["invalid"] == "true"
    assert "id_p-score_error" in fields.controls["id_p-score"]["describedby"]
    assert 'id="id_p-score_error" class="invalid-feedback d-block"' in html
    assert str(form.errors["score"][0]) in html


def test_an_error_added_by_the_view_marks_its_field():
    form = Everything({"p-name": "Ada"}, prefix="p")
    form.is_valid()
    form.add_error("letter", "The file is not a PDF.")
    assert "is-invalid" in form.fields["letter"].widget.attrs["class"]


def test_each_form_has_its_own_classes():
    Everything({"p-name": ""}, prefix="p").is_valid()
    fresh = Everything(prefix="p")
    assert fresh.fields["name"].widget.attrs["class"] == "form-control"
    assert "class" not in Everything.base_fields["name"].widget.attrs
    assert fresh.fields["confirm"].widget.attrs["class"] == "form-check-input"
    assert "class" not in fresh.fields["seen"].widget.attrs
