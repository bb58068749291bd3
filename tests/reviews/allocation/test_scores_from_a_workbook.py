"""The scores file may be an Excel workbook: the queue's Excel export with its ranking score
column filled in, or any sheet of student numbers and scores."""

import csv
import io
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.applications.models import Application
from apps.reviews import workbooks
from tests.applications.factories import login, messages_of
from tests.factories import AgreementFactory, CallFactory, StudentProfileFactory
from tests.reviews.allocation.builders import detail_url, scores_url, waiting

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def call(db):
    return CallFactory()


@pytest.fixture
def applications(call):
    agreement = AgreementFactory()
    return [
        waiting(call, [agreement], student=StudentProfileFactory(student_number=number).user)
        for number in ("00123", "22400102", "S3")
    ]


def scores(applications) -> list[Decimal | None]:
    return [
        Application.objects.get(pk=application.pk).ranking_score for application in applications
    ]


def workbook_file(rows: list[list[object]]) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("scores.xlsx", output.getvalue(), content_type=XLSX)


def upload(client, call, file):
    return client.post(scores_url(call), {"file": file})


def test_the_excel_export_with_its_scores_filled_is_imported_as_it_is(
    client, dri, call, applications
):
    client = login(client, dri)
    exported = client.get(reverse("reviews:queue_export_xlsx"), {"call": call.pk})
    workbook = load_workbook(io.BytesIO(exported.content))
    sheet = workbook.active
    score_column = [cell.value for cell in sheet[1]].index("Ranking score") + 1
    for row in range(2, sheet.max_row + 1):
        number = sheet.cell(row=row, column=1).value
        if number == "00123":
            sheet.cell(row=row, column=score_column, value=14.5)
        elif number == "S3":
            sheet.cell(row=row, column=score_column, value=9)
    output = io.BytesIO()
    workbook.save(output)

    response = upload(client, call, SimpleUploadedFile("export.xlsx", output.getvalue()))

    assert response.url == detail_url(call)
    assert messages_of(response) == ["Ranking scores imported for 2 students."]
    assert scores(applications) == [Decimal("14.5"), None, Decimal("9")]


def test_numbers_typed_as_numbers_are_read_as_the_sheet_shows_them(client, dri, call, applications):
    """A student number the jury typed into a number cell comes back as 22400102.0."""
    file = workbook_file([["N° étudiant", "Note"], [22400102, 12.25], ["00123", 15]])
    response = upload(login(client, dri), call, file)
    assert response.status_code == 302
    assert scores(applications) == [Decimal("15"), Decimal("12.25"), None]


def test_bad_rows_are_named_by_their_row_in_the_sheet(client, dri, call, applications):
    file = workbook_file([["student_number", "score"], ["00123", 12], [], ["S9", "lots"]])
    response = upload(login(client, dri), call, file)
    assert response.status_code == 400
    assert response.context["scores_form"].errors["file"] == [
        "line 4: student_number: no application to this call from this student",
        "line 4: score: “lots” is not a number",
    ]
    assert scores(applications) == [None, None, None]


def test_a_cell_holding_a_tab_or_a_line_break_stays_one_cell(client, dri, call, applications):
    file = workbook_file([["student_number", "score", "comment"], ["S3", 8, "good\tbut\nlate"]])
    response = upload(login(client, dri), call, file)
    assert response.status_code == 302
    assert scores(applications) == [None, None, Decimal("8")]


def broken_zip() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return output.getvalue()


@pytest.mark.parametrize(
    "content",
    [broken_zip(), workbooks.ZIP_START + b"cut short", broken_zip()[:40]],
    ids=["another zip", "not a zip", "truncated"],
)
def test_a_file_that_is_not_a_readable_workbook_is_a_form_error(
    client, dri, call, applications, content
):
    response = upload(login(client, dri), call, SimpleUploadedFile("scores.xlsx", content))
    assert response.status_code == 400
    assert response.context["scores_form"].errors["file"] == [
        "This file is not an Excel workbook (.xlsx) that can be read."
    ]
    assert scores(applications) == [None, None, None]


def with_sheet(xml: bytes) -> SimpleUploadedFile:
    """A workbook whose first sheet's XML is `xml`."""
    good = workbook_file([["S3", 8]]).read()
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, xml if item.filename == "xl/worksheets/sheet1.xml" else data)
    return SimpleUploadedFile("scores.xlsx", output.getvalue())


@pytest.mark.parametrize(
    "xml",
    [
        b"<worksheet><sheetData><row><c>",
        # Entities that expand a billion times: refused by defusedxml before any expansion.
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet>&b;</worksheet>',
    ],
    ids=["cut short", "entities"],
)
def test_a_workbook_whose_sheet_cannot_be_read_safely_is_a_form_error(
    client, dri, call, applications, xml
):
    response = upload(login(client, dri), call, with_sheet(xml))
    assert response.status_code == 400
    assert response.context["scores_form"].errors["file"] == [
        "This file is not an Excel workbook (.xlsx) that can be read."
    ]
    assert scores(applications) == [None, None, None]


