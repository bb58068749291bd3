"""Writing notifications in the event's transaction, and handing them to the workers after
commit. A broker that is down loses nothing: the rows stay pending for the relay."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from mobility_portal.bulk import MAX_PARAMETERS, rows_per_insert

from .models import AwaitedItem, DeliveryStatus, Notification

if TYPE_CHECKING:
    from apps.accounts.models import User

    from .events import Event

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    user: "User | None"
    email: str
    language: str

    @classmethod
    def of(cls, user: "User") -> "Recipient":
        return cls(user=user, email=user.email, language=user.language)

    @classmethod
    def mailbox(cls, address: str) -> "Recipient":
        return cls(user=None, email=address, language=settings.LANGUAGE_CODE)


def key_prefix(event: "Event", key: str) -> str:
    """The start of the key of every row `event` writes for `key` (the recipient's address
    follows): rows are found by it through the keys' index."""
    return f"{event.name}:{key}:"


def queue(
    event: "Event",
    *,
    key: str,
    recipients: list[Recipient],
    context: dict,
    link: str,
    objects: dict | None = None,
    awaits: str = "",
    send_at: datetime | None = None,
    ask_again: bool = False,
) -> list[int]:
    """One pending row per distinct address; the same key twice writes nothing twice. A
    deactivated user gets no row at all, neither e-mail nor in-portal entry. `objects`: as
    `Announcement.objects`; `awaits`: the action the rows ask for (`settle`); `send_at`: the
    e-mail waits until then (the relay sends it), else it is handed over after commit;
    `ask_again`: a row already there under the key, settled, asks again (`unsettle`)."""
    ids = queue_each(
        event,
        keyed=[(key, recipient) for recipient in recipients],
        context=context,
        link=link,
        objects=objects,
        awaits=awaits,
        send_at=send_at,
    )
    if ask_again and ids:
        unsettle(ids)
    return ids


def queue_each(
    event: "Event",
    *,
    keyed: list[tuple[str, Recipient]] | list[tuple[str, Recipient, str]],
    context: dict,
    link: str,
    objects: dict | None = None,
    awaits: str = "",
    send_at: datetime | None = None,
) -> list[int]:
    """`queue` for recipients told the same thing, each under their own key (a reminder to
    every student of a call): one insert and one read for all of them, the subjects written
    once (three queries a student before: 2,280 for a call's 758 students at 10,000). A
    third item in `keyed` is what that recipient's row awaits, in place of `awaits`."""
    rows = _rows(
        event,
        keyed=keyed,
        context=context,
        link=link,
        seen=set(),
        objects=objects,
        awaits=awaits,
        send_at=send_at,
    )
    return _write(rows, hand_over=send_at is None)


@dataclass(frozen=True)
class Announcement:
    """One event to queue: `queue`'s arguments. `objects` are the context's objects when the
    caller holds them already (as `rendering.objects_of` loads them: an application with its
    student and call, a transition with its actor), so that the subjects need no query."""

    event: "Event"
    key: str
    recipients: list[Recipient]
    context: dict
    link: str
    objects: dict | None = None
    awaits: str = ""
    # What the notification lists, each awaited (its own `awaits` empty): it is settled once
    # every one is done (`settle`). The advisor's digest of course plans waiting for them.
    awaits_all: tuple[str, ...] = ()


def queue_all(announcements: Iterable[Announcement]) -> list[int]:
    """`queue` for many events at once (every nomination of a seat allocation): the same rows,
    written in one insert and read back in one query, handed to the workers after commit."""
    rows: list[Notification] = []
    seen: set[str] = set()
    listed: dict[str, tuple[str, ...]] = {}
    for announcement in announcements:
        written = _rows(
            announcement.event,
            keyed=[(announcement.key, recipient) for recipient in announcement.recipients],
            context=announcement.context,
            link=announcement.link,
            seen=seen,
            objects=announcement.objects,
            awaits=announcement.awaits,
        )
        if announcement.awaits_all:
            listed.update((row.key, announcement.awaits_all) for row in written)
        rows += written
    return _write(rows, listed=listed)


def _rows(
    event: "Event",
    *,
    keyed: list[tuple[str, Recipient]] | list[tuple[str, Recipient, str]],
    context: dict,
    link: str,
    seen: set[str],
    objects: dict | None = None,
    awaits: str = "",
    send_at: datetime | None = None,
) -> list[Notification]:
    """The pending rows of one event, one per distinct row key not in `seen` (which grows)."""
    from .rendering import subject_in, subjects_in_every_language

    rows, subjects = [], {}
    for key, recipient, *own_awaits in keyed:
        row_key = f"{key_prefix(event, key)}{recipient.email}"[:200]
        if not recipient.email or row_key in seen:
            continue
        if recipient.user is not None and not recipient.user.is_active:
            continue
        seen.add(row_key)
        if not subjects:
            subjects = subjects_in_every_language(event, context, objects=objects)
        if recipient.language not in subjects:
            subjects[recipient.language] = subject_in(
                event, context, recipient.language, objects=objects
            )
        rows.append(
            Notification(
                key=row_key,
                event=event.name,
                recipient=recipient.user,
                email=recipient.email,
                language=recipient.language,
                context=context,
                subject=subjects[recipient.language][:300],
                subjects={code: text[:300] for code, text in subjects.items()},
                link=link,
                awaits=own_awaits[0] if own_awaits else awaits,
                **({"next_attempt_at": send_at} if send_at is not None else {}),
            )
        )
    return rows


