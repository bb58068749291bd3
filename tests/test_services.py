"""With REQUIRE_SERVICES=1 (CI), prove the suite really ran on PostgreSQL and Redis."""

import os

import pytest
from django.db import connection

requires_services = pytest.mark.skipif(
    os.environ.get("REQUIRE_SERVICES") != "1", reason="services are only required on CI"
)


@requires_services
@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"


@requires_services
def test_redis_answers():
    import redis

    assert redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=3).ping()
