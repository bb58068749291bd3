import re

import pytest
from django import forms

from mobility_portal.widgets import FastSelect, use_fast_selects


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    "choices",
    [
        [("", "All"), ("DE", "Germany"), ("FR", "France & <Outre-mer>")],
        [("Europe", [("DE", "Germany"), ("IT", "Italy")]), ("Asia", [("JP", "Japan")])],
    ],
)
@pytest.mark.parametrize("value", ["", "DE", "JP"])
def test_fast_select_writes_what_djangos_select_writes(choices, value):
    attrs = {"class": "form-select", "id": "id_country"}
    expected = forms.Select(choices=choices).render("country", value, attrs)
    assert normalised(FastSelect(choices=choices).render("country", value, attrs)) == normalised(
        expected
    )


def test_only_plain_selects_are_swapped():
    class Filters(forms.Form):
        country = forms.ChoiceField(choices=[("DE", "Germany")])
        answer = forms.NullBooleanField(widget=forms.Select(choices=[("", "All"), (True, "Yes")]))
        text = forms.CharField()
        many = forms.MultipleChoiceField(choices=[("a", "A")])

    form = Filters()
    use_fast_selects(form)
    kinds = {name: type(field.widget) for name, field in form.fields.items()}
    assert kinds["country"] is FastSelect and kinds["answer"] is FastSelect
    assert kinds["text"] is forms.TextInput and kinds["many"] is forms.SelectMultiple
    assert 'value="True"' in str(form["answer"])
