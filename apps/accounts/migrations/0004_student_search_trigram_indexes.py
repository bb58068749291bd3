"""Trigram indexes for the staff queue's student search (reviews.filters.QueueFilter.search):
`icontains` is `UPPER(column) LIKE '%WORD%'`, which no B-tree serves; on PostgreSQL a GIN index
over the same expression with pg_trgm does. Other databases (SQLite in development) get none.
"""

import warnings

from django.db import DatabaseError, migrations, transaction

SEARCHED = [
    ("accounts_user", "first_name", "user_first_name_trgm"),
    ("accounts_user", "last_name", "user_last_name_trgm"),
    ("accounts_user", "email", "user_email_trgm"),
    ("accounts_studentprofile", "student_number", "profile_number_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension: a role with CREATE on the database may add it. Some
    # managed databases refuse even so: the search then works without these indexes.
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as refusal:
        warnings.warn(
            f"pg_trgm could not be created ({refusal}); the staff queue's student search "
            "works without its trigram indexes.",
            stacklevel=1,
        )
        return
    for table, column, name in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_name_order_index")]

    operations = [migrations.RunPython(create, drop)]
