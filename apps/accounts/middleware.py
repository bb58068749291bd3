import time

from django.conf import settings
from django.utils.cache import patch_cache_control

from .roles import STAFF_ROLES

# The session's sliding expiry is written at most this often: writing it on every request
# would cost every staff page a database write.
STAFF_SESSION_SLIDE_SECONDS = 60
SLID_AT = "_staff_session_slid_at"


class StaffIdleTimeoutMiddleware:
    """Staff sessions slide: a request gives them STAFF_SESSION_IDLE_SECONDS more, so a staff
    member idle for longer must log in again. The new expiry is saved at most once a minute,
    so an idle session ends up to a minute early. Students keep the default lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and (user.role in STAFF_ROLES or user.is_superuser):
            now = int(time.time())
            if now - request.session.get(SLID_AT, 0) >= STAFF_SESSION_SLIDE_SECONDS:
                request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
                request.session[SLID_AT] = now
        return self.get_response(request)


class PrivatePagesMiddleware:
    """A page shown to a signed-in person is theirs: no browser or proxy keeps it (after a
    logout on a shared computer, Back would show the dossier again). Responses that say how
    they may be kept already (a download, never_cache) are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
