"""On PostgreSQL a connection prepares the statements it repeats, so they are planned once."""

import pytest
from django.db import connection

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_the_third_run_of_a_statement_is_prepared():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    asked = User.objects.filter(email="nobody@example.org")
    marker = 'WHERE "accounts_user"."email" = $1'
    for _run in range(2):
        list(asked.all())
    assert not [sql for sql in prepared_statements() if marker in sql]
    list(asked.all())
    assert [sql for sql in prepared_statements() if marker in sql]
