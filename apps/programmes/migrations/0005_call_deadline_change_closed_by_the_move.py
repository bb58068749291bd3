from django.db import migrations, models
from django.utils import timezone


def judge_past_changes(apps, schema_editor):
    """The changes made before: closed by the move when moved to a day already past on the day
    they were made (what their messages said when they were written)."""
    CallDeadlineChange = apps.get_model("programmes", "CallDeadlineChange")
    closed = [
        change.pk
        for change in CallDeadlineChange.objects.only("pk", "at", "to_date").iterator()
        if change.to_date < timezone.localtime(change.at).date()
    ]
    CallDeadlineChange.objects.filter(pk__in=closed).update(closed_by_the_move=True)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0004_call_deadline_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="calldeadlinechange",
            name="closed_by_the_move",
            field=models.BooleanField(default=False, verbose_name="closed by the move"),
        ),
        migrations.RunPython(judge_past_changes, migrations.RunPython.noop),
    ]
