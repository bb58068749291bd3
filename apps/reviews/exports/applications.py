"""The queue's applications as a file: CSV for any tool, or an Excel workbook whose cells keep
their types (student numbers stay text with their leading zeros, dates are dates, scores are
numbers)."""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext
from django_countries import countries
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from apps.applications.models import ActivityKind, Application, ApplicationState, Choice

EXPORT_CHUNK_SIZE = 500
# A cell starting with one of these is a formula to a spreadsheet: the CSV writes it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel's widths, in characters, of the columns of `export_header`.
COLUMN_WIDTHS = (16, 28, 32, 30, 16, 18, 48, 36, 40, 30, 14, 14)
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"


class ExportLine(NamedTuple):
    """One application as the export shows it, with each value's own type."""

    student_number: str
    name: str
    email: str
    call: str
    state: str
    submitted_at: datetime | None  # local time
    choices: str
    destination_countries: str
    programmes: str
    nominated_to: str
    rule_errors: str
    ranking_score: Decimal | None


def export_header() -> list[str]:
    return [
        _("Student number"),
        _("Name"),
        _("E-mail"),
        _("Call"),
        _("State"),
        _("Submitted at"),
        _("Choices (rank: destination)"),
        _("Destination countries (rank: country)"),
        _("Programmes (rank: programme)"),
        _("Nominated to"),
        _("Rule errors when submitted"),
        _("Ranking score"),
    ]


class LineWriter:
    """Writes applications as lines in the active language. The words every line repeats (the
    states, the programmes, the countries, "yes") are translated once per export, not per
    line: translating them again took most of an export's time."""

    def __init__(self):
        self.states = {state.value: str(state.label) for state in ApplicationState}
        self.programmes = {kind.value: str(kind.label) for kind in ActivityKind}
        self.yes, self.no = _("yes"), _("no")
        self.colon = pgettext("between a label and what follows", ":")
        self.separator = pgettext("between two items of a list", "; ")
        self.country_names: dict[str, str] = {}

    def line(self, application: Application) -> ExportLine:
        choices = _prefetched_choices(application)
        nominated = next(
            (choice for choice in choices if choice.pk == application.nominated_choice_id), None
        )
        profile = getattr(application.student, "student_profile", None)
        submitted_at = application.submitted_at
        return ExportLine(
            student_number=profile.student_number if profile else "",
            name=application.student.get_full_name(),
            email=application.student.email,
            call=str(application.call),
            state=self.states.get(application.state, application.state),
            submitted_at=timezone.localtime(submitted_at) if submitted_at else None,
            choices=self._ranked(choices, lambda choice: choice.destination_name),
            destination_countries=self._ranked(
                choices, lambda choice: self._country(choice.destination_country)
            ),
            # A kind since removed from the list: its code rather than nothing.
            programmes=self._ranked(
                choices, lambda choice: self.programmes.get(choice.programme, choice.programme)
            ),
            nominated_to=nominated.destination_name if nominated else "",
            rule_errors=self.yes if application.snapshot_has_errors else self.no,
            ranking_score=application.ranking_score,
        )

    def _ranked(self, choices: list[Choice], value: Callable[[Choice], str]) -> str:
        """Each choice's `value` after its rank ("1: KTH; 2: TUM")."""
        return self.separator.join(
            f"{choice.rank}{self.colon} {value(choice)}" for choice in choices
        )

    def _country(self, code: str) -> str:
        if code not in self.country_names:
            self.country_names[code] = str(countries.name(code))
        return self.country_names[code]


def _prefetched_choices(application: Application) -> list[Choice]:
    """The application's choices as the export's query prefetched them. Read from the prefetch
    cache rather than through `choices.all()`, which builds (clones) a queryset per application:
    a tenth of the workbook's time."""
    cache = getattr(application, "_prefetched_objects_cache", {})
    if "choices" in cache:
        return list(cache["choices"])
    return list(application.choices.all())


def _lines(applications) -> Iterator[ExportLine]:
    writer = LineWriter()
    for application in applications.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield writer.line(application)


# --- CSV ---------------------------------------------------------------------------------


