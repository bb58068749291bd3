"""PlanRecheck, formerly in the reviews app (reviews.0003 renamed its table): the model's state
only, the table is already there."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_queue_state_and_country_indexes"),
        ("reviews", "0003_move_planrecheck_to_applications"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="PlanRecheck",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("status", models.CharField(choices=[("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")], default="queued", max_length=10, verbose_name="status")),
                        ("total", models.PositiveIntegerField(default=0, verbose_name="plans to check")),
                        ("checked", models.PositiveIntegerField(default=0, verbose_name="plans checked")),
                        ("compliant", models.PositiveIntegerField(default=0, verbose_name="compliant plans")),
                        ("invalid", models.PositiveIntegerField(default=0, verbose_name="plans invalid under their regulation")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="asked at")),
                        ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last progress")),
                        ("started_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="started by")),
                    ],
                    options={
                        "verbose_name": "plan re-check",
                        "verbose_name_plural": "plan re-checks",
                        "ordering": ["-created_at", "-id"],
                    },
                )
            ],
        )
    ]
