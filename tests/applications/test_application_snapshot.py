"""The plan as it was when the application was sent, as the student and the staff read it."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation


@pytest.mark.parametrize(
    ("days", "words"),
    [(1, "1 qualifying day abroad"), (0, "0 qualifying days abroad"), (200, "200 qualifying days")],
)
def test_the_qualifying_days_are_counted_in_the_singular_or_the_plural(days, words):
    """ "1 qualifying days abroad" in English, and French, whose singular also takes 0, had
    one form for every count."""
    snapshot = SimpleNamespace(compliant=True, regulation="2024", qualifying_days=days, findings=[])
    with translation.override("en"):
        html = render_to_string(
            "applications/includes/application_snapshot.html", {"snapshot": snapshot}
        )
    assert f"Regulations version 2024 · {words}" in html
