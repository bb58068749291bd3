"""Importing ranking scores from CSV lines: all of them, or none with every bad line named."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from apps.applications.errors import ServiceError
from apps.applications.models import Application
from apps.reviews.services.allocation import ranking_scores_import
from tests.factories import AgreementFactory, CallFactory, StudentProfileFactory
from tests.reviews.allocation.builders import S, waiting

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def students(call):
    """Three applicants of the call, with student numbers S1, S2 and S3."""
    agreement = AgreementFactory()
    return [
        waiting(
            call,
            [agreement],
            state=state,
            student=StudentProfileFactory(student_number=f"S{number}").user,
        )
        for number, state in ((1, S.SUBMITTED), (2, S.UNDER_REVIEW), (3, S.SUBMITTED))
    ]


def scores(*applications: Application) -> list[Decimal | None]:
    return [
        Application.objects.get(pk=application.pk).ranking_score for application in applications
    ]


def test_a_good_file_sets_every_score(call, students, dri):
    text = "student_number,score\nS1,14.5\n\n S2 , 9 \nS3,0.125\n"
    assert ranking_scores_import(actor=dri, call=call, text=text) == 3
    assert scores(*students) == [Decimal("14.5"), Decimal("9"), Decimal("0.125")]


def test_the_header_is_optional_and_other_scores_are_kept(call, students, dri):
    Application.objects.filter(pk=students[2].pk).update(ranking_score=Decimal("11"))
    assert ranking_scores_import(actor=dri, call=call, text='S1,12\r\nS2,"13.25"\r\n') == 2
    assert scores(*students) == [Decimal("12"), Decimal("13.25"), Decimal("11")]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("S2", "line 3: student_number,score: expected 2 fields, found 1"),
        ("S2,12,extra", "line 3: student_number,score: expected 2 fields, found 3"),
        (",12", "line 3: student_number: missing"),
        ("S1,12", "line 3: student_number: already on line 2"),
        ("S9,12", "line 3: student_number: no application to this call from this student"),
        ("S2,", "line 3: score: missing"),
        ("S2,twelve", "line 3: score: “twelve” is not a number"),
        ("S2,12.5.1", "line 3: score: “12.5.1” is not a number"),
        ("S2,NaN", "line 3: score: “NaN” is not a number"),
        ("S2,12.0001", "line 3: score: at most 3 decimals"),
        ("S2,10000", "line 3: score: must be less than 10000"),
        ("S2,1e99999999", "line 3: score: must be less than 10000"),
        ("S2,-1e99999999", "line 3: score: must be less than 10000"),
    ],
)
def test_each_bad_line_is_named_and_nothing_is_imported(call, students, dri, line, problem):
    text = f"student_number,score\nS1,15\n{line}\nS3,10\n"
    with pytest.raises(ServiceError) as refused:
        ranking_scores_import(actor=dri, call=call, text=text)
    assert refused.value.reasons == [problem]
    assert scores(*students) == [None, None, None]


def test_the_decimals_allowed_are_counted_in_words(call, students, dri, monkeypatch):
    """The score's field holds three decimals; with one, the problem said "at most 1 decimals"."""
    monkeypatch.setattr(Application._meta.get_field("ranking_score"), "decimal_places", 1)
    with pytest.raises(ServiceError) as refused:
        ranking_scores_import(actor=dri, call=call, text="S1,12.25\n")
    assert refused.value.reasons == ["line 1: score: at most 1 decimal"]


def test_every_bad_line_is_reported_at_once(call, students, dri):
    text = "student_number,score\nS1,abc\nS4,12\nS2,1\n ,x\n"
    with pytest.raises(ServiceError) as refused:
        ranking_scores_import(actor=dri, call=call, text=text)
    assert refused.value.reasons == [
        "line 2: score: “abc” is not a number",
        "line 3: student_number: no application to this call from this student",
        "line 5: student_number: missing",
        "line 5: score: “x” is not a number",
    ]
    assert scores(*students) == [None, None, None]


def test_a_student_who_applied_to_another_call_only_is_refused(call, students, dri):
    outsider = StudentProfileFactory(student_number="S7").user
    waiting(CallFactory(), [AgreementFactory()], student=outsider)
    with pytest.raises(ServiceError) as refused:
        ranking_scores_import(actor=dri, call=call, text="S7,12\n")
    assert refused.value.reasons == [
        "line 1: student_number: no application to this call from this student"
    ]


def test_a_french_spreadsheets_semicolons_and_decimal_commas_are_read(call, students, dri):
    text = "student_number;score\nS1;12,5\nS2;15\n\nS3;9,25\n"
    assert ranking_scores_import(actor=dri, call=call, text=text) == 3
    assert scores(*students) == [Decimal("12.5"), Decimal(15), Decimal("9.25")]


def test_lines_ended_by_a_carriage_return_alone_are_read(call, students, dri):
    """As a Mac spreadsheet's "CSV (Macintosh)" saves them (the partners import reads them):
    the whole file was refused at line 1 as not CSV."""
    text = "student_number;score\rS1;12,5\rS2;15\r"
    assert ranking_scores_import(actor=dri, call=call, text=text) == 2
    assert scores(*students) == [Decimal("12.5"), Decimal(15), None]


