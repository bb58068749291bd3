"""The way back from a dossier to the queue as the officer left it: its filters, sort and page
travel with the dossier's addresses as one `back` parameter."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.urls import reverse

from .filters import QueueFilter

# What the queue's address may carry; anything else in `back` is dropped.
QUEUE_PARAMETERS = frozenset((*QueueFilter.base_filters, "page"))


@dataclass(frozen=True)
class QueueReturn:
    url: str  # the queue, filtered, sorted and paged as the officer left it
    query: str  # "?back=…" for the dossier's own addresses (its forms), "" when none


def queue_return(request: HttpRequest) -> QueueReturn:
    given = QueryDict(request.GET.get("back", ""))
    kept = [
        (name, value)
        for name, values in given.lists()
        if name in QUEUE_PARAMETERS
        for value in values
    ]
    url = reverse("reviews:queue")
    if not kept:
        return QueueReturn(url, "")
    encoded = urlencode(kept)
    return QueueReturn(f"{url}?{encoded}", "?" + urlencode({"back": encoded}))


def dossier_url(request: HttpRequest, pk: int) -> str:
    """The dossier's address, keeping the way back to the queue."""
    return reverse("reviews:dossier", args=[pk]) + queue_return(request).query
