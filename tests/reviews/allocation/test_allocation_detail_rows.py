"""The proposal table's rows, written by views.allocation.table_rows_html rather than looped over
in the template: what the template wrote, escaped and localised as it did."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from apps.accounts.models import StudentProfile
from apps.applications.models import Application
from tests.applications.factories import login
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.allocation.builders import (
    decisions_post,
    detail_url,
    review_url,
    seen_post,
    waiting,
)


@pytest.fixture
def call(db):
    return CallFactory(academic_year=2027)


def one_line(response) -> str:
    return " ".join(response.content.decode().split())


def test_names_and_destinations_are_escaped(client, dri, call):
    agreement = AgreementFactory(partner__name="Smith & <Sons>", seats_per_year=1)
    application = waiting(call, [agreement], score="12.5")
    student = application.student
    student.first_name, student.last_name = "<b>Eve</b>", "O'Hara"
    student.save()
    page = one_line(login(client, dri).get(detail_url(call)))
    dossier = reverse("reviews:dossier", args=[application.pk])
    assert f'<a href="{dossier}">&lt;b&gt;Eve&lt;/b&gt; O&#x27;Hara</a>' in page
    assert "<b>Eve</b>" not in page
    assert "<strong>Smith &amp; &lt;Sons&gt; — Semester or year exchange</strong>" in page
    assert "Decision for &lt;b&gt;Eve&lt;/b&gt; O&#x27;Hara</label>" in page


def test_numbers_scores_and_dates_read_as_in_the_page_s_language(client, dri, call):
    agreement = AgreementFactory(partner__name="Alpha", seats_per_year=1)
    scored = waiting(call, [agreement], score="14.5")
    unscored = waiting(call, [agreement])
    submitted = timezone.make_aware(datetime(2027, 1, 10, 9, 0))
    Application.objects.filter(pk__in=[scored.pk, unscored.pk]).update(submitted_at=submitted)
    login(client, dri)
    english = one_line(client.get(detail_url(call), headers={"accept-language": "en"}))
    french = one_line(client.get(detail_url(call), headers={"accept-language": "fr"}))
    assert '<td class="text-end">14.5</td>' in english
    assert '<td class="text-end">14,5</td>' in french
    assert '<td class="text-end"><span class="text-body-secondary">no score</span></td>' in english
    with translation.override("fr"):
        shown = date_format(timezone.localtime(submitted), "SHORT_DATETIME_FORMAT")
    assert f"<td>{shown}</td>" in french


def test_a_row_over_allocated_by_staff_is_marked_and_says_why(client, dri, call):
    agreement = AgreementFactory(partner__name="Alpha", seats_per_year=1)
    best = waiting(call, [agreement], score="18")
    second = waiting(call, [agreement], score="15")
    post = decisions_post({best: best.choices.get(), second: second.choices.get()}) | {
        "change": "1"
    }
    post |= seen_post([best, second])
    response = login(client, dri).post(review_url(call), post)
    assert response.status_code == 400
    page = one_line(response)
    assert '<tr class="table-danger"> <td>1</td>' in page
    assert '<tr class="table-danger"> <td>2</td>' in page
    assert page.count("more students than seats on this agreement") == 2
    assert "changed from the proposal" not in page


def test_a_change_from_the_proposal_is_noted(client, dri, call):
    agreement = AgreementFactory(partner__name="Alpha", seats_per_year=1)
    best = waiting(call, [agreement], score="18")
    post = decisions_post({best: None}) | seen_post([best]) | {"change": "1"}
    response = login(client, dri).post(review_url(call), post)
    assert response.status_code == 200
    page = one_line(response)
    assert '<div class="small">changed from the proposal</div>' in page
    assert "<strong>Alpha — Semester or year exchange</strong>" in page


def test_an_unreadable_decision_is_shown_with_its_error(client, dri, call):
    agreement = AgreementFactory(partner__name="Alpha", seats_per_year=1)
    best = waiting(call, [agreement], score="18")
    name = f"decision-{best.pk}"
    response = login(client, dri).post(review_url(call), {name: "<script>"} | seen_post([best]))
    assert response.status_code == 400
    page = one_line(response)
    assert f'id="id_{name}" aria-invalid="true" aria-describedby="id_{name}-error">' in page
    assert f'<div class="invalid-feedback d-block" id="id_{name}-error">Select a valid' in page
    assert "&lt;script&gt;" in page and "<script>" not in page.split("</head>")[1]


def test_a_student_whose_profile_was_removed_is_listed_without_a_student_number(client, dri, call):
    """The template read the student number through a missing profile as nothing; the page
    of the whole call must not fail for one student (the queue and the dossier show them)."""
    agreement = AgreementFactory(partner__name="Alpha", seats_per_year=1)
    application = waiting(call, [agreement], score="12")
    StudentProfile.objects.filter(user=application.student).delete()
    response = login(client, dri).get(detail_url(call))
    assert response.status_code == 200
    page = one_line(response)
    dossier = reverse("reviews:dossier", args=[application.pk])
    assert (
        f'<a href="{dossier}">{application.student}</a> '
        '<div class="small text-body-secondary"></div>'
    ) in page
