"""What the DRI's page for recording several departures (or returns) at once reads: the
chosen applications, each with its student, its nominated stay's days and the ids of its
history, in four queries for any number of them."""

from collections.abc import Iterable

from django.db.models import Prefetch

from apps.applications.models import Application, Choice, Transition

from .selectors_queue import destination_name, received


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