def test_a_sheet_longer_than_any_call_is_refused(client, dri, call, applications, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_ROWS", 3)
    file = workbook_file([["S3", 1]] * 4)
    response = upload(login(client, dri), call, file)
    assert response.status_code == 400
    assert response.context["scores_form"].errors["file"] == ["The sheet has more than 3 rows."]


def test_the_form_says_excel_is_read(client, dri, call, applications):
    page = login(client, dri).get(detail_url(call)).content.decode()
    assert "Scores file (CSV or Excel)" in page
    assert f"{reverse('reviews:queue_export_xlsx')}?call={call.pk}" in page


def test_a_score_a_formula_computed_is_read_as_the_sheet_shows_it(client, dri, call, applications):
    """Excel stores a formula's result (=0.1+0.2, a weighted mean) with all 17 digits of its
    binary float, 0.30000000000000004, and shows 0.3: read as 0.3, not refused for its
    decimals."""
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>00123</t></is></c>'
        b'<c r="B1"><f>0.1+0.2</f><v>0.30000000000000004</v></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>S3</t></is></c>'
        b'<c r="B2"><f>14.35*3</f><v>43.050000000000004</v></c></row></sheetData></worksheet>'
    )
    response = upload(login(client, dri), call, with_sheet(xml))
    assert response.status_code == 302
    assert scores(applications) == [Decimal("0.3"), None, Decimal("43.05")]


def test_a_workbook_that_unpacks_to_far_more_than_a_scores_file_is_refused(
    client, dri, call, applications
):
    """A zip packs a thousandfold: a file under 1 MB may unpack to a gigabyte the reader
    would hold in memory (shared strings are read whole). What a sheet unpacks to is checked
    before it is read."""
    padding = b" " * (60 * 1024 * 1024)
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>S3</t></is></c>'
        b'<c r="B1"><v>8</v></c></row>' + padding + b"</sheetData></worksheet>"
    )
    file = with_sheet(xml)
    assert file.size < 1024 * 1024
    response = upload(login(client, dri), call, file)
    assert response.status_code == 400
    assert response.context["scores_form"].errors["file"] == [
        "This workbook unpacks to more than 50.0\xa0MB: a scores file is far smaller."
    ]
    assert scores(applications) == [None, None, None]


def test_an_old_excel_file_is_told_how_to_save_it(client, dri, call, applications):
    """An .xls was refused as "not UTF-8 text: save it as CSV UTF-8", which named only CSV."""
    content = workbooks.COMPOUND_DOCUMENT_START + b"\x00" * 504
    response = upload(login(client, dri), call, SimpleUploadedFile("scores.xls", content))
    assert response.status_code == 400
    assert response.context["scores_form"].errors["file"] == [
        "This is an Excel 97-2003 workbook (.xls): save it as an Excel workbook (.xlsx) or as "
        "CSV UTF-8."
    ]


def export_layout_rows(count: int, scored: dict[str, str]) -> list[list[object]]:
    """The queue's export of `count` applications as a spreadsheet saves it: its header, a row
    per application with texts as long as the scale data's, the ranking score filled for the
    student numbers of `scored` only."""
    header = [
        "Student number",
        "Name",
        "E-mail",
        "Call",
        "State",
        "Submitted at",
        "Choices (rank: destination)",
        "Destination countries (rank: country)",
        "Programmes (rank: programme)",
        "Nominated to",
        "Rule errors when submitted",
        "Ranking score",
    ]
    numbers = [*scored, *(f"2{n:07d}" for n in range(count - len(scored)))]
    return [header] + [
        [
            number,
            f"Firstname{n} Lastname{n}",
            f"firstname{n}.lastname{n}@students.example.org",
            "Exchanges 2027-2028",
            "Submitted",
            datetime(2027, 1, 15, 10, 30),
            f"1: Technische Universität Berlin {n % 300}; 2: Politecnico di Milano {n % 97}",
            "1: Germany; 2: Italy",
            "1: One semester of exchange; 2: One semester of exchange",
            "",
            "no",
            scored.get(number),
        ]
        for n, number in enumerate(numbers)
    ]


def test_the_export_of_twenty_thousand_applications_comes_back_with_its_scores(
    client, dri, call, applications
):
    """The export of a group of schools' call: past the 1 MB the upload took, which refused
    the export of more than about 5,000 applications."""
    scored = {"00123": "12.5", "22400102": "9", "S3": "15.25"}
    file = workbook_file(export_layout_rows(workbooks.MAX_ROWS - 1, scored))
    assert file.size > 1024 * 1024
    response = upload(login(client, dri), call, file)
    assert response.status_code == 302, response.context["scores_form"].errors
    assert messages_of(response) == ["Ranking scores imported for 3 students."]
    assert scores(applications) == [Decimal("12.5"), Decimal("9"), Decimal("15.25")]


def test_its_french_csv_comes_back_too(client, dri, call, applications):
    """The CSV of the same export is four times the workbook's size."""
    scored = {"00123": "12,5", "22400102": "9", "S3": "15,25"}
    rows = export_layout_rows(workbooks.MAX_ROWS - 1, scored)
    rows[0][0], rows[0][-1] = "Numéro d'étudiant", "Score de classement"
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows(rows)  # as the export writes it in French
    content = ("\ufeff" + text.getvalue()).encode()
    assert len(content) > 4 * 1024 * 1024
    file = SimpleUploadedFile("applications.csv", content, content_type="text/csv")
    response = upload(login(client, dri), call, file)
    assert response.status_code == 302, response.context["scores_form"].errors
    assert scores(applications) == [Decimal("12.5"), Decimal("9"), Decimal("15.25")]
