"""Values read from many rows (filter menus, report counts), kept in the shared cache until one
of the tables they come from changes.

A memo names the models it reads. Saving or deleting a row of one of them (Django's signals)
gives that model a new generation, and a value stored under older generations is computed
again. Bulk writes send no signal: they call `tables_changed()` (or, for a whole data set,
`everything_changed()`) themselves, and every value expires after its timeout anyway.

With several web processes the cache must be shared (CACHE_URL, Redis in production): the
generations are how one process learns that another has written.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import get_language

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_TIMEOUT = 300
_GENERATION = "memo:generation:"
# A generation every memo depends on, moved on by everything_changed().
_EVERYTHING = "*"
_watched: set[str] = set()


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _generation_key(label: str) -> str:
    return f"{_GENERATION}{label}"


def _new_generation(label: str) -> None:
    cache.set(_generation_key(label), uuid.uuid4().hex, None)


def tables_changed(*changed: type[models.Model]) -> None:
    """Forget every memo read from these models: now, for the rest of this transaction, and
    again once it commits, so that no request computes a value from rows about to change and
    keeps it under the new generation."""
    for model in changed:
        label = _label(model)
        _new_generation(label)
        transaction.on_commit(lambda label=label: _new_generation(label))


def everything_changed() -> None:
    """Forget every memo: after a bulk load of many tables (seed_scale, imports)."""
    _new_generation(_EVERYTHING)
    transaction.on_commit(lambda: _new_generation(_EVERYTHING))


def _on_change(sender, **_kwargs) -> None:
    tables_changed(sender)


def _watch(watched: Iterable[type[models.Model]]) -> None:
    for model in watched:
        label = _label(model)
        if label in _watched:
            continue
        _watched.add(label)
        uid = f"memo:{label}"
        post_save.connect(_on_change, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid, weak=False)
        # For a many-to-many's through model, the sender of m2m_changed.
        m2m_changed.connect(_on_change, sender=model, dispatch_uid=uid, weak=False)


def _current_generations(labels: list[str], found: dict) -> tuple[str, ...]:
    generations = []
    for label in labels:
        key = _generation_key(label)
        generation = found.get(key)
        if generation is None:
            cache.add(key, uuid.uuid4().hex, None)
            generation = cache.get(key)
        generations.append(generation)
    return tuple(generations)


def memoize(
    *reads: type[models.Model], timeout: int = DEFAULT_TIMEOUT, per_language: bool = False
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Keep the function's value for each set of (hashable, printable) arguments until a row of
    one of `reads` changes; `per_language` for values holding translated labels."""
    labels = [_EVERYTHING, *(_label(model) for model in reads)]
    _watch(reads)

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        name = f"memo:{function.__module__}.{function.__qualname__}"

        @wraps(function)
        def memoized(*args: P.args, **kwargs: P.kwargs) -> R:
            parts = [*map(repr, args), *(f"{k}={v!r}" for k, v in sorted(kwargs.items()))]
            if per_language:
                parts.append(get_language() or "")
            # Hashed: arguments may be long query strings, and keys stay short and plain.
            key = f"{name}:{hashlib.sha256(chr(31).join(parts).encode()).hexdigest()[:40]}"
            found = cache.get_many([*map(_generation_key, labels), key])
            generations = _current_generations(labels, found)
            stored = found.get(key)
            if stored is not None and stored[0] == generations:
                return stored[1]
            value = function(*args, **kwargs)
            cache.set(key, (generations, value), timeout)
            return value

        return memoized

    return decorate


def canonical_query(params: QueryDict, *, without: Iterable[str] = ()) -> str:
    """A query string as a memo argument: the same parameters in any order give the same key."""
    left_out = set(without)
    pairs = ((key, value) for key, values in params.lists() for value in values)
    return urlencode(sorted(pair for pair in pairs if pair[0] not in left_out))
