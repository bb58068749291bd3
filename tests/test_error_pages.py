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
    content = response.content.decode()
    assert '<h1 class="h3">Access refused</h1>' in content
    assert "ask the international relations office" in content


@pytest.mark.django_db
def test_a_refused_page_sends_staff_to_the_administrators_not_to_themselves(client, dri):
    """The office itself, or an advisor, is not told to ask the international relations office."""
    client.force_login(dri)
    response = client.get(reverse("reviews:erasure_requests"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    content = response.content.decode()
    assert "ask the portal's administrators" in content
    assert "international relations office" not in content


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [("fr", "Cette adresse reçoit un formulaire"), ("en", "This address receives a form")],
)
def test_an_address_that_only_receives_a_form_is_the_portals_own_page(
    client, student, language, title
):
    """Reached by Back, a reload, the language switch or a login after a session ended, an
    address that only receives a form showed the browser's bare "HTTP ERROR 405" page."""
    from tests.applications.factories import complete_application

    application = complete_application(student)
    client.force_login(student)
    response = client.get(
        reverse("applications:application_submit", args=[application.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    content = response.content.decode()
    if language == "en":
        assert f'<h1 class="h3">{title}</h1>' in content
    page = reverse("applications:application_detail", args=[application.pk])
    assert f'href="{page}"' in content
    assert 'id="main"' in content


@pytest.mark.django_db
def test_the_way_back_climbs_to_a_page_that_exists(client, student):
    client.force_login(student)
    # /notifications/1/ is no page: the way back is /notifications/.
    response = client.get(reverse("notifications:open", args=[1]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert f'href="{reverse("notifications:list")}"' in response.content.decode()
