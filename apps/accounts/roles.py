"""Roles and what each may do: the one place to ask "may this user do X"."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    ADVISOR = "advisor", _("Study advisor")
    DRI = "dri", _("International relations office (DRI)")
    DFI = "dfi", _("Academic directorate (DFI)")
    ADMIN = "admin", _("Administrator")


class Capability(StrEnum):
    USE_ADMIN_SITE = "use_admin_site"
    MANAGE_CATALOGUE = "manage_catalogue"
    MANAGE_USERS = "manage_users"
    SEE_ALL_DOSSIERS = "see_all_dossiers"
    REVIEW_APPLICATIONS = "review_applications"
    VALIDATE_SUMMER_PROJECTS = "validate_summer_projects"
    APPROVE_COURSE_PLANS = "approve_course_plans"
    BUILD_OWN_PLAN = "build_own_plan"
    PUBLISH_REGULATIONS = "publish_regulations"
    # Carry out or refuse a student's request that their personal data be erased (GDPR).
    HANDLE_ERASURE_REQUESTS = "handle_erasure_requests"


# What a person is rather than what staff may do: a superuser or an admin does not get these.
PERSONAL_CAPABILITIES = frozenset({Capability.BUILD_OWN_PLAN, Capability.APPROVE_COURSE_PLANS})

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.STUDENT: frozenset({Capability.BUILD_OWN_PLAN}),
    Role.ADVISOR: frozenset({Capability.APPROVE_COURSE_PLANS}),
    Role.DRI: frozenset(
        {
            Capability.USE_ADMIN_SITE,
            Capability.MANAGE_CATALOGUE,
            Capability.SEE_ALL_DOSSIERS,
            Capability.REVIEW_APPLICATIONS,
            Capability.VALIDATE_SUMMER_PROJECTS,
            Capability.PUBLISH_REGULATIONS,
        }
    ),
    Role.DFI: frozenset({Capability.SEE_ALL_DOSSIERS, Capability.VALIDATE_SUMMER_PROJECTS}),
    Role.ADMIN: frozenset(Capability) - PERSONAL_CAPABILITIES,
}

# Django admin apps each capability opens to its holders (model permissions in the admin).
CAPABILITY_ADMIN_APPS: dict[Capability, frozenset[str]] = {
    Capability.MANAGE_CATALOGUE: frozenset({"programmes"}),
    # Accounts, roles and student profiles (advisor, track, year); UserAdmin keeps the
    # superuser flag and the groups to superusers.
    Capability.MANAGE_USERS: frozenset({"accounts"}),
}

STAFF_ROLES = frozenset({Role.DRI, Role.DFI, Role.ADMIN})


def user_can(user, capability: Capability) -> bool:
    """True when `user` is an active account whose role grants `capability`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser and capability not in PERSONAL_CAPABILITIES:
        return True
    return capability in ROLE_CAPABILITIES.get(user.role, frozenset())
