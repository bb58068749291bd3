"""The staff queue's student search compares folded names (mobility_portal/search.py: lowered
and without accents, "lea" finds "Léa"): its trigram indexes are rebuilt on that expression,
replacing those of migration 0004 on UPPER(name). E-mail and student number keep theirs.
PostgreSQL with pg_trgm only, as in 0004."""

from django.db import migrations

# mobility_portal.search.postgresql_fold_sql() as of this migration, written out: an index
# serves only its own expression, so a later change of the tables there needs its own
# migration (tests/reviews/dri/test_queue_queries.py fails until it has one).
FOLDED = (
    'translate(lower(({column}) COLLATE "und-x-icu"), '
    "'àáâãäåāăąçćčďđèéêëēėęěğìíîïīįıłñńňòóôõöøōőřśšşșťțùúûüūůűųýÿźżž\u0307', "
    "'aaaaaaaaacccddeeeeeeeegiiiiiiilnnnoooooooorssssttuuuuuuuuyyzzz')"
)


def postgresql_fold_sql(column: str) -> str:
    return FOLDED.format(column=column)

NAMES = [
    ("first_name", "user_first_name_trgm", "user_first_name_fold_trgm"),
    ("last_name", "user_last_name_trgm", "user_last_name_fold_trgm"),
]


def _has_trigrams(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _has_trigrams(schema_editor):
        return
    for column, upper_index, folded_index in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {upper_index}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {folded_index} ON accounts_user "
            f"USING gin (({postgresql_fold_sql(column)}) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _has_trigrams(schema_editor):
        return
    for column, upper_index, folded_index in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {folded_index}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {upper_index} ON accounts_user "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_name_index_collated")]

    operations = [migrations.RunPython(forwards, backwards)]
