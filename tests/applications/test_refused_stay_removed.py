"""A refused student applies again the next year: the stay of the refused application, which
will not take place, can be removed from their plan. It could not (only withdrawn ones could),
so under a newly published version it blocked every new submission with an error on a stay the
student could neither remove nor move."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.models import Activity, ApplicationState, MobilityPlan
from apps.applications.workflow import move
from apps.reviews.services.regulations import regulation_publish
from tests.applications.factories import complete_application, login
from tests.factories import CallFactory
from tests.reviews.dri.builders import in_state, state_of
from tests.reviews.regulations.test_publish_races import figures

pytestmark = pytest.mark.django_db


def test_the_refused_stay_is_removed_and_the_new_application_can_be_submitted(client, student, dri):
    today = timezone.localdate()
    last_year = CallFactory(
        academic_year=today.year - 1,
        opens_on=today - timedelta(days=400),
        closes_on=today - timedelta(days=300),
    )
    refused = in_state(complete_application(student, call=last_year), ApplicationState.UNDER_REVIEW)
    move(refused, actor=dri, to_state=ApplicationState.REFUSED, comment="Not this time.")
    regulation_publish(
        actor=dri, name="2025", figures=figures(semester_minimum_ects=35), note="x", based_on="2024"
    )
    assert MobilityPlan.objects.get(student=student).regulation == "2025"
    open_call = CallFactory(
        academic_year=today.year + 1,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=20),
    )
    again = complete_application(student, call=open_call, ects=35)
    assert services.submission_readiness(again, today).problems  # the refused stay's 30 ECTS

    stay = refused.choices.get().activity
    response = login(client, student).post(reverse("applications:activity_delete", args=[stay.pk]))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=stay.pk).exists()
    assert state_of(refused) == ApplicationState.REFUSED
    assert services.submission_readiness(again, today).problems == []


def test_the_refused_stay_still_keeps_where_it_was(student, dri):
    refused = in_state(complete_application(student), ApplicationState.UNDER_REVIEW)
    move(refused, actor=dri, to_state=ApplicationState.REFUSED, comment="Not this time.")
    stay = refused.choices.get().activity
    with pytest.raises(services.ServiceError):
        services.activity_update(
            actor=student,
            activity=stay,
            fields={**{name: getattr(stay, name) for name in services.ACTIVITY_FIELDS}}
            | {"country": "JP", "partner": None, "host_name": "Elsewhere"},
        )
