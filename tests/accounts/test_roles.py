import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from apps.accounts.roles import Capability, user_can


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "capability", "expected"),
    [
        ("student", Capability.BUILD_OWN_PLAN, True),
        ("student", Capability.SEE_ALL_DOSSIERS, False),
        ("student", Capability.USE_ADMIN_SITE, False),
        ("advisor", Capability.APPROVE_COURSE_PLANS, True),
        ("advisor", Capability.REVIEW_APPLICATIONS, False),
        ("dri", Capability.MANAGE_CATALOGUE, True),
        ("dri", Capability.REVIEW_APPLICATIONS, True),
        ("dri", Capability.MANAGE_USERS, False),
        ("dfi", Capability.VALIDATE_SUMMER_PROJECTS, True),
        ("dfi", Capability.MANAGE_CATALOGUE, False),
        ("admin_user", Capability.MANAGE_USERS, True),
        ("admin_user", Capability.BUILD_OWN_PLAN, False),
        ("admin_user", Capability.APPROVE_COURSE_PLANS, False),
    ],
)
def test_user_can(request, persona, capability, expected):
    assert user_can(request.getfixturevalue(persona), capability) is expected


@pytest.mark.django_db
def test_inactive_and_anonymous_users_can_nothing(dri):
    dri.is_active = False
    assert not user_can(dri, Capability.MANAGE_CATALOGUE)
    assert not user_can(AnonymousUser(), Capability.BUILD_OWN_PLAN)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["student", "advisor", "dfi"])
def test_non_staff_cannot_open_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("admin:index"),
        reverse("admin:programmes_partner_changelist"),
        reverse("admin:accounts_user_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_dri_manages_catalogue_but_not_users(client, dri):
    client.force_login(dri)
    assert client.get(reverse("admin:programmes_partner_changelist")).status_code == 200
    assert client.get(reverse("admin:programmes_agreement_add")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


@pytest.mark.django_db
def test_admin_manages_users(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200
