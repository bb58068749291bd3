"""Searching names as people type them: "lea" finds "Léa", "ecole" finds "ÉCOLE", on
PostgreSQL and SQLite alike.

`fold()` lowers a text and takes the accents off the letters of the languages the school deals
with; the `fold` transform does the same in SQL, so that `name__fold__contains=fold(word)`
compares like with like. On PostgreSQL it is `translate(lower(x COLLATE "und-x-icu"), ...)`:
ICU lowers every letter whatever the database's locale (a C locale leaves "É" as it is), and
the expression is immutable, so trigram indexes can be built on it (accounts migration 0007).
The two tables are written into the SQL, not passed as parameters, for the same reason: an
index on an expression serves only the same expression. SQLite gets a function of the same
name on each connection, running `fold()` itself. Changing the tables changes the expression:
the indexes must then be built again, in a new migration.
"""

import unicodedata

from django.db import models
from django.db.backends.signals import connection_created

from .collation import NAME_COLLATION

ACCENTED = "àáâãäåāăąçćčďđèéêëēėęěğìíîïīįıłñńňòóôõöøōőřśšşșťțùúûüūůűųýÿźżž"
# Letters NFD does not split into a base letter and an accent.
_UNSPLIT = {"ø": "o", "ł": "l", "đ": "d", "ı": "i"}
PLAIN = "".join(
    _UNSPLIT.get(letter) or unicodedata.normalize("NFD", letter)[0] for letter in ACCENTED
)
# Lowering "İ" (Istanbul) gives "i" and a combining dot above: the dot is dropped.
DROPPED = "\u0307"
_TABLE = str.maketrans(ACCENTED, PLAIN, DROPPED)
SQLITE_FUNCTION = "mobility_fold"


def fold(text: str) -> str:
    """`text` lowered, without the accents of ACCENTED: what the `fold` transform gives."""
    return text.lower().translate(_TABLE)


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@models.CharField.register_lookup
@models.TextField.register_lookup
class Fold(models.Transform):
    lookup_name = "fold"
    output_field = models.TextField()

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.lhs)
        return f"{SQLITE_FUNCTION}({column})", params

    def as_postgresql(self, compiler, connection):
        column, params = compiler.compile(self.lhs)
        return postgresql_fold_sql(column), params


def postgresql_fold_sql(column: str) -> str:
    """The transform's SQL for a column of the row, as an index on it must be written."""
    lowered = f'lower(({column}) COLLATE "{NAME_COLLATION}")'
    # translate() drops the letters of its second argument that the third one lacks.
    return f"translate({lowered}, {_sql_literal(ACCENTED + DROPPED)}, {_sql_literal(PLAIN)})"


def _add_sqlite_function(sender, connection, **_kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION,
            1,
            lambda text: None if text is None else fold(text),
            deterministic=True,
        )


class FoldedSearchMixin:
    """For a ModelAdmin whose `search_fields` each end in `__fold__contains`: the words typed
    are folded as those columns are, so that the admin's search, and the autocomplete of the
    admins that pick the model, find names as the catalogue's search does ("universite" finds
    "Université", "Sao Paulo" "São Paulo", "MUNCHEN" "München"), on PostgreSQL as on SQLite.
    Quoted phrases keep their quotes (folding leaves them as they are)."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


def register_fold() -> None:
    """Called once at start-up (AccountsConfig.ready)."""
    connection_created.connect(_add_sqlite_function, weak=False, dispatch_uid="search-fold")
