"""A part of a page that htmx updates (the plan's live check, the re-check's progress), asked
for after its reader was signed out (in another tab, or the session ended), gets a note saying
so with a way to log in, not the login page: followed by the request and swapped in whole, it
nested a second page in the live check, whose e-mail box took the focus from the field the
student was typing in."""

import pytest
from django.urls import reverse

from tests.applications.plan_helpers import activity_post_data

LIVE = "applications:plan_live_check"
FORM_PAGE = "http://testserver/plan/activities/new/"


@pytest.mark.django_db
def test_a_signed_out_live_check_gets_a_note_not_the_login_page(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(
        reverse(LIVE),
        activity_post_data(),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=FORM_PAGE,
    )
    assert response.status_code == 200  # htmx swaps only a success
    content = response.content.decode()
    assert "<html" not in content
    assert "autofocus" not in content
    assert 'name="password"' not in content
    assert "You are no longer signed in" in content
    assert 'href="/accounts/login/?next=/plan/activities/new/"' in content
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_login_link_leads_back_only_to_a_page_of_the_portal(client):
    response = client.post(
        reverse(LIVE),
        activity_post_data(),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="https://elsewhere.example/phishing/",
    )
    content = response.content.decode()
    assert 'href="/accounts/login/"' in content
    assert "elsewhere" not in content


@pytest.mark.django_db
def test_a_signed_out_page_still_goes_to_the_login_page(client):
    response = client.get(reverse("applications:plan"))
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/plan/"
