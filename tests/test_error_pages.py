"""Errors answer with the portal's own pages, in the reader's language, with a way back."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Page introuvable"), ("en", "Page not found")]
)
def test_a_missing_page_is_the_portals_own(client, student, language, title):
    client.force_login(student)
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    content = response.content.decode()
    assert f'<h1 class="h3">{title}</h1>' in content
    assert f'href="{reverse("home")}"' in content
    assert 'id="main"' in content


@pytest.mark.django_db
def test_a_refused_page_is_the_portals_own(client, student):
    client.force_login(student)
    response = client.get(reverse("reviews:queue"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert '<h1 class="h3">Access refused</h1>' in response.content.decode()


@pytest.mark.django_db
def test_an_expired_form_says_so_and_that_nothing_was_saved(student):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(student)
    response = browser.post(reverse("applications:plan_facts"), {}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    content = response.content.decode()
    assert "Ce formulaire a expiré" in content
    assert "rien n'a été enregistré" in content


def test_a_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        page = render_to_string("500.html")
    assert "Something went wrong on our side" in page
    assert 'href="/"' in page
