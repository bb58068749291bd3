"""A migration that changes a column's type does not break processes that prepared statements
reading it (PostgreSQL: "cached plan must not change result type")."""

import pytest
from django.db import NotSupportedError, connection, transaction

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scratch_table():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE scratch_names (id integer, name varchar(10))")
        cursor.execute("INSERT INTO scratch_names VALUES (1, 'Ada')")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS scratch_names")


def read_name() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM scratch_names WHERE id = %s", [1])
        return cursor.fetchone()[1]


def widen_the_column() -> None:
    """As another process's migration would: psycopg on this connection must not see it."""
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("ALTER TABLE scratch_names ALTER COLUMN name TYPE varchar(20)")


def test_a_statement_prepared_before_the_migration_runs_after_it(scratch_table):
    for _run in range(3):  # prepared from the third run
        assert read_name() == "Ada"
    widen_the_column()
    assert read_name() == "Ada"
    assert read_name() == "Ada"


def test_inside_a_transaction_the_error_stands_and_the_rollback_clears_it(scratch_table):
    for _run in range(3):
        read_name()
    widen_the_column()
    with pytest.raises(NotSupportedError), transaction.atomic():
        read_name()
    assert read_name() == "Ada"
