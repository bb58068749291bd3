"""PlanRecheck moves to the applications app, which runs the re-check (tasks.py): the table is
renamed to that app's name here, and applications.0005 takes the model over without touching
the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_planrecheck")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="planrecheck", table="applications_planrecheck")
            ],
            state_operations=[migrations.DeleteModel(name="PlanRecheck")],
        )
    ]
