"""Migration 0008 gives each submitted choice outside partnerships the host and country its
activity named at submission: from the snapshot when a nomination has moved the activity to a
partner since, from the activity otherwise. Drafts keep reading their activity."""

from datetime import date

import pytest

from tests.migrations import back_to_latest, migrate_to  # noqa: F401 (a fixture)

BEFORE = ("applications", "0007_host_letters_kept")
AFTER = ("applications", "0008_choice_own_host")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_submitted_choices_outside_partnerships_keep_their_host():
    apps = migrate_to(BEFORE)
    User = apps.get_model("accounts", "User")
    Call = apps.get_model("programmes", "Call")
    Partner = apps.get_model("programmes", "Partner")
    Plan = apps.get_model("applications", "MobilityPlan")
    Activity = apps.get_model("applications", "Activity")
    Application = apps.get_model("applications", "Application")
    Choice = apps.get_model("applications", "Choice")
    call = Call.objects.create(
        name="Call", academic_year=2027, opens_on=date(2026, 11, 1), closes_on=date(2027, 1, 31)
    )
    partner = Partner.objects.create(name="TU Berlin", country="DE", city="Berlin")
    choices = {}
    for name, submitted, moved in (
        ("moved", True, True),
        ("in place", True, False),
        ("draft", False, False),
    ):
        student = User.objects.create(email=f"{name.replace(' ', '')}@example.org")
        activity = Activity.objects.create(
            plan=Plan.objects.create(student=student),
            kind="exchange_semester",
            start=date(2027, 9, 1),
            end=date(2028, 1, 31),
            country="DE" if moved else "CA",
            host_name="" if moved else "University of Toronto",
            partner=partner if moved else None,
        )
        snapshot = {
            "plan": {"activities": [{"id": str(activity.pk), "country": "CA"}]},
            "hosts": {str(activity.pk): "University of Toronto"},
        }
        application = Application.objects.create(
            student=student,
            call=call,
            state="nominated" if submitted else "draft",
            snapshot=snapshot if moved else None,
            submitted_at="2026-12-01T10:00:00Z" if submitted else None,
        )
        choices[name] = Choice.objects.create(application=application, rank=1, activity=activity)

    apps = migrate_to(AFTER)
    Choice = apps.get_model("applications", "Choice")
    kept = {
        name: Choice.objects.values_list("host_name", "host_country").get(pk=choice.pk)
        for name, choice in choices.items()
    }
    assert kept == {
        "moved": ("University of Toronto", "CA"),
        "in place": ("University of Toronto", "CA"),
        "draft": ("", ""),
    }
