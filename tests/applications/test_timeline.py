from datetime import date

import pytest
from django.urls import reverse

from apps.applications.models import Activity
from apps.applications.timeline import assign_lanes, first_academic_year
from tests.applications.plan_helpers import add_activity


@pytest.mark.parametrize(
    ("year_of_study", "today", "expected"),
    [(1, date(2026, 11, 27), 2026), (2, date(2026, 11, 27), 2025), (3, date(2027, 3, 1), 2024)],
)
def test_first_academic_year(year_of_study, today, expected):
    assert first_academic_year(year_of_study, today) == expected


def test_overlapping_activities_get_their_own_lanes():
    activities = [
        Activity(start=date(2027, 1, 1), end=date(2027, 6, 30)),
        Activity(start=date(2027, 3, 1), end=date(2027, 4, 30)),
        Activity(start=date(2027, 7, 1), end=date(2027, 8, 31)),
    ]
    assert assign_lanes(activities) == [0, 1, 0]


@pytest.mark.django_db
def test_timeline_svg_names_activities_and_progress(client, student):
    add_activity(student, host_name="KTH")
    client.force_login(student)
    response = client.get(reverse("applications:plan_timeline"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<?xml")
    assert "KTH" in svg
    assert "Time abroad: the study stay meets the minimum.</desc>" in svg
    assert ">Time abroad: the study stay meets the minimum</text>" in svg
    assert ".." not in svg
    assert "1A" in svg and "3A" in svg


@pytest.mark.django_db
def test_timeline_in_french(client, student):
    add_activity(
        student, kind="fh_internship", ects=None, start=date(2027, 7, 1), end=date(2027, 8, 15)
    )
    client.force_login(student)
    svg = client.get(reverse("applications:plan_timeline")).content.decode()
    assert "Été" in svg
