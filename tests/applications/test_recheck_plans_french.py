"""recheck_plans' summary in French (the site's default language).

Its plural follows the number of plans checked only: each other figure is written as a label
and its number ("conformes : 0"), which agrees whatever the number, where "0 conformes, 1
invalides" did not."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from apps.applications.models import MobilityPlan
from tests.applications.plan_helpers import add_activity


@pytest.mark.django_db
def test_each_figure_of_the_summary_agrees_with_its_own_number(student):
    add_activity(student)
    MobilityPlan.objects.update(regulation="1999")  # one plan, invalid under its version
    out, err = io.StringIO(), io.StringIO()
    with translation.override("fr"):
        call_command("recheck_plans", stdout=out, stderr=err)
    summary = out.getvalue()
    assert summary.startswith("1 plan vérifié"), summary
    assert "1 invalides" not in summary and "0 conformes" not in summary, summary
