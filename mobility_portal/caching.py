"""Values read from many rows (filter menus, report counts), kept in the shared cache until one
of the tables they come from changes.

A memo names the models it reads. Saving or deleting a row of any model (Django's signals,
listened to from start-up in every process: web, worker, command) gives that model a new
generation, and a value stored under older generations is computed again. Bulk writes send no
signal: they call `tables_changed()` (or, for a whole data set, `everything_changed()`)
themselves, and every value expires after its timeout anyway. When the cache cannot be
reached, values are computed as if nothing were kept, and writes go on.

With several web processes the cache must be shared (CACHE_URL, Redis in production): the
generations are how one process learns that another has written.
"""

import hashlib
import logging
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
logger = logging.getLogger(__name__)


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _generation_key(label: str) -> str:
    return f"{_GENERATION}{label}"


def _new_generation(label: str) -> None:
    try:
        cache.set(_generation_key(label), uuid.uuid4().hex, None)
    except Exception:  # the cache is down: what it holds goes stale until it expires
        logger.warning("Could not move the cache generation of %s on.", label, exc_info=True)


def tables_changed(*changed: type[models.Model]) -> None:
    """Forget every memo read from these models: now, for the rest of this transaction, and
    again once it commits, so that no request computes a value from rows about to change and
    keeps it under the new generation."""
    for model in changed:
        label = _label(model)
        _new_generation(label)
        transaction.on_commit(lambda label=label: _new_generation(label), robust=True)


def everything_changed() -> None:
    """Forget every memo: after a bulk load of many tables (seed_scale, imports)."""
    _new_generation(_EVERYTHING)
    transaction.on_commit(lambda: _new_generation(_EVERYTHING), robust=True)


def _on_change(sender, **_kwargs) -> None:
    tables_changed(sender)


def listen_to_writes() -> None:
    """Every model's saves and deletes (and many-to-many changes, whose sender is the through
    model) move its generation on: called once at start-up (AccountsConfig.ready), so that a
    write from any process counts, whichever modules it has imported."""
    post_save.connect(_on_change, dispatch_uid="memo:post_save")
    post_delete.connect(_on_change, dispatch_uid="memo:post_delete")
    m2m_changed.connect(_on_change, dispatch_uid="memo:m2m_changed")


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

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        name = f"memo:{function.__module__}.{function.__qualname__}"

        @wraps(function)
        def memoized(*args: P.args, **kwargs: P.kwargs) -> R:
            parts = [*map(repr, args), *(f"{k}={v!r}" for k, v in sorted(kwargs.items()))]
            if per_language:
                parts.append(get_language() or "")
            # Hashed: arguments may be long query strings, and keys stay short and plain.
            key = f"{name}:{hashlib.sha256(chr(31).join(parts).encode()).hexdigest()[:40]}"
            try:
                found = cache.get_many([*map(_generation_key, labels), key])
                generations = _current_generations(labels, found)
            except Exception:
                logger.warning("The cache cannot be read: computing %s.", name, exc_info=True)
                return function(*args, **kwargs)
            stored = found.get(key)
            if stored is not None and stored[0] == generations:
                return stored[1]
            value = function(*args, **kwargs)
            try:
                cache.set(key, (generations, value), timeout)
            except Exception:
                logger.warning("The cache cannot be written: %s not kept.", name, exc_info=True)
            return value

        return memoized

    return decorate


def canonical_query(params: QueryDict, *, only: Iterable[str] | None = None) -> str:
    """A query string as a memo argument: the same parameters in any order give the same key;
    `only` keeps just the parameters the memoized value depends on."""
    names = None if only is None else set(only)
    pairs = ((key, value) for key, values in params.lists() for value in values)
    return urlencode(sorted(pair for pair in pairs if names is None or pair[0] in names))
