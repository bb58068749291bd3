from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from mobility_portal.fixed_query import RowByKey

from .roles import CAPABILITY_ADMIN_APPS, user_can

# Every signed-in request loads its user: the statement is compiled once (fixed_query.py).
_signed_in_user = RowByKey(
    lambda: get_user_model()._default_manager.select_related("student_profile")
)


class RoleBackend(ModelBackend):
    """E-mail login; Django model permissions granted by role on top of explicit ones."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username:
            username = login_email(username)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user with their student profile, in one query: student pages read the
        profile on every request."""
        try:
            user = _signed_in_user.get(int(user_id))
        except (TypeError, ValueError):  # a session from another user model's key type
            return None
        return user if user is not None and self.user_can_authenticate(user) else None

    def _role_grants_app(self, user_obj, app_label: str) -> bool:
        return any(
            app_label in apps and user_can(user_obj, capability)
            for capability, apps in CAPABILITY_ADMIN_APPS.items()
        )

    def has_perm(self, user_obj, perm, obj=None):
        app_label = perm.split(".", 1)[0]
        if self._role_grants_app(user_obj, app_label):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if self._role_grants_app(user_obj, app_label):
            return True
        return super().has_module_perms(user_obj, app_label)


def login_email(typed: str) -> str:
    """The e-mail a login form's text names: accounts are found by it trimmed, in lower case."""
    return typed.strip().lower()
