import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse


@pytest.mark.django_db
def test_login_with_email_in_any_case_then_home(client, student, password):
    response = client.post(
        reverse("login"), {"username": "Student@Example.org", "password": password}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(student.pk)


@pytest.mark.django_db
def test_wrong_password_shows_error_and_stays_anonymous(client, student):
    response = client.post(
        reverse("login"), {"username": student.email, "password": "not-the-password"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The e-mail address or the password is wrong. Mind the password's capitals."),
        ("fr", "L'adresse e-mail ou le mot de passe est erroné. Attention aux majuscules"),
    ],
)
def test_a_failed_login_says_what_may_be_wrong_in_plain_words(client, student, language, message):
    response = client.post(
        reverse("login"),
        {"username": student.email, "password": "not-the-password"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    [error] = response.context["form"].non_field_errors()
    assert error.startswith(message)


@pytest.mark.django_db
def test_login_follows_next(client, student, password):
    target = reverse("password_change")
    response = client.post(
        reverse("login") + f"?next={target}",
        {"username": student.email, "password": password, "next": target},
    )
    assert response.url == target


@pytest.mark.django_db
def test_logout_ends_session(client, student):
    client.force_login(student)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_pages_require_login_except_catalogue_and_login(client):
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home.url.startswith(reverse("login"))
    assert client.get(reverse("password_change")).status_code == 302
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("programmes:catalogue")).status_code == 200
    assert client.get(reverse("programmes:programmes")).status_code == 200


@pytest.mark.django_db
def test_the_signed_in_student_comes_with_their_profile(client, student):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(student, backend="apps.accounts.backends.RoleBackend")
    client.get(reverse("applications:dashboard"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applications:dashboard"))
    assert response.context["profile"] == student.student_profile
    assert not [q for q in queries if q["sql"].startswith('SELECT "accounts_studentprofile"')]


@pytest.mark.django_db
def test_an_inactive_user_is_signed_out(client, student):
    client.force_login(student, backend="apps.accounts.backends.RoleBackend")
    student.is_active = False
    student.save()
    assert client.get(reverse("applications:dashboard")).status_code == 302
