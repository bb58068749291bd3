"""Writing many rows' values at once (mobility_portal/bulk.py): what `bulk_update` writes, in
one statement (on PostgreSQL; elsewhere through `bulk_update` itself)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.applications.models import Activity, Application, ApplicationState, MobilityPlan
from mobility_portal import bulk
from mobility_portal.bulk import update_each
from tests.applications.factories import ActivityFactory, ApplicationFactory, ChoiceFactory
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_and_nothing_else_changes():
    applications = [ApplicationFactory(motivation=f"mine {n}") for n in range(3)]
    untouched = ApplicationFactory(state=ApplicationState.SUBMITTED)
    choices = [ChoiceFactory(application=application) for application in applications]
    applications[0].state = ApplicationState.NOMINATED
    applications[0].nominated_choice = choices[0]
    applications[1].state = ApplicationState.REFUSED
    applications[2].state = ApplicationState.NOMINATED
    applications[2].nominated_choice = choices[2]
    applications[2].motivation = "not saved: not one of the fields"

    update_each(applications, ["state", "nominated_choice"])

    stored = Application.objects.in_bulk([application.pk for application in applications])
    assert [
        (stored[a.pk].state, stored[a.pk].nominated_choice_id, stored[a.pk].motivation)
        for a in applications
    ] == [
        (ApplicationState.NOMINATED, choices[0].pk, "mine 0"),
        (ApplicationState.REFUSED, None, "mine 1"),
        (ApplicationState.NOMINATED, choices[2].pk, "mine 2"),
    ]
    untouched.refresh_from_db()
    assert untouched.state == ApplicationState.SUBMITTED


def test_nulls_countries_booleans_and_times_are_written_as_their_columns_hold_them():
    partner = PartnerFactory(country="FI")
    moved, cleared = ActivityFactory(), ActivityFactory(partner=partner)
    moved.partner, moved.country, moved.host_name = partner, "FI", ""
    cleared.partner, cleared.country, cleared.host_name = None, "BR", "Universidade de São Paulo"
    update_each([moved, cleared], ["partner", "country", "host_name"])
    rows = Activity.objects.in_bulk([moved.pk, cleared.pk])
    assert (rows[moved.pk].partner_id, rows[moved.pk].country.code) == (partner.pk, "FI")
    assert (rows[cleared.pk].partner_id, rows[cleared.pk].country.code) == (None, "BR")
    assert rows[cleared.pk].host_name == "Universidade de São Paulo"

    plans = [moved.plan, cleared.plan]
    checked = timezone.now() - timedelta(minutes=5)
    for plan, compliant in zip(plans, (True, False), strict=True):
        plan.compliant, plan.error_count, plan.qualifying_days = compliant, 2, 150
        plan.checked_at = checked
    update_each(plans, ["compliant", "error_count", "qualifying_days", "checked_at"])
    assert list(
        MobilityPlan.objects.filter(pk__in=[plan.pk for plan in plans])
        .order_by("pk")
        .values_list("compliant", "error_count", "qualifying_days", "checked_at")
    ) == [(True, 2, 150, checked), (False, 2, 150, checked)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite goes through bulk_update")
def test_on_postgresql_one_statement_per_batch_of_parameters(monkeypatch):
    applications = [ApplicationFactory() for _n in range(5)]
    for application in applications:
        application.state = ApplicationState.REFUSED
    monkeypatch.setattr(bulk, "MAX_PARAMETERS", 4)  # two rows of (id, state) a statement
    with CaptureQueriesContext(connection) as queries:
        update_each(applications, ["state"])
    assert len(queries) == 3
    assert set(
        Application.objects.filter(pk__in=[a.pk for a in applications]).values_list(
            "state", flat=True
        )
    ) == {ApplicationState.REFUSED}


def test_nothing_to_write_writes_nothing():
    with CaptureQueriesContext(connection) as queries:
        update_each([], ["state"])
    assert len(queries) == 0


def test_an_expression_is_written_as_bulk_update_writes_it():
    applications = [ApplicationFactory(ranking_score=10) for _n in range(2)]
    for application in applications:
        application.ranking_score = F("ranking_score") + 1
    update_each(applications, ["ranking_score"])
    assert set(
        Application.objects.filter(pk__in=[a.pk for a in applications]).values_list(
            "ranking_score", flat=True
        )
    ) == {11}
