"""Wrappers around every statement of every connection; prepared statements that outlive a
schema change.

PostgreSQL refuses to run a prepared statement whose result columns changed type since it was
prepared ("cached plan must not change result type"): after a migration that alters a column,
every web and worker process still running would fail on that statement until its connection
closes, and a connection that passes its health check is kept. Outside a transaction the
statement is simply prepared again: DEALLOCATE ALL empties the connection's prepared statements
(psycopg forgets its own list when it sees the command) and the statement runs once more. Inside
a transaction the statement cannot be retried; the rollback that follows empties them.
"""

from django.db import NotSupportedError
from django.db.backends.signals import connection_created

STALE_PLAN = "cached plan must not change result type"


def _prepare_again_after_schema_change(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as error:
        connection = context["connection"]
        if STALE_PLAN not in str(error) or connection.in_atomic_block:
            raise
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        return execute(sql, params, many, context)


def wrap_every_connection(wrapper, *, vendor: str | None = None) -> None:
    """Put `wrapper` around every statement of every connection this process opens (of one
    vendor, if given): called once at start-up (AccountsConfig.ready)."""

    def watch(sender, connection, **_kwargs) -> None:
        if vendor is not None and connection.vendor != vendor:
            return
        # At the front: `connection.execute_wrapper()` blocks pop the last wrapper on their way
        # out, and a connection may open inside one.
        if wrapper not in connection.execute_wrappers:
            connection.execute_wrappers.insert(0, wrapper)

    connection_created.connect(watch, weak=False, dispatch_uid=f"wrap:{wrapper.__qualname__}")


def prepare_again_after_schema_changes() -> None:
    wrap_every_connection(_prepare_again_after_schema_change, vendor="postgresql")
