"""Recording several departures (or returns) at once, from the DRI's queue.

The officer ticks students in the queue (filtered on accepted, or in mobility), or asks for
every application the queue's filters select, and the confirmation page lists exactly who will
be recorded, asks for the same confirmation as the dossier's own form for each one whose stay
has not yet begun (or ended), and lists who is left out and why. The page holds each row's id
and what the officer saw of it: what is recorded is what was confirmed, whatever the filters
select by then. Sent, each application goes through the very service the dossier's button
calls, one at a time: each in its own transaction, with its own history row and its own
notification. A row that fails (the dossier changed since the page was shown, its box was not
ticked) does not hold back the others: every departure is a fact about one student, true or not
whatever the other rows. The results, row by row, are then shown on a page of their own
(stay_results.py), which can be reloaded without recording anything. Sending the confirmation
again records nothing twice either: a recorded dossier has changed since it was shown."""

from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability

from ..queue_return import QueueReturn, queue_return
from ..selectors_stays import matching_applications
from ..stay_moves import MOST_AT_ONCE, MOVES, StayMove
from ..stay_results import keep_results, kept_results
from ..stay_selection import Row, Selection, record, selection

__all__ = ["MOST_AT_ONCE", "record_stays", "stay_results"]

reviewers_only = capability_required(Capability.REVIEW_APPLICATIONS)


def _context(move: StayMove, way_back: QueueReturn) -> dict:
    return {"move": move, "queue_return": way_back, "most_at_once": MOST_AT_ONCE}


def _chosen(request: HttpRequest, move: StayMove) -> Selection:
    """The rows the queue sent: the ticked ones, or every application its filters select."""
    if not request.GET.get("matching"):
        return selection(move, request.GET.getlist("application"))
    matching = matching_applications(
        request.GET.get("back", ""), state=move.from_state, most=MOST_AT_ONCE
    )
    if matching.count > MOST_AT_ONCE:
        return Selection(too_many=True, matching=matching.count)
    chosen = selection(move, [str(pk) for pk in matching.ids])
    chosen.matching = matching.count
    return chosen


def _confirmation(request: HttpRequest, move: StayMove, chosen: Selection, status: int = 200):
    way_back = queue_return(request)
    return render(
        request,
        "reviews/stays_confirm.html",
        {
            **_context(move, way_back),
            "selection": chosen,
            "action": reverse(f"reviews:stays_{move.name}") + way_back.query,
            # A row whose box is left unticked is not recorded: without script, which cannot
            # count the ticks, the button promises no number.
            "submit_label": move.title if chosen.early else move.submit_text(len(chosen.rows)),
            "submit_forms": move.submit_forms(),
        },
        status=400 if chosen.too_many else status,
    )


@reviewers_only
@require_http_methods(["GET", "POST"])
def record_stays(request: HttpRequest, move: str):
    """GET: the confirmation of the selection the queue sent. POST: each row recorded, then
    the results' page."""
    stay_move = MOVES[move]
    if request.method == "GET":
        return _confirmation(request, stay_move, _chosen(request, stay_move))
    chosen = selection(stay_move, request.POST.getlist("application"), request.POST)
    if chosen.too_many:
        return _confirmation(request, stay_move, chosen)
    recorded: list[Row] = []
    refused: list[Row] = []
    for row in chosen.rows:
        row.reason = record(stay_move, request.user, row)
        (refused if row.reason else recorded).append(row)
    key = keep_results(
        request.session, move=stay_move, recorded=recorded, left_out=refused + chosen.left_out
    )
    results_url = reverse(f"reviews:stays_{move}_results", args=[key])
    return redirect(results_url + queue_return(request).query)


@reviewers_only
@require_safe
def stay_results(request: HttpRequest, move: str, key: str):
    """What one POST recorded and left out, row by row: read again, never recorded again."""
    stay_move = MOVES[move]
    context = _context(stay_move, queue_return(request))
    results = kept_results(request.session, move=stay_move, key=key)
    if results is None:
        return render(request, "reviews/stays_done.html", {**context, "expired": True}, status=404)
    return render(
        request,
        "reviews/stays_done.html",
        {
            **context,
            "recorded": results.recorded,
            "left_out": results.left_out,
            "summary": stay_move.summary % {"count": len(results.recorded)},
        },
    )