def csv_text(value: object) -> str:
    """A CSV cell's text; one a spreadsheet would run as a formula is written as text."""
    text = str(value or "")
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_row(line: ExportLine, decimal_mark: str = ".") -> list[str]:
    values = []
    for value in line:
        if value is None:
            values.append("")
        elif isinstance(value, datetime):
            values.append(f"{value:%Y-%m-%d %H:%M}")
        elif isinstance(value, Decimal):
            values.append(str(value).replace(".", decimal_mark))
        else:
            values.append(csv_text(value))
    return values


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a streamed body."""

    def write(self, value: str) -> str:
        return value


# Opens every CSV file: it tells every Excel the file is UTF-8.
CSV_BYTE_ORDER_MARK = "\ufeff"


@dataclass(frozen=True)
class CsvDialect:
    """What spreadsheets expect of a CSV file in a language: French Excel splits on ";" and
    reads "14,5"; the others split on "," and read "14.5"."""

    delimiter: str
    decimal_mark: str

    def writer(self, file):
        return csv.writer(file, delimiter=self.delimiter)


def csv_dialect(language: str) -> CsvDialect:
    if language.startswith("fr"):
        return CsvDialect(delimiter=";", decimal_mark=",")
    return CsvDialect(delimiter=",", decimal_mark=".")


def csv_lines(applications, language: str) -> Iterator[str]:
    """The lines, in `language`: a streamed body is written after the view has returned."""
    dialect = csv_dialect(language)
    writer = dialect.writer(_Echo())
    with override(language):
        yield CSV_BYTE_ORDER_MARK + writer.writerow(export_header())
        for line in _lines(applications):
            yield writer.writerow(csv_row(line, decimal_mark=dialect.decimal_mark))


# --- Excel -------------------------------------------------------------------------------


def workbook_bytes(applications) -> bytes:
    """An .xlsx workbook of one sheet: the header in bold, frozen and filterable, then a row
    per application, in the active language."""
    output = io.BytesIO()
    workbook_write(applications, output)
    return output.getvalue()


def workbook_write(
    applications, output: BinaryIO, progress: Callable[[int], None] | None = None
) -> int:
    """`workbook_bytes` into a file; `progress` is told how many rows are written every
    EXPORT_CHUNK_SIZE rows. Returns the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(_("Applications")))
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = export_header()
    sheet.auto_filter.ref = f"A1:{_column_letter(len(header) - 1)}1"
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, title, font=bold) for title in header])
    written = 0
    for line in _lines(applications):
        sheet.append(_row(sheet, line))
        written += 1
        if progress is not None and written % EXPORT_CHUNK_SIZE == 0:
            progress(written)
    workbook.save(output)
    return written


def _row(sheet, line: ExportLine) -> list:
    """The line's cells. Only those that need more than their value are made cells here
    (making every one took most of the workbook's time): the student number, text so that
    a spreadsheet keeps its leading zeros, the submission's date and time, and any text
    openpyxl would otherwise store as a formula."""
    values: list = [_text_cell(sheet, line.student_number)]
    for value in line[1:]:
        if isinstance(value, str):
            value = _storable(value)
        if isinstance(value, datetime):
            cell = WriteOnlyCell(sheet, value=timezone.make_naive(value))
            cell.number_format = DATE_TIME_FORMAT
            values.append(cell)
        elif isinstance(value, str) and value.startswith("="):
            values.append(_text_cell(sheet, value))
        else:
            values.append(value)
    return values


def _text_cell(sheet, value: str, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_storable(value))
    cell.data_type = "s"
    cell.number_format = "@"
    if font is not None:
        cell.font = font
    return cell


def _storable(text: str) -> str:
    """The text without the control characters an .xlsx cannot hold (openpyxl refuses the
    whole workbook for one): a name pasted with a vertical tab still exports."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _column_letter(index: int) -> str:
    return chr(ord("A") + index)


def _sheet_title(title: str) -> str:
    """Excel refuses a sheet title longer than 31 characters or holding any of []:*?/\\."""
    return "".join(" " if char in "[]:*?/\\" else char for char in title)[:31]


def export_file_name(extension: str, day: date | None = None) -> str:
    """applications-20271115.xlsx: the day it was asked for (today by default)."""
    return f"applications-{day or timezone.localdate():%Y%m%d}.{extension}"
