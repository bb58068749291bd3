"""The queue's export as an Excel workbook: the CSV's rows, with cells of their own type."""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import StudentProfile
from apps.applications.models import ApplicationState
from apps.programmes.models import Partner
from tests.applications.factories import login
from tests.factories import CallFactory
from tests.reviews.dri.builders import bulk_applications, in_state, submitted
from tests.reviews.dri.test_queue_export import EXPORT_QUERIES, HEADER

S = ApplicationState
EXPORT = reverse("reviews:queue_export_xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content)).active


def rows_of(response) -> list[tuple]:
    return list(sheet_of(response).iter_rows(values_only=True))


def test_the_workbook_has_the_filtered_rows_of_every_page(client, dri):
    call = CallFactory()
    applications = bulk_applications(120, call=call)
    bulk_applications(30)  # another call
    response = login(client, dri).get(EXPORT, {"call": call.pk, "state": S.SUBMITTED})
    assert response["Content-Disposition"].startswith('attachment; filename="applications-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, *rows = rows_of(response)
    assert list(header) == HEADER
    expected = {
        a.student.student_profile.student_number for a in applications if a.state == S.SUBMITTED
    }
    assert len(rows) == len(expected) > 0
    assert {row[0] for row in rows} == expected


def test_cells_keep_their_types(client, dri, student):
    """The student number stays text (its leading zero with it), the submission is a date and
    the score a number: a spreadsheet sorts and sums them without being told."""
    StudentProfile.objects.filter(user=student).update(student_number="00123")
    application = submitted(student)
    choice = application.choices.select_related("agreement__partner").get()
    Partner.objects.filter(pk=choice.agreement.partner_id).update(country="DE")
    in_state(application, S.NOMINATED, nominated_choice=choice, ranking_score="14.500")
    sheet = sheet_of(login(client, dri).get(EXPORT))
    number, name, email, call, state, submitted_at, *rest = next(
        sheet.iter_rows(min_row=2, max_row=2)
    )
    assert (number.value, number.data_type, number.number_format) == ("00123", "s", "@")
    assert (name.value, email.value, call.value, state.value) == (
        student.get_full_name(),
        student.email,
        str(application.call),
        "Nominated",
    )
    assert isinstance(submitted_at.value, datetime)
    assert submitted_at.number_format == "dd/mm/yyyy hh:mm"
    application.refresh_from_db()
    local = timezone.localtime(application.submitted_at)
    assert f"{submitted_at.value:%Y-%m-%d %H:%M}" == f"{local:%Y-%m-%d %H:%M}"
    assert [cell.value for cell in rest] == [
        f"1: {choice.agreement.partner.name}",
        "1: Germany",
        "1: One semester of exchange",
        choice.agreement.partner.name,
        "no",
        Decimal("14.5"),
    ]
    assert rest[-1].data_type == "n"


def test_the_header_is_frozen_and_filterable(client, dri, student):
    submitted(student)
    sheet = sheet_of(login(client, dri).get(EXPORT))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L1"
    assert all(cell.font.b for cell in sheet[1])


def test_a_cell_a_spreadsheet_would_run_is_text_not_a_formula(client, dri, student):
    student.first_name, student.last_name = "=HYPERLINK(1)", ""
    student.save()
    submitted(student)
    sheet = sheet_of(login(client, dri).get(EXPORT))
    cell = sheet["B2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_in_french_the_workbook_speaks_french(client, dri, student):
    submitted(student)
    response = login(client, dri).get(EXPORT, HTTP_ACCEPT_LANGUAGE="fr")
    sheet = sheet_of(response)
    assert sheet.title == "Candidatures"
    assert sheet["A1"].value == "Numéro d'étudiant"
    assert sheet["K2"].value == "non"


def test_no_score_and_no_submission_leave_the_cells_empty(client, dri, student):
    application = submitted(student)
    type(application).objects.filter(pk=application.pk).update(submitted_at=None)
    sheet = sheet_of(login(client, dri).get(EXPORT))
    assert sheet["F2"].value is None
    assert sheet["L2"].value is None


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_workbook_runs_the_same_queries_for_ten_or_four_hundred_applications(
    client, dri, django_assert_num_queries
):
    client = login(client, dri)
    bulk_applications(10)
    client.get(EXPORT)  # reads the filter's menus
    with django_assert_num_queries(EXPORT_QUERIES):
        assert len(rows_of(client.get(EXPORT))) == 11
    bulk_applications(390)
    client.get(EXPORT)
    with django_assert_num_queries(EXPORT_QUERIES):
        assert len(rows_of(client.get(EXPORT))) == 401


@pytest.mark.parametrize("persona", ["student", "advisor"])
def test_students_and_advisors_are_refused(client, request, persona):
    assert login(client, request.getfixturevalue(persona)).get(EXPORT).status_code == 403


def test_a_refused_filter_sends_back_to_the_queue(client, dri):
    response = login(client, dri).get(EXPORT, {"state": "nonsense"})
    assert response.status_code == 302
    assert response.url == f"{reverse('reviews:queue')}?state=nonsense"


def test_the_queue_and_the_reporting_page_link_to_it(client, dri, student):
    submitted(student)
    client = login(client, dri)
    assert EXPORT in client.get(reverse("reviews:queue")).content.decode()
    assert EXPORT in client.get(reverse("reviews:reporting")).content.decode()


def test_a_control_character_in_a_text_is_left_out_not_a_server_error(client, dri, student):
    """A name pasted from elsewhere may hold a character an .xlsx cannot (a vertical tab,
    an escape); the CSV exports it, and the workbook must not fail for it."""
    student.first_name, student.last_name = "Ann\x0be", "Du\x1bpont"
    student.save(update_fields=["first_name", "last_name"])
    submitted(student)
    header, row = rows_of(login(client, dri).get(EXPORT))
    assert row[1] == "Anne Dupont"
