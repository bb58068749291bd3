from django.contrib.auth.backends import ModelBackend

from mobility_portal.caching import memoize

from .models import StudentProfile, User
from .roles import CAPABILITY_ADMIN_APPS, user_can


@memoize(User, StudentProfile)
def user_with_profile(user_id: int) -> User | None:
    """The user with their student profile, kept until either table changes: every signed-in
    request reads it."""
    return User._default_manager.select_related("student_profile").filter(pk=user_id).first()


class RoleBackend(ModelBackend):
    """E-mail login; Django model permissions granted by role on top of explicit ones."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username:
            username = username.strip().lower()
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user with their student profile (student pages read it on every
        request), from the shared cache while neither table has changed."""
        user = user_with_profile(user_id)
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
