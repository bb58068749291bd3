import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

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


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's, but an htmx request (the plan's live check, the re-check's progress) from a
    reader signed out meanwhile (in another tab, or the session ended) gets a note for the part
    of the page it updates, with a link to log in that leads back to that page. Followed to the
    login page, the request had it swapped in whole: a second page inside the live check, whose
    e-mail box took the focus from the field the student was typing in."""

    def handle_no_permission(self, request, view_func):
        if request.method not in ("GET", "HEAD") and not request.htmx:
            return self.form_sent_signed_out(request, view_func)
        if not request.htmx:
            return super().handle_no_permission(request, view_func)
        # The page the part belongs to, when it is one of the portal's (else None).
        page = request.htmx.current_url_abs_path
        login_url = resolve_url(self.get_login_url(view_func))
        if page:
            field = self.get_redirect_field_name(view_func)
            login_url = redirect_to_login(page, login_url, field).url
        # A success, so that htmx shows it (it leaves the part as it was on an error).
        response = render(request, "includes/signed_out.html", {"login_url": login_url})
        add_never_cache_headers(response)
        return response

    def form_sent_signed_out(self, request, view_func):
        """A form sent once its reader was signed out (the staff's idle minutes, a logout in
        another tab): the login leads back to the page the form was on, not to the address it
        posts to, which most often answers POST only (the browser's bare "405" page)."""
        messages.warning(
            request,
            _(
                "Your session had ended, so the form was not sent and nothing was saved. Log in, "
                "then send it again."
            ),
        )
        login_url = resolve_url(self.get_login_url(view_func))
        page = form_page(request)
        if page is None:
            return redirect(login_url)
        return redirect_to_login(page, login_url, self.get_redirect_field_name(view_func))


def form_page(request) -> str | None:
    """The page of the portal a form was sent from (its Referer), as a path, or None."""
    referer = request.headers.get("referer")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class FormAddressMiddleware:
    """An address that only receives a form (a decision, an upload), reached by GET — Back, a
    reload, the language switch, a bookmark — answers with the portal's own page and a way
    back to the page the form belongs to, instead of the browser's bare "HTTP ERROR 405"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only Django's own bare answer (require_POST, a View without get) is replaced.
        bare = not response.streaming and not response.content
        if response.status_code != 405 or request.method != "GET" or not bare:
            return response
        page = render(
            request,
            "405.html",
            {"way_back": way_back_from(request.path_info)},
            status=405,
        )
        page["Allow"] = response.get("Allow", "")
        return page


def way_back_from(path: str) -> str:
    """The nearest address above `path` that is a page of the portal (at last, home)."""
    parts = path.strip("/").split("/")
    while parts:
        parts.pop()
        candidate = "/" + "/".join(parts) + ("/" if parts else "")
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return "/"
