"""How an activity is named where the plan's stays are listed in words: its kind, its host
when it names one, and its dates."""

from datetime import date

import pytest
from django.urls import reverse

from tests.applications.factories import login
from tests.applications.plan_helpers import add_activity

INTERNSHIP = {
    "kind": "engineering_internship",
    "start": date(2028, 2, 1),
    "end": date(2028, 7, 31),
    "country": "CA",
    "host_name": "",
    "ects": None,
}


@pytest.mark.django_db
def test_an_internship_naming_no_host_is_named_by_its_kind_and_dates(client, student):
    """The removal page read "Remove “Engineering internship —  (01/02/2028 → 31/07/2028)”":
    a dash before a host that is not there."""
    internship = add_activity(student, **INTERNSHIP)
    login(client, student)
    response = client.get(reverse("applications:activity_delete", args=[internship.pk]))
    content = response.content.decode()
    assert "“Engineering internship (01/02/2028 → 31/07/2028)”" in content
    assert str(internship) == "Engineering internship (01/02/2028 → 31/07/2028)"


@pytest.mark.django_db
def test_a_stay_naming_its_host_keeps_it_after_its_kind(student):
    semester = add_activity(student)
    assert str(semester) == "One semester of exchange — TU Berlin (01/09/2027 → 31/01/2028)"