def _write(
    rows: list[Notification],
    *,
    hand_over: bool = True,
    listed: dict[str, tuple[str, ...]] | None = None,
) -> list[int]:
    """Insert the rows (a key already there is left as it is), and hand them to the workers
    once the transaction commits (`hand_over`; else the relay sends them when due). `listed`:
    the items each row (by its key) awaits (`Announcement.awaits_all`), written in one more
    insert."""
    if not rows:
        return []
    Notification.objects.bulk_create(
        rows, ignore_conflicts=True, batch_size=rows_per_insert(Notification)
    )
    keys = [row.key for row in rows]
    found = {
        key: pk
        for start in range(0, len(keys), MAX_PARAMETERS)
        for key, pk in Notification.objects.filter(
            key__in=keys[start : start + MAX_PARAMETERS]
        ).values_list("key", "pk")
    }
    ids = list(found.values())
    items = [
        AwaitedItem(notification_id=found[key], token=token)
        for key, tokens in (listed or {}).items()
        if key in found
        for token in tokens
    ]
    if items:
        AwaitedItem.objects.bulk_create(
            items, ignore_conflicts=True, batch_size=rows_per_insert(AwaitedItem)
        )
    if hand_over:
        transaction.on_commit(lambda: dispatch(ids))
    return ids


def settle(awaited: Iterable[str]) -> int:
    """The actions `awaited` (tokens as the rows' `awaits`) are done: every notification that
    asked for one is done, no longer new, in one UPDATE (a chunk of tokens), in the
    transaction of the change that did it. The e-mail of a reminder not sent yet is never sent
    (it asks for what is done); any other still goes: it tells what happened, when it did.

    A notification that lists several things (`Announcement.awaits_all`: the advisor's digest)
    is settled with the last of them: the items among the tokens are marked done, then the
    notifications whose items are all done now are settled, in two more UPDATEs; only for the
    tokens such lists hold (`events.listed_in_notifications`), so that settling anything else
    costs nothing more. Returns how many notifications were settled."""
    from .events import listed_in_notifications

    tokens = list(dict.fromkeys(token for token in awaited if token))
    now = timezone.now()
    settled = 0
    for start in range(0, len(tokens), MAX_PARAMETERS):
        settled += Notification.objects.filter(
            awaits__in=tokens[start : start + MAX_PARAMETERS], settled_at__isnull=True
        ).update(**_settled(now))
    listed = [token for token in tokens if listed_in_notifications(token)]
    if listed:
        settled += _settle_lists(listed, now)
    return settled


def _settled(now: datetime) -> dict:
    """What settling writes into a row: done now, read (when it was not already), and a
    reminder whose e-mail waits, never sent."""
    from .events import REMINDERS

    return {
        "settled_at": now,
        "read_at": Coalesce(F("read_at"), Value(now)),
        "status": Case(
            When(
                event__in=REMINDERS,
                status=DeliveryStatus.PENDING,
                then=Value(DeliveryStatus.SKIPPED),
            ),
            default=F("status"),
        ),
    }


def _settle_lists(tokens: list[str], now: datetime) -> int:
    """The items among `tokens` are done (at `now`); the notifications with one of them done
    now and no item left to do are settled, found from those items (the index of their
    tokens), never by reading every notification. Returns how many were settled."""
    chunks = [
        tokens[start : start + MAX_PARAMETERS] for start in range(0, len(tokens), MAX_PARAMETERS)
    ]
    done = sum(
        AwaitedItem.objects.filter(token__in=chunk, settled_at__isnull=True).update(settled_at=now)
        for chunk in chunks
    )
    if not done:
        return 0
    left = AwaitedItem.objects.filter(notification=OuterRef("pk"), settled_at__isnull=True)
    return sum(
        Notification.objects.filter(
            pk__in=AwaitedItem.objects.filter(token__in=chunk, settled_at=now).values(
                "notification_id"
            ),
            settled_at__isnull=True,
        )
        .exclude(Exists(left))
        .update(**_settled(now))
        for chunk in chunks
    )


def unsettle(ids: Iterable[int]) -> int:
    """The settled rows among `ids` ask again: what they asked for is wanted again (a course
    plan back before its advisor once a nomination is undone). New again, unless their
    recipient had read them before they were settled (`settle` marks read what it settles, at
    the same moment). No e-mail goes again: the recipient had one when the row was written.
    Returns how many rows ask again."""
    return Notification.objects.filter(pk__in=list(ids), settled_at__isnull=False).update(
        settled_at=None,
        read_at=Case(
            When(read_at=F("settled_at"), then=Value(None, output_field=DateTimeField())),
            default=F("read_at"),
        ),
    )


def dispatch(ids: list[int]) -> int:
    """Hand rows to the workers, marked queued first so that the relay leaves them alone for
    a lease; on a broker failure the rest are unmarked again, for the relay. Marked before,
    not after: a worker that runs in this process (no broker) clears the mark when it claims
    a row, and a failed attempt then waits for its back-off, not for the lease. Returns how
    many went."""
    from .tasks import deliver

    now = timezone.now()
    # Only rows no other hand-over holds under its lease: unmarking one of those on a broker
    # failure would make it due again while it waits in the broker.
    lease_start = now - timedelta(seconds=settings.NOTIFICATION_QUEUE_LEASE_SECONDS)
    free = Q(queued_at__isnull=True) | Q(queued_at__lt=lease_start)
    Notification.objects.filter(free, pk__in=ids, status=DeliveryStatus.PENDING).update(
        queued_at=now
    )
    handed = 0
    for pk in ids:
        try:
            deliver.delay(pk)
        except Exception as error:  # kombu raises several kinds when the broker is away
            logger.warning("notification %s left for the relay: %s", pk, error)
            Notification.objects.filter(pk__in=ids[handed:], queued_at=now).update(queued_at=None)
            break
        handed += 1
    return handed
