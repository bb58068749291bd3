"""What the pages give static/js/unsaved-forms.js (the browser's side is tested in
tests/e2e/test_unsaved_forms.py): the script on every page, its note in the page's language,
the language switch marked as such, and a page answering a form marked as one."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.applications.factories import login
from tests.applications.plan_helpers import activity_post_data

KEPT = "What you typed before changing the language is back in the form. It is not saved yet."
MAIN = re.compile(r"<main [^>]*>")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_loads_the_script_with_its_note_in_the_pages_language(client, language):
    response = client.get(reverse("programmes:catalogue"), HTTP_ACCEPT_LANGUAGE=language)
    content = response.content.decode()
    assert '<script src="/static/js/unsaved-forms.js"></script>' in content
    with translation.override(language):
        note = translation.gettext(KEPT)
    assert f'data-unsaved-kept="{note}"' in content


@pytest.mark.django_db
def test_the_language_switch_is_marked_for_the_script(client, student):
    """Signed out, the switch is in the bar; signed in, in the person's own menu."""
    switch = re.compile(r'<form action="/i18n/setlang/" method="post" data-language-switch>')
    assert switch.search(client.get(reverse("programmes:catalogue")).content.decode())
    login(client, student)
    assert switch.search(client.get(reverse("applications:plan")).content.decode())


@pytest.mark.django_db
def test_a_page_answering_a_form_is_marked_as_such(client, student):
    """The form back with its error shows what was sent: the switch keeps all of it, as the
    page it leads back to shows the form empty."""
    login(client, student)
    url = reverse("applications:activity_add")
    shown = client.get(url).content.decode()
    assert "data-form-answer" not in MAIN.search(shown).group()

    answer = client.post(url, activity_post_data(kind="exchange_semester", start=""))
    assert answer.status_code == 400  # the form back with its error
    assert "is-invalid" in answer.content.decode()
    assert "data-form-answer" in MAIN.search(answer.content.decode()).group()
