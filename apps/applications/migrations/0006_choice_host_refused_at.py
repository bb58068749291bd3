"""Which host refused the student, on the refused choice itself: the office may nominate the
student again after a refusal, never to that host. Applications refused by their host before
this migration mark their nominated choice, with the date of the refusal."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def mark_refused_choices(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Choice = apps.get_model("applications", "Choice")
    Transition = apps.get_model("applications", "Transition")
    refusals = Transition.objects.filter(
        application=OuterRef("application"), to_state="host_refused"
    ).order_by("-at", "-id")
    refused = Application.objects.filter(state="host_refused", nominated_choice__isnull=False)
    Choice.objects.filter(pk__in=refused.values("nominated_choice")).update(
        host_refused_at=Subquery(refusals.values("at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_planrecheck_from_reviews"),
    ]

    operations = [
        migrations.AddField(
            model_name="choice",
            name="host_refused_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="refused by the host"),
        ),
        migrations.RunPython(mark_refused_choices, migrations.RunPython.noop),
    ]
