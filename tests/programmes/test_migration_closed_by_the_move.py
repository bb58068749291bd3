"""Migration 0005 records, for the closing date changes made before it, whether the move closed
the call: judged on the day each change was made, as their messages were then written."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.migrations import back_to_latest, migrate_to  # noqa: F401 (a fixture)

BEFORE = ("programmes", "0004_call_deadline_change")
AFTER = ("programmes", "0005_call_deadline_change_closed_by_the_move")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_changes_made_before_the_migration_are_judged_on_the_day_they_were_made():
    apps = migrate_to(BEFORE)
    User = apps.get_model("accounts", "User")
    Call = apps.get_model("programmes", "Call")
    Change = apps.get_model("programmes", "CallDeadlineChange")
    dri = User.objects.create(email="dri@example.org", role="dri")
    call = Call.objects.create(
        name="Call", academic_year=2027, opens_on=date(2026, 11, 1), closes_on=date(2027, 1, 31)
    )
    made_on = date(2026, 12, 10)
    # 23:30 local time: an hour later it is the next day, which must not decide.
    late = timezone.make_aware(datetime(2026, 12, 10, 23, 30))
    rows = {}
    for name, to_date in (
        ("past", made_on - timedelta(days=1)),
        ("same_day", made_on),
        ("later", made_on + timedelta(days=5)),
    ):
        change = Change.objects.create(
            call=call, actor=dri, from_date=date(2027, 1, 31), to_date=to_date
        )
        Change.objects.filter(pk=change.pk).update(at=late)
        rows[name] = change.pk

    apps = migrate_to(AFTER)
    Change = apps.get_model("programmes", "CallDeadlineChange")
    closed = dict(Change.objects.values_list("pk", "closed_by_the_move"))
    assert closed == {rows["past"]: True, rows["same_day"]: False, rows["later"]: False}
