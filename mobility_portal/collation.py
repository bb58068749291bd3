"""Names in the order a reader expects: "École polytechnique" among the E's and "bâle" among
the B's, not after "Zurich" as the bytes of UTF-8 would put them.

PostgreSQL sorts with ICU's language-neutral collation ("und-x-icu"), which ignores accents and
case before it looks at them. SQLite (`make run`, the quick test suite) has no ICU: a collation of
the same name is registered on each of its connections, comparing collation_key(), so the same
`order_by(by_name(...))` works on both. Lists sorted in Python (localized country names) use
collation_key() directly.
"""

import unicodedata
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import TypeVar

from django.db.backends.signals import connection_created
from django.db.models import F, OrderBy
from django.db.models.functions import Collate

NAME_COLLATION = "und-x-icu"
Item = TypeVar("Item")
Value = TypeVar("Value")


def collation_key(text: str) -> tuple[str, str]:
    """Letters without their accents and case first, then the text itself to break ties."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return base.casefold(), text


def sorted_by_name(items: Iterable[Item], name: Callable[[Item], str] = str) -> list[Item]:
    """`items` in the order of their `name`, as a reader sorts names."""
    return sorted(items, key=lambda item: collation_key(name(item)))


def sorted_choices(choices: Iterable[tuple[Value, str]]) -> list[tuple[Value, str]]:
    """(value, label) pairs, by label."""
    return sorted_by_name(choices, name=itemgetter(1))


def collated(field: str) -> Collate:
    """`field` compared as a reader compares names, for an ordering of one's own."""
    return Collate(F(field), NAME_COLLATION)


def by_name(field: str = "name") -> OrderBy:
    """Order by `field` as a reader sorts names."""
    return collated(field).asc()


def _compare(left: str, right: str) -> int:
    left_key, right_key = collation_key(left), collation_key(right)
    return (left_key > right_key) - (left_key < right_key)


def _add_sqlite_collation(sender, connection, **_kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME_COLLATION, _compare)


def register_name_collation() -> None:
    """Called once at start-up (AccountsConfig.ready)."""
    connection_created.connect(_add_sqlite_collation, weak=False, dispatch_uid="name-collation")
