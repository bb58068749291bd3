"""CSV export of the filtered queue: every filtered row, across pages, nothing else."""

import csv
import io

import pytest
from django.urls import reverse

from apps.applications.models import ApplicationState
from tests.applications.factories import login
from tests.factories import CallFactory
from tests.reviews.dri.builders import bulk_applications, in_state, submitted

S = ApplicationState
EXPORT = reverse("reviews:queue_export")
HEADER = [
    "Student number",
    "Name",
    "E-mail",
    "Call",
    "State",
    "Submitted at",
    "Choices (rank: destination)",
    "Nominated to",
    "Rule errors when submitted",
    "Ranking score",
]


def exported(response, delimiter: str = ",") -> list[list[str]]:
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the mark
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def test_export_has_exactly_the_filtered_rows_of_every_page(client, dri):
    call = CallFactory()
    applications = bulk_applications(120, call=call)
    bulk_applications(30)  # another call
    response = login(client, dri).get(EXPORT, {"call": call.pk, "state": S.SUBMITTED})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="applications-')
    header, *lines = exported(response)
    assert header == HEADER
    expected = {
        a.student.student_profile.student_number for a in applications if a.state == S.SUBMITTED
    }
    assert len(lines) == len(expected) > 0
    assert {line[0] for line in lines} == expected


def test_export_columns(client, dri, student):
    application = submitted(student)
    choice = application.choices.select_related("agreement__partner").get()
    in_state(application, S.NOMINATED, nominated_choice=choice, ranking_score="14.500")
    [line] = exported(login(client, dri).get(EXPORT))[1:]
    profile = student.student_profile
    assert line[:5] == [
        profile.student_number,
        student.get_full_name(),
        student.email,
        str(application.call),
        "Nominated",
    ]
    assert line[5].startswith(f"{application.submitted_at:%Y-}")
    assert line[6:] == [
        f"1: {choice.agreement.partner.name}",
        choice.agreement.partner.name,
        "no",
        "14.500",
    ]


def test_in_french_the_file_is_as_french_spreadsheets_read_it(client, dri, student):
    application = submitted(student)
    in_state(application, S.UNDER_REVIEW, ranking_score="14.500")
    response = login(client, dri).get(EXPORT, HTTP_ACCEPT_LANGUAGE="fr")
    header, line = exported(response, delimiter=";")
    assert header[0] == "Numéro d'étudiant"
    assert line[-1] == "14,500"
    # As the header names it, "rang : destination": French puts a space before the colon.
    choice = application.choices.select_related("agreement__partner").get()
    assert line[6] == f"1\u00a0: {choice.agreement.partner.name}"


def test_a_cell_a_spreadsheet_would_run_is_exported_as_text(client, dri, student):
    student.first_name, student.last_name = "=HYPERLINK(1)", ""
    student.save()
    submitted(student)
    [line] = exported(login(client, dri).get(EXPORT))[1:]
    assert line[1] == "'=HYPERLINK(1)"


def test_dfi_exports_too(client, dfi, student):
    submitted(student)
    assert len(exported(login(client, dfi).get(EXPORT))) == 2


@pytest.mark.parametrize("persona", ["student", "advisor"])
def test_students_and_advisors_are_refused(client, request, persona):
    assert login(client, request.getfixturevalue(persona)).get(EXPORT).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(EXPORT).url.startswith(reverse("login"))


def test_a_refused_filter_sends_back_to_the_queue_which_says_why(client, dri):
    """A file has no room for "Select a valid choice": it held every application instead."""
    params = {"state": "nonsense", "country": "DE"}
    response = login(client, dri).get(reverse("reviews:queue_export"), params)
    assert response.status_code == 302
    assert response.url == f"{reverse('reviews:queue')}?state=nonsense&country=DE"
    page = client.get(response.url)
    assert page.context["filter"].form.errors["state"]
