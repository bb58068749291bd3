"""A form sent after its reader was signed out (the staff's 30 idle minutes, a logout in another
tab) leads to the login page and from there back to the page the form was on, saying that
nothing was saved: the login used to lead to the address the form posts to, a POST-only view,
where the browser showed its own "HTTP ERROR 405" page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.applications.factories import messages_of
from tests.reviews.dri.builders import submitted

PASSWORD = "a-Strong-password-2026"


@pytest.mark.django_db
def test_a_form_sent_signed_out_leads_back_to_its_page_after_login(client, dri, student):
    application = submitted(student)
    page = reverse("reviews:dossier", args=[application.pk])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(
        reverse("reviews:dossier_comment", args=[application.pk]),
        {"comment-text": "Called the registrar."},
        HTTP_REFERER=f"http://testserver{page}?state=submitted",
    )
    assert response.status_code == 302
    login_url = urlsplit(response.url)
    assert login_url.path == reverse("login")
    assert parse_qs(login_url.query)["next"] == [f"{page}?state=submitted"]
    assert messages_of(response) == [
        "Your session had ended, so the form was not sent and nothing was saved. Log in, then "
        "send it again."
    ]
    dri.set_password(PASSWORD)
    dri.save()
    login_page = client.get(response.url)
    response = client.post(
        response.url,
        {"username": dri.email, "password": PASSWORD, "next": login_page.context["next"]},
    )
    assert response.status_code == 302
    assert response.url == f"{page}?state=submitted"
    assert client.get(response.url).status_code == 200
    assert not application.internal_comments.exists()


@pytest.mark.django_db
def test_without_a_page_of_the_portal_to_go_back_to_the_login_leads_home(client):
    for referer in (None, "https://elsewhere.example/phishing/"):
        extra = {"HTTP_REFERER": referer} if referer else {}
        response = client.post(reverse("applications:activity_add"), {}, **extra)
        assert response.status_code == 302
        assert response.url == reverse("login")


@pytest.mark.django_db
def test_a_page_asked_for_signed_out_still_leads_back_to_itself(client):
    response = client.get(reverse("applications:plan"))
    assert response.url == "/accounts/login/?next=/plan/"


@pytest.mark.django_db
def test_logging_out_once_the_session_ended_just_leaves_the_reader_signed_out(client):
    """Not "log in, then send it again": the login used to lead on to the logout address."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(reverse("logout"), HTTP_REFERER="http://testserver/plan/")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert messages_of(response) == []