def test_a_line_the_csv_module_cannot_read_is_named(call, students, dri):
    text = "S1,15\nS2," + "9" * 200_000 + "\nS3,10\n"
    with pytest.raises(ServiceError) as refused:
        ranking_scores_import(actor=dri, call=call, text=text)
    assert refused.value.reasons == ["line 2: this is not CSV that can be read."]
    assert scores(*students) == [None, None, None]


def test_a_nul_character_is_named_not_a_server_error(call, students, dri):
    """PostgreSQL refuses NUL in text: the upload was a 500 there."""
    with pytest.raises(ServiceError) as refused:
        ranking_scores_import(actor=dri, call=call, text="S1,15\nS\x002,12\n")
    assert refused.value.reasons == ["line 2: this is not CSV that can be read."]
    assert scores(*students) == [None, None, None]


@pytest.mark.parametrize("text", ["", "\n\n", "student_number,score\n"])
def test_a_file_without_scores_is_refused(call, students, dri, text):
    with pytest.raises(ServiceError) as refused:
        ranking_scores_import(actor=dri, call=call, text=text)
    assert refused.value.reasons == ["The file has no line of scores."]


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_only_the_dri_imports_scores(request, call, students, persona):
    with pytest.raises(ServiceError) as refused:
        ranking_scores_import(actor=request.getfixturevalue(persona), call=call, text="S1,12\n")
    assert refused.value.reasons == ["Only the international relations office allocates seats."]
    assert scores(*students) == [None, None, None]


@pytest.mark.parametrize(
    "header", ["N° étudiant;Note", "Numéro étudiant;Moyenne /20", "Student number;", "id;score"]
)
def test_a_first_line_naming_the_columns_in_other_words_is_read_as_a_header(
    call, students, dri, header
):
    """A jury's spreadsheet names its columns in its own words: the whole file was refused, its
    first line named as a student without application whose score is not a number."""
    text = f"{header}\nS1;12,5\nS2;15\n"
    assert ranking_scores_import(actor=dri, call=call, text=text) == 2
    assert scores(*students) == [Decimal("12.5"), Decimal(15), None]


@pytest.mark.parametrize(
    ("first", "problem"),
    [
        ("S1;abc", "line 1: score: “abc” is not a number"),  # an applicant's number: data
        ("S9;12", "line 1: student_number: no application to this call from this student"),
        ("S9;10000", "line 1: student_number: no application to this call from this student"),
        # A mistyped number and score is data too: it was skipped as a header, unsaid.
        ("99999999;abc", "line 1: student_number: no application to this call from this student"),
    ],
)
def test_a_first_line_with_an_applicant_or_a_score_is_still_data(
    call, students, dri, first, problem
):
    with pytest.raises(ServiceError) as refused:
        ranking_scores_import(actor=dri, call=call, text=f"{first}\nS2;15\n")
    assert refused.value.reasons[0] == problem
    assert scores(*students) == [None, None, None]


def test_a_tab_between_number_and_score_is_read(call, students, dri):
    """As a spreadsheet's "text (tab-separated)" saves it, or a copy of two of its columns:
    every line was refused as one field where two were expected."""
    text = "Numéro\tNote\nS1\t12,5\nS3\t9.5\n"
    assert ranking_scores_import(actor=dri, call=call, text=text) == 2
    assert scores(*students) == [Decimal("12.5"), None, Decimal("9.5")]


def exported(client, call, language: str) -> list[list[str]]:
    """The call's applications as the queue exports them, in `language`, read as rows."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    # The request's language stays active in this thread afterwards: the tests' is restored.
    with translation.override(translation.get_language()):
        response = client.get(reverse("reviews:queue_export"), {"call": call.pk})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(
        csv.reader(io.StringIO(text, newline=""), delimiter=";" if language == "fr" else ",")
    )


def written(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    ("language", "delimiter", "score"), [("fr", ";", "12,5"), ("en", ",", "12.5")]
)
def test_the_applications_export_with_its_scores_filled_is_read(
    client, call, students, dri, language, delimiter, score
):
    """The DRI exports the call's applications, fills the ranking score column and imports the
    file: it was refused, every line having ten fields where two were expected."""
    client.force_login(dri)
    rows = exported(client, call, language)
    by_number = {row[0]: row for row in rows[1:]}
    by_number["S1"][-1] = score
    by_number["S3"][-1] = "9"  # S2 left without a score: left as it is

    count = ranking_scores_import(actor=dri, call=call, text=written(rows, delimiter))

    assert count == 2
    assert scores(*students) == [Decimal("12.5"), None, Decimal(9)]


def test_a_bad_score_in_the_export_is_named_at_its_line(client, call, students, dri):
    client.force_login(dri)
    rows = exported(client, call, "fr")
    line = next(index for index, row in enumerate(rows, start=1) if row[0] == "S2")
    rows[line - 1][-1] = "douze"

    with pytest.raises(ServiceError) as refused:
        ranking_scores_import(actor=dri, call=call, text=written(rows, ";"))

    assert refused.value.reasons == [f"line {line}: score: “douze” is not a number"]


def test_columns_in_another_order_are_found_by_their_names(call, students, dri):
    text = "Name;Ranking score;Student number\nAnne;14;S2\nBen;;S1\n"
    assert ranking_scores_import(actor=dri, call=call, text=text) == 1
    assert scores(*students) == [None, Decimal(14), None]
