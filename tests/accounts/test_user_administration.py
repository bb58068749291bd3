"""An administrator (the role, not a superuser) manages accounts, roles and student profiles
in the admin: the capability existed and nothing granted it, so they got a 403. They cannot
make anyone a superuser, give a group's permissions, nor change a superuser."""

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
