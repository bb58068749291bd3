"""Numbers in URLs and forms that str.isdigit() accepts but int() refuses ("²") or that no key
column holds: answered like any other wrong value, never a server error."""

import pytest
from django.urls import reverse

from apps.applications.models import Application
from mobility_portal.parsing import whole_number
from tests.applications.factories import login
from tests.applications.plan_helpers import activity_post_data
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import confirm_url, decisions_post, seen_post, waiting

SUPERSCRIPT_TWO = "\u00b2"
TOO_LONG = "9" * 25


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0", 0),
        ("42", 42),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),
        (SUPERSCRIPT_TWO, None),
        ("\u0663", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1 ", None),
        ("", None),
        ("1e3", None),
    ],
)
def test_whole_number_reads_ascii_digits_only(text, number):
    assert whole_number(text) == number


@pytest.mark.django_db
@pytest.mark.parametrize("page", [SUPERSCRIPT_TWO, "9" * 5000])
def test_the_catalogue_takes_any_page_number(client, page):
    response = client.get(reverse("programmes:catalogue"), {"page": page})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("year", [SUPERSCRIPT_TWO, TOO_LONG])
def test_the_staff_dashboard_takes_any_year(client, dri, year):
    CallFactory(academic_year=2027)
    response = login(client, dri).get(reverse("reviews:reporting"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == 2027


@pytest.mark.django_db
@pytest.mark.parametrize("activity_id", [SUPERSCRIPT_TWO, TOO_LONG])
def test_the_live_check_takes_any_activity_id(client, student, activity_id):
    client.force_login(student)
    data = {**activity_post_data(ects=30), "activity_id": activity_id}
    response = client.post(reverse("applications:plan_live_check"), data)
    assert response.status_code == 200
    assert response.context["draft_id"] is not None  # checked as a new activity


@pytest.mark.django_db
@pytest.mark.parametrize("key", [SUPERSCRIPT_TWO, TOO_LONG])
def test_allocation_ignores_decisions_for_keys_no_application_has(client, dri, key):
    call = CallFactory(academic_year=2027)
    placed = waiting(call, [AgreementFactory(seats_per_year=1)], score="15")
    data = {
        **decisions_post({placed: placed.choices.get(rank=1)}),
        **seen_post([placed]),
        f"decision-{key}": "unplaced",
        f"seen-{key}": "submitted:1:",
    }
    response = login(client, dri).post(confirm_url(call), data)
    assert response.status_code in (200, 302)
    assert Application.objects.get(pk=placed.pk).state == "nominated"
