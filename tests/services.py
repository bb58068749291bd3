"""Reachability of the external services the suite runs against when configured."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

# The suite's Redis databases are fixed numbers, flushed by the tests that use them: two such
# tests at once would empty each other's queue or cache. `make test` runs the rest of the suite
# on every core (pytest-xdist), then these alone, one at a time. (xdist's own grouping,
# --dist loadgroup, does not group under pytest 9: it renames items in a way pytest 9 ignores.)
SHARES_REDIS = pytest.mark.shares_redis


def service_problems() -> list[str]:
    problems = []
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        problems.append("DATABASE_URL does not point at PostgreSQL")
    else:
        import psycopg

        # The server must answer; the test database itself is created by pytest-django.
        server = urlsplit(database_url.replace("pgsql://", "postgresql://"))._replace(
            path="/postgres"
        )
        try:
            psycopg.connect(urlunsplit(server), connect_timeout=3).close()
        except psycopg.OperationalError as exc:
            problems.append(f"PostgreSQL unreachable: {exc}".strip())
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        problems.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            problems.append(f"Redis unreachable: {exc}")
    return problems
