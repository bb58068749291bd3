import re
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
def test_a_stay_naming_no_host_is_described_as_such(client, student):
    add_activity(
        student,
        kind="summer_stay",
        summer_type="summer_school",
        host_name="",
        ects=None,
        country="CA",
        start=date(2027, 7, 1),
        end=date(2027, 8, 15),
    )
    client.force_login(student)
    response = client.get(reverse("applications:plan_timeline"), HTTP_ACCEPT_LANGUAGE="en")
    svg = response.content.decode()
    assert "Summer stay (between 2A and 3A), host not named, Canada, 01/07/2027 – 15/08/2027" in svg
    assert ", —," not in svg


@pytest.mark.django_db
def test_timeline_in_french(client, student):
    add_activity(
        student, kind="fh_internship", ects=None, start=date(2027, 7, 1), end=date(2027, 8, 15)
    )
    client.force_login(student)
    svg = client.get(reverse("applications:plan_timeline")).content.decode()
    assert "Été" in svg


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    light, dark = sorted([_luminance(first), _luminance(second)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_bar_s_label_is_readable():
    """WCAG AA for the 12 px labels: 4.5:1, white on the dark bars, dark on the light ones
    (three bars had 3.7 to 4.46)."""
    from apps.applications.timeline import HOME_COLOUR, KIND_COLOURS, LIGHT_COLOURS

    for colour in [*KIND_COLOURS.values(), HOME_COLOUR]:
        text = "#212529" if colour in LIGHT_COLOURS else "#ffffff"
        assert _contrast(colour, text) >= 4.5, colour


def test_the_focus_outline_and_the_navigation_are_readable():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css").read_text()
    assert "outline: 3px solid #a04f00" in css and _contrast("#a04f00", "#ffffff") >= 3
    assert "background-color: #0a58ca" in css and _contrast("#0a58ca", "#ffffff") >= 4.5


@pytest.mark.django_db
def test_a_band_label_longer_than_its_band_is_drawn_to_its_width(client, student):
    """ "Summer" ran over the next band in English: it is drawn to its band's width (less its
    margins); "Été" and "1A" fit and are left as they are."""
    add_activity(student, host_name="KTH")
    client.force_login(student)
    english = client.get(reverse("applications:plan_timeline"), HTTP_ACCEPT_LANGUAGE="en")
    bands = re.findall(
        r'<rect x="[\d.]+" y="24" width="([\d.]+)"[^>]*/>\s*<text [^>]*?'
        r'(?:textLength="([\d.]+)" lengthAdjust="spacingAndGlyphs")?>([^<]+)</text>',
        english.content.decode(),
    )
    squeezed = {label for _width, room, label in bands if room}
    assert squeezed == {"Summer"}
    assert all(float(room) == float(width) - 8 for width, room, _label in bands if room)
    french = client.get(reverse("applications:plan_timeline"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "textLength" not in french.content.decode()
