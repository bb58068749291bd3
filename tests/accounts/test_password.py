import re

import pytest
from django.core import mail
from django.urls import reverse


@pytest.mark.django_db
def test_password_change(client, student, password):
    client.force_login(student)
    new_password = "a-much-longer-new-secret-42"
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password(new_password)


@pytest.mark.django_db
def test_password_change_rejects_short_password(client, student, password):
    client.force_login(student)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "short1", "new_password2": "short1"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    student.refresh_from_db()
    assert student.check_password(password)


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client, student):
    response = client.post(reverse("password_reset"), {"email": student.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [student.email]
    link = re.search(r"https?://[^/]+(/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "reset-password-that-is-long"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    student.refresh_from_db()
    assert student.check_password(new_password)


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_reset_is_mailed_once_per_address_in_five_minutes(client, student, mailoutbox):
    """The form answered every request with a mail: anyone could fill a person's mailbox."""
    for typed in (student.email, student.email.upper(), student.email):
        response = client.post(reverse("password_reset"), {"email": typed})
        assert response.status_code == 302  # the same answer every time
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_reset_still_goes_out_when_the_cache_is_away(client, student, mailoutbox, monkeypatch):
    from apps.accounts import forms

    def cache_away(*_args, **_kwargs):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(forms.cache, "add", cache_away)
    response = client.post(reverse("password_reset"), {"email": student.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject"), [("en", "choose a new password"), ("fr", "choisissez")]
)
def test_the_reset_mail_is_in_the_accounts_language_whatever_the_pages(
    client, student, mailoutbox, language, subject
):
    student.language = language
    student.save(update_fields=["language"])
    page_language = "fr" if language == "en" else "en"
    client.cookies["django_language"] = page_language
    client.post(reverse("password_reset"), {"email": student.email})
    [message] = mailoutbox
    assert subject in message.subject


@pytest.mark.django_db
def test_the_reset_link_names_the_portals_address_not_the_requests_host(client, student, settings):
    """Any name in ALLOWED_HOSTS reaches the portal (a balancer's health-check name too): the
    link sent must not follow the Host header a request chose."""
    settings.SITE_URL = "https://mobility.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "internal.example"]
    response = client.post(
        reverse("password_reset"), {"email": student.email}, HTTP_HOST="internal.example"
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "https://mobility.example.org/accounts/password/reset/" in message.body
    assert "internal.example" not in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label"), [("fr", "Adresse e-mail"), ("en", "E-mail address")]
)
def test_the_reset_form_names_the_address_as_the_login_form_does(client, language, label):
    """Django's own label ("Courriel", "Email") named differently the address the student
    logs in with."""
    page = client.get(reverse("password_reset"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert re.search(rf'<label\s+for="id_email"[^>]*>\s*{label}', page)
    assert 'autocomplete="email"' in page
