"""Below each error of the regulations check, the student's pages say what to change in the
plan to clear it; the engine's message says what is wrong."""

import re
from datetime import date

import pytest
from django.urls import reverse

from apps.applications.advice import ADVICE
from apps.rules.rules import RULES
from tests.applications.factories import ApplicationFactory, login
from tests.applications.plan_helpers import activity_post_data, add_activity

ECTS_ADVICE = (
    "What to do: Plan enough courses at the host to reach the minimum, and give their total as "
    "the planned ECTS credits."
)


def text_of(response) -> str:
    """The page's words, tags taken out and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_every_error_the_engine_finds_has_advice():
    errors = {rule.id for rule in RULES if rule.severity == "error"}
    assert errors == set(ADVICE)


@pytest.mark.django_db
def test_the_plan_says_what_to_do_about_each_error(client, student):
    add_activity(student, ects=20)
    add_activity(
        student,
        kind="engineering_internship",
        start=date(2028, 1, 1),
        end=date(2028, 6, 30),
        host_name="",
        ects=None,
    )
    content = text_of(login(client, student).get(reverse("applications:plan")))
    assert ECTS_ADVICE in content
    assert (
        "What to do: Change the dates of one of the two activities so that they no longer "
        "overlap, or remove one of them."
    ) in content
    # A warning asks nothing of the student: the host outside partnerships is their choice.
    assert content.count("What to do:") == 2


@pytest.mark.django_db
def test_the_live_check_says_what_to_do(client, student):
    login(client, student)
    response = client.post(reverse("applications:plan_live_check"), activity_post_data(ects=25))
    assert ECTS_ADVICE in text_of(response)


@pytest.mark.django_db
def test_the_office_reads_the_findings_without_the_student_s_advice(client, student, dri):
    add_activity(student, ects=20)
    application = ApplicationFactory(student=student, state="submitted")
    response = login(client, dri).get(reverse("reviews:dossier", args=[application.pk]))
    content = response.content.decode()
    assert 'data-rule="SEMESTER_ECTS"' in content
    assert "What to do" not in content
