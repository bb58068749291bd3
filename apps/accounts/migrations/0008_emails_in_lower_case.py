from django.db import migrations
from django.db.models.functions import Lower


def emails_in_lower_case(apps, schema_editor):
    """Accounts are found by their e-mail in lower case: one stored with capitals (typed so in
    the admin) could never log in. It is stored in lower case, unless another account already
    holds that address (the administrators then merge or rename them)."""
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(email=Lower("email")).order_by("pk"):
        lower = user.email.lower()
        if User.objects.filter(email=lower).exists():
            continue
        user.email = lower
        user.save(update_fields=["email"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_student_search_folded"),
    ]

    operations = [
        migrations.RunPython(emails_in_lower_case, migrations.RunPython.noop),
    ]
