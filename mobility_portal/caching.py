"""Values read from many rows (filter menus, report counts, whole pages), kept in the shared
cache until one of the tables they come from changes.

Every table has a generation in the cache. Every statement that writes a table (INSERT, UPDATE,
DELETE, through the ORM, a bulk update or raw SQL, from any process: web, worker, command) gives
that table a new generation, at once and again when its transaction commits, so that no request
keeps a value computed from rows about to change under the new generation. A memo names the
models it reads and is computed again when one of their generations moves on; a kept page
(mobility_portal/page_cache.py) learns the tables it reads from its own SELECT statements.
`everything_changed()` forgets every value at once (after seed_scale), and every value expires
after its timeout anyway. Keys carry the release (a digest of the code, templates, translations
and assets), so that after a deploy nothing the previous release computed is served. When the
cache cannot be reached, values are computed as if nothing were kept, and writes go on.

With several web processes the cache must be shared (CACHE_URL, Redis in production): the
generations are how one process learns that another has written.
"""

import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache as once
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import get_language

from .database import wrap_every_connection

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_TIMEOUT = 300
_GENERATION = "memo:generation:"
# A generation every memo depends on, moved on by everything_changed().
EVERYTHING = "*"
logger = logging.getLogger(__name__)


# Statements that change a table, and the tables a SELECT reads (Django quotes table names;
# a schema before the table's name is skipped, comments before a statement too).
_COMMENTS = re.compile(r"\s*(?:/\*.*?\*/\s*|--[^\n]*\n\s*)*", re.DOTALL)
_NAME = r'(?:"?\w+"?\.)?"?(\w+)"?'
_WRITE = re.compile(
    rf"(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+ONLY)?|DELETE\s+FROM(?:\s+ONLY)?)\s+{_NAME}",
    re.IGNORECASE,
)
# Statements whose tables are not worth finding out: they forget everything.
_WRITES_ANYTHING = re.compile(r"(?:TRUNCATE|MERGE|WITH|COPY)\b", re.IGNORECASE)
_READ = re.compile(rf"\b(?:FROM|JOIN)\s+{_NAME}", re.IGNORECASE)
# A login's own write, shown on no page: without this every login would forget every page.
_LAST_LOGIN = re.compile(r'UPDATE\s+"\w+"\s+SET\s+"last_login"\s*=\s*\S+\s+WHERE\s', re.I)
# Tables whose writes say nothing about what pages show: sessions slide on every staff request.
_NOT_SHOWN = frozenset({"django_session"})
# The tables read so far by the request (or block) being recorded, if any.
_reads: ContextVar[set[str] | None] = ContextVar("tables_read", default=None)


def digest(*parts: object) -> str:
    """A short, plain key part for arguments of any length (query strings, forms)."""
    return hashlib.sha256(chr(31).join(map(str, parts)).encode()).hexdigest()[:40]


# What a release serves: a change to any of these files may change what a page shows.
RELEASE_FOLDERS = ("apps", "mobility_portal", "templates", "locale", "static")
RELEASE_FILES = ("requirements.txt",)  # the libraries' templates and labels
RELEASE_SUFFIXES = frozenset({".py", ".html", ".txt", ".svg", ".mo", ".css", ".js", ".json"})


@once
def release() -> str:
    """A digest of the files this process serves pages from, read once at start-up
    (AccountsConfig.ready; a few megabytes). Machines running the same release share their kept
    values. Files that cannot be read give this process a release of its own."""
    base = Path(settings.BASE_DIR)
    sha = hashlib.sha256()
    try:
        paths = [base / name for name in RELEASE_FILES]
        for folder in RELEASE_FOLDERS:
            paths += sorted((base / folder).rglob("*"))
        for path in paths:
            if path.suffix in RELEASE_SUFFIXES and path.is_file():
                sha.update(path.relative_to(base).as_posix().encode() + b"\0")
                sha.update(path.read_bytes())
    except OSError:
        logger.warning("The release cannot be read: this process keeps values of its own.")
        return uuid.uuid4().hex[:16]
    return sha.hexdigest()[:16]


