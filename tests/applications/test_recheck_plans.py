import io

import pytest
from django.core.management import call_command

from apps.accounts.models import StudentProfile
from apps.applications.models import MobilityPlan, PlanRecheckStatus
from apps.applications.tasks import plan_recheck_run, plan_recheck_start
from tests.applications.plan_helpers import add_activity


@pytest.mark.django_db
def test_recheck_updates_every_stored_verdict(student, other_student, english):
    add_activity(student, ects=30)
    add_activity(other_student, ects=10)
    MobilityPlan.objects.update(compliant=True, error_count=0, checked_at=None)
    out = io.StringIO()
    call_command("recheck_plans", stdout=out)
    verdicts = dict(MobilityPlan.objects.values_list("student__email", "error_count"))
    assert verdicts == {student.email: 1, other_student.email: 2}
    assert not MobilityPlan.objects.filter(checked_at__isnull=True).exists()
    assert out.getvalue().strip() == "2 plans checked: 0 compliant, 2 with errors, 0 invalid."


@pytest.mark.django_db
def test_recheck_reports_plans_invalid_under_their_version(student, english):
    add_activity(student)
    MobilityPlan.objects.update(regulation="1999")
    out, err = io.StringIO(), io.StringIO()
    call_command("recheck_plans", stdout=out, stderr=err)
    assert "regulation" in err.getvalue()
    assert out.getvalue() == "1 plan checked: 0 compliant, 0 with errors, 1 invalid.\n"


@pytest.mark.django_db
def test_a_plan_whose_student_lost_their_profile_is_invalid_not_the_end_of_the_run(
    student, other_student, dri, english
):
    """A profile deleted in the admin made the command stop with a traceback, and the re-check
    from the Operations page fail whole."""
    add_activity(student, ects=30)
    add_activity(other_student, ects=30)
    StudentProfile.objects.filter(user=student).delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("recheck_plans", stdout=out, stderr=err)
    assert out.getvalue() == "2 plans checked: 0 compliant, 1 with errors, 1 invalid.\n"
    assert err.getvalue() == (
        f"plan {student.mobility_plan.pk} ({student}): This student has no profile (track and "
        "year): the plan cannot be checked.\n"
    )
    recheck = plan_recheck_start(actor=dri)
    plan_recheck_run(recheck_id=recheck.pk)
    recheck.refresh_from_db()
    assert (recheck.status, recheck.checked, recheck.invalid) == (PlanRecheckStatus.DONE, 2, 1)


@pytest.mark.django_db
def test_recheck_writes_through_the_catalogue(student, monkeypatch):
    """Its summary and its lines were English whatever the language, as no other command for
    the staff is (send_pending_notifications, send_deadline_reminders)."""
    from apps.applications.management.commands import recheck_plans

    monkeypatch.setattr(recheck_plans, "_", lambda text: f"[{text}]")
    monkeypatch.setattr(
        recheck_plans, "ngettext", lambda one, many, n: f"[{one if n == 1 else many}]"
    )
    StudentProfile.objects.filter(user=student).delete()
    MobilityPlan.objects.create(student=student)
    out, err = io.StringIO(), io.StringIO()
    call_command("recheck_plans", stdout=out, stderr=err)
    assert out.getvalue() == "[1 plan checked: 0 compliant, 0 with errors, 1 invalid.]\n"
    assert err.getvalue().startswith(f"[plan {student.mobility_plan.pk} ({student}): ")
