"""What the DRI's pages for recording several departures (or returns) at once read: the
applications the queue's filters select, and the chosen applications, each with its student,
its nominated stay's days and the ids of its history, in four queries for any number of them."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import QueryDict

from apps.applications.models import Application, Choice, Transition

from .filters import QueueFilter
from .queue_results import filters_query, queue_filter
from .selectors_queue import destination_name, queue_applications, received


@dataclass(frozen=True)
class Matching:
    """The applications a queue's filters select: the first ids, in the queue's order, and how
    many there are in all."""

    ids: list[int]
    count: int


def matching_applications(queue_query: str, *, state: str, most: int) -> Matching:
    """The applications the queue lists under the filters of `queue_query` (a queue page's
    query string), its state filter set to `state`: at most `most` ids, in the queue's order.
    A filter the queue's form refuses is left out, as the queue leaves it out. One query, and
    a count when more than `most` match."""
    given = QueryDict(queue_query)
    data = QueryDict(mutable=True)
    for name in QueueFilter.base_filters:
        if name in given:
            data.setlist(name, given.getlist(name))
    data["state"] = state
    query = filters_query(QueueFilter(data, queryset=queue_applications()))
    applications = queue_filter(query).qs
    ids = list(applications.values_list("pk", flat=True)[: most + 1])
    if len(ids) <= most:
        return Matching(ids=ids, count=len(ids))
    return Matching(ids=ids[:most], count=applications.count())


def stay_applications(ids: Iterable[int]) -> dict[int, Application]:
    """The received applications among `ids`, by id: the student and their number, the call,
    each choice with its destination's name and its stay (the departure and return forms read
    the nominated stay's days), and the ids of the history rows (the latest is the one the
    officer saw)."""
    choices = Choice.objects.annotate(destination_name=destination_name()).select_related(
        "activity"
    )
    history = Transition.objects.only("pk", "application_id")
    rows = (
        Application.objects.filter(received(), pk__in=list(ids))
        .select_related("call", "student__student_profile")
        .defer("snapshot", "motivation")
        .prefetch_related(Prefetch("choices", queryset=choices), Prefetch("history", history))
    )
    return {application.pk: application for application in rows}