def table_of(model: type[models.Model]) -> str:
    return model._meta.db_table


def generation_key(label: str) -> str:
    return f"{_GENERATION}{label}"


def _new_generation(label: str) -> None:
    try:
        cache.set(generation_key(label), uuid.uuid4().hex, None)
    except Exception:  # the cache is down: what it holds goes stale until it expires
        logger.warning("Could not move the cache generation of %s on.", label, exc_info=True)


def _table_written(label: str) -> None:
    _new_generation(label)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _new_generation(label), robust=True)


def tables_changed(*changed: type[models.Model]) -> None:
    """Forget every value read from these models (writes are seen on their own: this is for
    rows changed outside the database's statements)."""
    for model in changed:
        _table_written(table_of(model))


def everything_changed() -> None:
    """Forget every value: after a bulk load of many tables (seed_scale, imports)."""
    _table_written(EVERYTHING)


def _track_statement(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not isinstance(sql, str):  # composed SQL: not worth parsing, so assume the worst
        _table_written(EVERYTHING)
        return result
    statement = sql[_COMMENTS.match(sql).end() :]
    written = _WRITE.match(statement)
    if written:
        # An UPDATE or DELETE that changed no row changes nothing (beat's polls, for one); an
        # INSERT ... RETURNING tells its row count only once its rows are fetched.
        changed = statement[:1] in "Ii" or getattr(context["cursor"], "rowcount", -1) != 0
        if changed and written.group(1) not in _NOT_SHOWN and not _LAST_LOGIN.match(statement):
            _table_written(written.group(1))
    elif _WRITES_ANYTHING.match(statement):
        _table_written(EVERYTHING)
    else:
        reading = _reads.get()
        if reading is not None:
            reading.update(_READ.findall(statement))
    return result


def storing_is_safe() -> bool:
    """Whether a value computed now may be kept: not inside a transaction (the test suite's own
    aside), which could still roll back what the value was computed from."""
    return not any(
        not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def track_writes() -> None:
    """Watch every statement of every database connection this process opens, so that a write
    from any process counts."""
    wrap_every_connection(_track_statement)


@contextmanager
def recording_reads() -> Iterator[set[str]]:
    """The tables read inside the block, by its statements and by the memos it consults."""
    tables: set[str] = set()
    token = _reads.set(tables)
    try:
        yield tables
    finally:
        _reads.reset(token)


def _record(labels: Iterable[str]) -> None:
    reading = _reads.get()
    if reading is not None:
        reading.update(labels)


def current_generations(labels: Iterable[str], found: dict | None = None) -> dict[str, Any]:
    """Each table's generation, taken from `found` (what a get_many of their generation keys
    returned) or read in one round trip, and created when the cache has none; raises when the
    cache cannot be read."""
    labels = list(labels)
    if found is None:
        found = cache.get_many([generation_key(label) for label in labels])
    return dict(zip(labels, _current_generations(labels, found), strict=True))


def _current_generations(labels: list[str], found: dict) -> tuple[str, ...]:
    generations = []
    for label in labels:
        key = generation_key(label)
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
    labels = [EVERYTHING, *(table_of(model) for model in reads)]

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        name = f"memo:{function.__module__}.{function.__qualname__}"

        @wraps(function)
        def memoized(*args: P.args, **kwargs: P.kwargs) -> R:
            parts = [*map(repr, args), *(f"{k}={v!r}" for k, v in sorted(kwargs.items()))]
            if per_language:
                parts.append(get_language() or "")
            # Hashed: arguments may be long query strings, and keys stay short and plain.
            key = f"{name}:{release()}:{digest(*parts)}"
            try:
                found = cache.get_many([*map(generation_key, labels), key])
                generations = _current_generations(labels, found)
            except Exception:
                logger.warning("The cache cannot be read: computing %s.", name, exc_info=True)
                return function(*args, **kwargs)
            _record(labels)
            stored = found.get(key)
            if stored is not None and stored[0] == generations:
                return stored[1]
            value = function(*args, **kwargs)
            if not storing_is_safe():
                return value
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
