"""Whole pages kept for the signed-in session that asked for them, until a table they read
changes.

A page a person reloads (their dashboard, a dossier, the queue with the same filters) costs a
few cache reads instead of its queries and templates, and is never out of date: it is kept with
the generations (mobility_portal/caching.py) of every table its request read, learnt from the
request's own SELECT statements and memos, and served again only while none of them has moved.
A write to any of those tables, from any process, means the next request renders the page anew.

A page is kept per session: the key holds the release, the user, the session, its CSRF secret (so
the form tokens in the page stay valid), the language, the day, the htmx headers and the query.
Nothing is kept for visitors, for a page that shows or adds a message, changes the session, sets
a cookie or answers anything but 200, nor beyond KEPT_PER_VIEW pages of one view and
KEPT_PER_SESSION pages in all per session in PAGE_TIMEOUT seconds, so that nobody fills the cache
by asking for endless variants, while a session that went through hundreds of dossiers still
gets its dashboard kept. Access checks run before the cache is consulted: the decorator goes
under the view's access guard.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import auth, messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from .caching import (
    EVERYTHING,
    current_generations,
    digest,
    generation_key,
    recording_reads,
    release,
    storing_is_safe,
)

PAGE_TIMEOUT = 300
KEPT_PER_VIEW = 200
KEPT_PER_SESSION = 600
# Each view's tables as this process last learnt them, so that a kept page and the generations
# it is compared with come in one round trip.
_learnt_here: dict[str, frozenset[str]] = {}
logger = logging.getLogger(__name__)


class RecordReadsMiddleware:
    """Records the tables each request reads, from its first statement (the signed-in user's
    row, loaded before any view runs) to its last; first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with recording_reads() as tables:
            request.tables_read = tables
            return self.get_response(request)


@dataclass(frozen=True)
class KeptPage:
    tables: tuple[str, ...]
    generations: tuple[str, ...]
    headers: tuple[tuple[str, str], ...]
    content: bytes
    uses_csrf: bool

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response.headers[name] = value
        return response


def _page_key(request: HttpRequest, view_name: str, post_is_read: bool) -> str | None:
    """The key of this request's page, or None when it must not be kept."""
    if not getattr(settings, "PAGE_CACHE", True) or not hasattr(request, "tables_read"):
        return None
    if request.method != "GET" and not (post_is_read and request.method == "POST"):
        return None
    secret = request.META.get("CSRF_COOKIE")
    session_key = request.session.session_key
    if not (request.user.is_authenticated and session_key and secret):
        return None
    if len(messages.get_messages(request)):
        return None
    form = sorted(
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    )
    htmx = sorted((name, value) for name, value in request.headers.items() if name[:3] == "Hx-")
    return "page:" + digest(
        release(),
        view_name,
        request.path,
        sorted(request.GET.lists()),
        form,
        htmx,
        get_language(),
        timezone.localdate().isoformat(),
        request.user.pk,
        session_key,
        secret,
    )


def _keepable(request: HttpRequest, response: HttpResponse, session_before: dict) -> bool:
    return (
        storing_is_safe()
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not len(messages.get_messages(request))
        and dict(request.session.items()) == session_before
    )


def _room_in_session(request: HttpRequest, view_name: str) -> bool:
    session = request.session.session_key
    for counter, allowed in (
        (f"page:kept:{digest(session, view_name)}", KEPT_PER_VIEW),
        (f"page:kept:{digest(session)}", KEPT_PER_SESSION),
    ):
        cache.add(counter, 0, PAGE_TIMEOUT)
        if cache.incr(counter) > allowed:
            return False
    return True


def keep_page(view: Callable | None = None, *, post_is_read: bool = False) -> Callable:
    """Keep the view's page per session until a table it read changes. `post_is_read` for a
    POST that only reads (the plan's live check): its form, less the CSRF token, is in the key."""

    def decorate(view: Callable) -> Callable:
        view_name = f"{view.__module__}.{view.__qualname__}"
        learnt_key = f"page:tables:{view_name}"

        @wraps(view)
        def kept(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            key = _page_key(request, view_name, post_is_read)
            if key is None:
                return view(request, *args, **kwargs)
            try:
                known = _learnt_here.get(view_name, frozenset({EVERYTHING}))
                found = cache.get_many([key, learnt_key, *map(generation_key, known)])
                page: KeptPage | None = found.get(key)
                if page is not None:
                    now = current_generations(page.tables, found)
                    if tuple(now[table] for table in page.tables) == page.generations:
                        if page.uses_csrf:
                            get_token(request)
                        return page.response()
                learnt = frozenset(found.get(learnt_key, ())) | {EVERYTHING}
                _learnt_here[view_name] = learnt
                before = current_generations(learnt, found)
            except Exception:
                logger.warning("The cache cannot be read: rendering %s.", view_name, exc_info=True)
                return view(request, *args, **kwargs)
            # The user was read before the generations were: read again, so that a change in
            # between cannot be kept under the new generation.
            fresh = auth.get_user(request)
            if fresh.pk != request.user.pk:
                return view(request, *args, **kwargs)
            request.user = fresh
            session_before = dict(request.session.items())
            response = view(request, *args, **kwargs)
            if not _keepable(request, response, session_before):
                return response
            read = frozenset(request.tables_read) | {EVERYTHING}
            try:
                if not read <= learnt:
                    # Tables this view had not read before: their generations were not taken
                    # before rendering, so this page is not kept; the next one will be.
                    cache.set(learnt_key, tuple(sorted(learnt | read)), None)
                elif _room_in_session(request, view_name):
                    tables = tuple(sorted(read))
                    cache.set(
                        key,
                        KeptPage(
                            tables=tables,
                            generations=tuple(before[table] for table in tables),
                            headers=tuple(response.items()),
                            content=response.content,
                            uses_csrf=bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")),
                        ),
                        PAGE_TIMEOUT,
                    )
            except Exception:
                logger.warning(
                    "The cache cannot be written: %s not kept.", view_name, exc_info=True
                )
            return response

        return kept

    return decorate(view) if view is not None else decorate
