import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.django_db
def test_french_by_default(client):
    response = client.get(reverse("programmes:catalogue"))
    assert response.headers["Content-Language"] == "fr"
    assert "Catalogue des partenaires" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client):
    catalogue = reverse("programmes:catalogue")
    switched = client.post(reverse("set_language"), {"language": "en", "next": catalogue})
    assert switched.status_code == 302
    assert switched.url == catalogue
    english = client.get(catalogue)
    assert english.headers["Content-Language"] == "en"
    assert "Partner catalogue" in english.content.decode()

    client.post(reverse("set_language"), {"language": "fr", "next": catalogue})
    assert "Catalogue des partenaires" in client.get(catalogue).content.decode()


@pytest.mark.django_db
def test_switch_button_offers_the_other_language(client):
    content = client.get(reverse("programmes:catalogue")).content.decode()
    assert 'name="language" value="en"' in content


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "label"), [("fr", "Erreur\u00a0:"), ("en", "Error:")])
def test_a_label_and_its_colon_follow_each_languages_typography(client, student, language, label):
    from tests.applications.plan_helpers import activity_post_data

    client.force_login(student)
    response = client.post(
        reverse("applications:plan_live_check"),
        activity_post_data(ects=25),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert f"<strong>{label}</strong>" in response.content.decode()


TEMPLATE_DIRS = [
    Path(settings.BASE_DIR) / "templates",
    *Path(settings.BASE_DIR).glob("apps/*/templates"),
]
# Text the catalogue translates, whose colons each language writes its own way.
TRANSLATED = re.compile(r"{% blocktranslate.*?{% endblocktranslate %}", re.DOTALL)
# A colon written in the page itself, after a value or a tag: French wants a space before it.
BARE_COLON = re.compile(r"(}}|%}|</strong>|</b>|</dt>)\s*:(\s|<)")


def test_no_page_writes_a_colon_of_its_own_after_a_label():
    """A label and its colon go through the catalogue (`{% translate ":" context "between a
    label and what follows" %}`): written in the template, French pages read "DFI:" where
    they write "DFI :"."""
    bare = []
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*"):
            if template.suffix not in (".html", ".txt", ".svg"):
                continue
            source = TRANSLATED.sub("", template.read_text())
            bare += [f"{template.name}: {m.group(0)!r}" for m in BARE_COLON.finditer(source)]
    assert bare == []


def test_every_field_of_the_portals_models_is_named_through_the_catalogue():
    """A field without a translated verbose name is named by its attribute, in English, on
    every French form, column and error that names it (Document.uploaded_by: "uploaded by")."""
    from django.apps import apps
    from django.utils.functional import Promise

    untranslated = [
        f"{model.__name__}.{field.name}: {field.verbose_name!r}"
        for model in apps.get_models()
        if model.__module__.startswith("apps.")
        for field in model._meta.get_fields()
        if (field.concrete or field.many_to_many)
        and not field.auto_created
        and not isinstance(field.verbose_name, Promise)
    ]
    assert untranslated == []


def test_no_page_joins_a_list_with_a_semicolon_of_its_own():
    """Items joined in the template with ";" read "complet; plus aucune place" on French
    pages, which write "complet ; plus aucune place": the separator comes from the catalogue
    (`{% translate "; " context "between two items of a list" as separator %}`)."""
    bare = []
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*"):
            if template.suffix in (".html", ".txt", ".svg"):
                source = template.read_text()
                separators = re.findall(r'join:"\s*;\s*"|%}\s*;\s*{%', source)
                bare += [f"{template.name}: {m}" for m in separators]
    assert bare == []


def test_no_page_writes_a_percent_sign_of_its_own_after_a_figure():
    """ "40%" on French pages, which write "40 %": the figure and its sign go through the
    catalogue. Widths in style attributes are CSS, not text."""
    bare = []
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*"):
            if template.suffix in (".html", ".txt", ".svg"):
                source = re.sub(
                    r'(style|width)="[^"]*"', "", TRANSLATED.sub("", template.read_text())
                )
                bare += [f"{template.name}: {m}" for m in re.findall(r"}}\s*%", source)]
    assert bare == []
