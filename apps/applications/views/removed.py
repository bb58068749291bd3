"""What the student has just removed, remembered in their session: Back after removing an
activity or a document led to its confirmation page, whose address no longer exists (404).

Only the ids the student removed in this session are remembered, so the friendly page is
given to them alone: anyone else's id, or an id that never existed, still answers 404, and
nothing tells "removed by its student" from "never yours"."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

SESSION_KEY = "removed"
# The last few removals of each kind are enough for the Back button.
KEPT = 20


def remember_removed(request: HttpRequest, kind: str, pk: int, back: str) -> None:
    """Note that the student removed `kind` `pk`; Back to its pages leads to `back`."""
    removed = request.session.get(SESSION_KEY, {})
    of_kind = removed.get(kind, {})
    of_kind.pop(str(pk), None)
    of_kind[str(pk)] = back
    removed[kind] = dict(list(of_kind.items())[-KEPT:])
    request.session[SESSION_KEY] = removed


def where_removed(request: HttpRequest, kind: str, pk: int) -> str | None:
    """Where to send the student for `kind` `pk` they removed in this session, else None."""
    return request.session.get(SESSION_KEY, {}).get(kind, {}).get(str(pk))


def removed_leads_back(kind: str, message: Callable[[], str]) -> Callable:
    """A view of one `kind` of object by `pk`: when it finds none (404) and the student removed
    that very one in this session, their page (the plan, the application's documents) with
    `message` instead of the 404."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, pk, *args, **kwargs)
            except Http404:
                back = where_removed(request, kind, pk)
                if back is None:
                    raise
                messages.info(request, message())
                return redirect(back)

        return wrapped

    return decorator
