"""An administrator (the role, not a superuser) manages accounts, roles and student profiles
in the admin: the capability existed and nothing granted it, so they got a 403. They cannot
make anyone a superuser, give a group's permissions, nor change a superuser."""

from datetime import datetime

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.roles import Role
from tests.factories import StudentProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return UserFactory(role=Role.ADMIN, is_superuser=False)


def change_url(user) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_an_administrator_lists_accounts_and_assigns_an_advisor(client, administrator):
    profile = StudentProfileFactory(advisor=None)
    advisor = UserFactory(role=Role.ADVISOR)
    client.force_login(administrator)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    url = reverse("admin:accounts_studentprofile_change", args=[profile.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: "" if value is None else value
        for name, value in ((name, form[name].value()) for name in form.fields)
    }
    response = client.post(url, {**data, "advisor": advisor.pk})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.advisor == advisor


def test_the_superuser_flag_is_not_theirs_to_give(client, administrator):
    student = StudentProfileFactory().user
    client.force_login(administrator)
    page = client.get(change_url(student))
    assert page.status_code == 200
    assert "is_superuser" not in page.context["adminform"].form.fields
    assert "groups" not in page.context["adminform"].form.fields
    client.post(
        change_url(administrator),
        {"email": administrator.email, "role": Role.ADMIN, "is_superuser": "on"},
    )
    administrator.refresh_from_db()
    assert administrator.is_superuser is False


def test_a_superuser_account_is_not_theirs_to_change(client, administrator):
    root = UserFactory(role=Role.ADMIN, is_superuser=True)
    client.force_login(administrator)
    assert client.post(change_url(root), {"email": "taken@example.org"}).status_code == 403
    delete = reverse("admin:accounts_user_delete", args=[root.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=root.pk, email=root.email).exists()


@pytest.mark.parametrize("role", [Role.DRI, Role.DFI, Role.ADVISOR])
def test_other_staff_still_cannot(client, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code in (302, 403)


def user_form_data(client, user) -> dict:
    """The change page's user fields and its student profile inline, as the browser sends
    them."""
    page = client.get(change_url(user))
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if name == "password" or value is None or value is False:
            continue
        if isinstance(value, datetime):  # the admin's split date and time boxes
            data[f"{name}_0"], data[f"{name}_1"] = value.date(), value.time()
            continue
        data[name] = "on" if value is True else value
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None and value is not False:
                    data[inline_form.add_prefix(name)] = value
    return data


def test_an_advisor_with_students_keeps_the_role_until_they_have_another(client, administrator):
    """Made a student (or closed), an advisor left their students' course plans waiting in a
    queue nobody could read."""
    advisor = UserFactory(role=Role.ADVISOR)
    StudentProfileFactory(advisor=advisor)
    client.force_login(administrator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages as written
    for change in ({"role": Role.STUDENT}, {"is_active": ""}):
        data = {**user_form_data(client, advisor), **change}
        response = client.post(change_url(advisor), data)
        assert response.status_code == 200
        assert "1 student has this study advisor" in response.content.decode()
        advisor.refresh_from_db()
        assert advisor.role == Role.ADVISOR and advisor.is_active
    delete = reverse("admin:accounts_user_delete", args=[advisor.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    # Without students, the role changes.
    StudentProfileFactory._meta.model.objects.filter(advisor=advisor).update(advisor=None)
    data = {**user_form_data(client, advisor), "role": Role.DFI}
    assert client.post(change_url(advisor), data).status_code == 302
    advisor.refresh_from_db()
    assert advisor.role == Role.DFI


def test_an_administrator_cannot_lock_themselves_out(client, administrator):
    UserFactory(role=Role.ADMIN, is_superuser=False)  # another one: not the last
    client.force_login(administrator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages as written
    for change in ({"role": Role.STUDENT}, {"is_active": ""}):
        data = {**user_form_data(client, administrator), **change}
        response = client.post(change_url(administrator), data)
        assert response.status_code == 200
        assert "your own access" in response.content.decode()
        administrator.refresh_from_db()
        assert administrator.role == Role.ADMIN and administrator.is_active
    delete = reverse("admin:accounts_user_delete", args=[administrator.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_a_student_with_an_application_under_way_stays_a_student(client, administrator):
    """Made DRI, a submitted student could no longer withdraw their application or send course
    plans, and could decide on their own dossier."""
    from apps.applications.models import ApplicationState
    from tests.applications.factories import ApplicationFactory

    student = StudentProfileFactory().user
    application = ApplicationFactory(student=student, state=ApplicationState.SUBMITTED)
    client.force_login(administrator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages as written
    data = {**user_form_data(client, student), "role": Role.DRI}
    response = client.post(change_url(student), data)
    assert response.status_code == 200
    assert "1 application under way" in response.content.decode()
    student.refresh_from_db()
    assert student.role == Role.STUDENT
    # Once it ended, the role may change.
    application.state = ApplicationState.WITHDRAWN
    application.save(update_fields=["state"])
    data = {**user_form_data(client, student), "role": Role.DRI}
    assert client.post(change_url(student), data).status_code == 302
    student.refresh_from_db()
    assert student.role == Role.DRI


def test_a_student_profile_stays_with_its_student(client, administrator):
    """Deleted, or moved to another account, while an application was under way: the plan could
    no longer be checked and the course plans reached no advisor."""
    from apps.accounts.models import StudentProfile
    from apps.applications.models import ApplicationState
    from tests.applications.factories import ApplicationFactory

    profile = StudentProfileFactory()
    ApplicationFactory(student=profile.user, state=ApplicationState.NOMINATED)
    other = UserFactory(role=Role.STUDENT)
    client.force_login(administrator)
    url = reverse("admin:accounts_studentprofile_change", args=[profile.pk])
    page = client.get(url)
    assert "user" not in page.context["adminform"].form.fields
    delete = reverse("admin:accounts_studentprofile_delete", args=[profile.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert StudentProfile.objects.filter(pk=profile.pk, user=profile.user).exists()
    assert not StudentProfile.objects.filter(user=other).exists()


def test_a_closed_advisor_account_is_not_given_students(client, administrator):
    """Course plans sent to an inactive advisor waited for nobody, with no notice to anyone."""
    profile = StudentProfileFactory(advisor=None)
    closed = UserFactory(role=Role.ADVISOR, is_active=False)
    client.force_login(administrator)
    url = reverse("admin:accounts_studentprofile_change", args=[profile.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: "" if value is None else value
        for name, value in ((name, form[name].value()) for name in form.fields)
    }
    response = client.post(url, {**data, "advisor": closed.pk})
    assert response.status_code == 200
    assert "advisor" in response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert profile.advisor is None


# The add page's student profile inline, left empty.
NO_PROFILE = {
    "student_profile-TOTAL_FORMS": "0",
    "student_profile-INITIAL_FORMS": "0",
}


def test_an_account_added_with_capitals_in_its_address_can_log_in(client, administrator):
    """Logins look accounts up by the address in lower case: one stored as typed, with
    capitals, could never log in."""
    client.force_login(administrator)
    password = "A-long-enough-passphrase-2026"
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": " Jean.Dupont@School.EXAMPLE ",
            "role": Role.STUDENT,
            "password1": password,
            "password2": password,
            **NO_PROFILE,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="jean.dupont@school.example")
    client.logout()
    response = client.post(
        reverse("login"), {"username": "Jean.Dupont@School.example", "password": password}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_address_differing_only_in_capitals_is_taken(client, administrator):
    UserFactory(email="jean.dupont@school.example")
    client.force_login(administrator)
    password = "A-long-enough-passphrase-2026"
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Jean.Dupont@School.example",
            "role": Role.STUDENT,
            "password1": password,
            "password2": password,
            **NO_PROFILE,
        },
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact="jean.dupont@school.example").count() == 1
