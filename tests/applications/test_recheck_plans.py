import io

import pytest
from django.core.management import call_command

from apps.applications.models import MobilityPlan
from tests.applications.plan_helpers import add_activity


@pytest.mark.django_db
def test_recheck_updates_every_stored_verdict(student, other_student):
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
def test_recheck_reports_plans_invalid_under_their_version(student):
    add_activity(student)
    MobilityPlan.objects.update(regulation="1999")
    out, err = io.StringIO(), io.StringIO()
    call_command("recheck_plans", stdout=out, stderr=err)
    assert "regulation" in err.getvalue()
    assert "1 invalid" in out.getvalue()
