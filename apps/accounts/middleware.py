from django.conf import settings

from .roles import STAFF_ROLES


class StaffIdleTimeoutMiddleware:
    """Staff sessions slide: each request gives them STAFF_SESSION_IDLE_SECONDS more, so a
    staff member idle for longer must log in again. Students keep the default lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and (user.role in STAFF_ROLES or user.is_superuser):
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return self.get_response(request)
