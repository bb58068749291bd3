"""Migration 0006 marks the choice each application already refused by its host was nominated
to, with the date of the refusal, so that the office cannot nominate the student there again."""

from datetime import UTC, date, datetime

import pytest

from tests.migrations import back_to_latest, migrate_to  # noqa: F401 (a fixture)

BEFORE = ("applications", "0005_planrecheck_from_reviews")
AFTER = ("applications", "0006_choice_host_refused_at")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_refusals_made_before_the_migration_are_marked():
    apps = migrate_to(BEFORE)
    User = apps.get_model("accounts", "User")
    Call = apps.get_model("programmes", "Call")
    Plan = apps.get_model("applications", "MobilityPlan")
    Activity = apps.get_model("applications", "Activity")
    Application = apps.get_model("applications", "Application")
    Choice = apps.get_model("applications", "Choice")
    Transition = apps.get_model("applications", "Transition")
    call = Call.objects.create(
        name="Call", academic_year=2027, opens_on=date(2026, 11, 1), closes_on=date(2027, 1, 31)
    )
    dri = User.objects.create(email="dri@example.org", role="dri")
    rows = {}
    for name, state in (("refused", "host_refused"), ("accepted", "accepted")):
        student = User.objects.create(email=f"{name}@example.org", role="student")
        activity = Activity.objects.create(
            plan=Plan.objects.create(student=student),
            kind="exchange_semester",
            start=date(2027, 9, 1),
            end=date(2028, 1, 31),
            country="DE",
            host_name="Host",
        )
        application = Application.objects.create(student=student, call=call, state=state)
        first = Choice.objects.create(application=application, rank=1, activity=activity)
        Choice.objects.create(application=application, rank=2, activity=activity)
        application.nominated_choice = first
        application.save()
        transition = Transition.objects.create(
            application=application, actor=dri, from_state="nominated", to_state=state
        )
        rows[name] = (application, transition)

    apps = migrate_to(AFTER)
    Choice = apps.get_model("applications", "Choice")
    refused, transition = rows["refused"]
    marked = Choice.objects.filter(host_refused_at__isnull=False)
    assert [(c.application_id, c.rank) for c in marked] == [(refused.pk, 1)]
    assert marked.get().host_refused_at == transition.at
    assert marked.get().host_refused_at > datetime(2026, 1, 1, tzinfo=UTC)
