"""The index behind the staff queue's sort by student name compares names with ICU's collation,
as the sort does (mobility_portal/collation.py). It is created on PostgreSQL only: on SQLite the
collation is a Python function registered by the portal's own connections, and an index using it
would make the database file unusable by other tools (the sqlite3 shell, `manage.py dbshell`)
for any write to the users table."""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Collate

NAME_INDEX = models.Index(
    Collate(F("last_name"), "und-x-icu"),
    Collate(F("first_name"), "und-x-icu"),
    F("id"),
    name="user_name_collated_idx",
)


def add_on_postgresql(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("accounts", "User"), NAME_INDEX)


def remove_on_postgresql(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("accounts", "User"), NAME_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_notify_label"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="user", name="user_name_order_idx"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="user", index=NAME_INDEX)],
            database_operations=[migrations.RunPython(add_on_postgresql, remove_on_postgresql)],
        ),
    ]
