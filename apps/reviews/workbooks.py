"""Reading a spreadsheet a person sends back: the first sheet of an Excel workbook as the
tab-separated text the scores import already reads, so that the queue's Excel export, its
scores filled in, is imported as it is."""

import csv
import io
import zipfile
from datetime import date, datetime

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from mobility_portal.numbers import grouped

# An .xlsx file is a zip archive: it starts as every zip does.
ZIP_START = b"PK\x03\x04"
COMPOUND_DOCUMENT_START = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Far more than a call's applications; a sheet past these is not a scores file, and reading it
# whole would only take the server's time.
MAX_ROWS = 20_000
MAX_COLUMNS = 60
# A zip packs text a thousandfold: a file under the upload's limit may unpack to a gigabyte,
# which the reader would hold in memory (the shared strings are read whole). A sheet of
# MAX_ROWS rows of the queue's export unpacks to less than half of this.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# The significant digits a spreadsheet shows of a number.
SHOWN_DIGITS = 15


class WorkbookUnreadable(ValueError):
    """The file looks like a workbook but cannot be read as one; the message says why."""


def is_workbook(content: bytes) -> bool:
    return content.startswith(ZIP_START)


def is_old_workbook(content: bytes) -> bool:
    """An Excel 97-2003 workbook (.xls): a compound document, which only Excel itself reads."""
    return content.startswith(COMPOUND_DOCUMENT_START)


def first_sheet_as_text(content: bytes) -> str:
    """The first sheet's rows as tab-separated text (quoted as CSV where a cell holds a tab, a
    quote or a line break), each number written as the sheet shows it without formatting."""
    try:
        return _rows_as_text(content)
    except WorkbookUnreadable:
        raise
    # Whatever a damaged or foreign file makes the zip, XML or openpyxl readers raise (BadZipFile,
    # KeyError, ParseError, defusedxml's refusals, no sheet at all...) means the same.
    except Exception as error:
        raise WorkbookUnreadable(
            _("This file is not an Excel workbook (.xlsx) that can be read.")
        ) from error


def _rows_as_text(content: bytes) -> str:
    _ensure_small_unpacked(content)
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        output = io.StringIO()
        writer = csv.writer(output, delimiter="\t", lineterminator="\n")
        rows = workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, row in enumerate(rows, start=1):
            if number > MAX_ROWS:
                raise WorkbookUnreadable(
                    _("The sheet has more than %(count)s rows.") % {"count": grouped(MAX_ROWS)}
                )
            cells = [_text(value) for value in row]
            while cells and not cells[-1]:
                cells.pop()
            writer.writerow(cells)
        return output.getvalue()
    finally:
        workbook.close()


def _ensure_small_unpacked(content: bytes) -> None:
    """The sizes the archive declares bound what reading it unpacks (the zip reader stops at
    them); checked before anything is unpacked."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(item.file_size for item in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookUnreadable(
            _("This workbook unpacks to more than %(size)s: a scores file is far smaller.")
            % {"size": filesizeformat(MAX_UNPACKED_BYTES)}
        )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        # A student number typed as a number comes back as 22400102.0. A formula's result is
        # stored with every digit of its binary float (0.30000000000000004): the sheet shows
        # at most 15 significant digits (0.3), and so is it read.
        return str(int(value)) if value.is_integer() else f"{value:.{SHOWN_DIGITS}g}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()
