"""The results of recording several departures (or returns) at once, kept in the officer's
session under a random key: the POST records, then redirects to them (Post/Redirect/Get), so
the results page can be reloaded, or opened again from the browser's history, and shows the
same rows without recording anything. Only what cannot be read again is kept: the ids, and
each left-out row's reason; the rows are read back by id when the page is shown."""

import secrets
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase

from .selectors_stays import stay_applications
from .stay_moves import StayMove
from .stay_selection import Row

SESSION_KEY = "stay_results"
# A few batches are enough to go back to; each holds up to MOST_AT_ONCE rows.
KEPT_BATCHES = 5


@dataclass
class Results:
    recorded: list[Row]
    left_out: list[Row]


def keep_results(
    session: SessionBase, *, move: StayMove, recorded: list[Row], left_out: list[Row]
) -> str:
    """Keep one batch's results in `session`; the key to read them back. The oldest batch
    beyond KEPT_BATCHES is forgotten."""
    key = secrets.token_urlsafe(12)
    kept = dict(session.get(SESSION_KEY, {}))
    kept[key] = {
        "move": move.name,
        "recorded": [row.pk for row in recorded],
        "left_out": [[row.pk, row.reason, row.application is not None] for row in left_out],
    }
    for old in list(kept)[:-KEPT_BATCHES]:
        del kept[old]
    session[SESSION_KEY] = kept
    return key


def kept_results(session: SessionBase, *, move: StayMove, key: str) -> Results | None:
    """The results kept under `key` for `move`, each row read back (four queries, however
    many rows); None when this session keeps no such results."""
    batch = session.get(SESSION_KEY, {}).get(key)
    if not isinstance(batch, dict) or batch.get("move") != move.name:
        return None
    left_out = batch["left_out"]
    found = stay_applications(
        [*batch["recorded"], *(pk for pk, _reason, was_found in left_out if was_found)]
    )
    return Results(
        recorded=[Row(pk=pk, application=found.get(pk)) for pk in batch["recorded"]],
        left_out=[
            Row(pk=pk, application=found.get(pk) if was_found else None, reason=reason)
            for pk, reason, was_found in left_out
        ],
    )
