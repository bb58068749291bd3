"""Create or update partner institutions and their agreements from a CSV file.

The layout, identity rules and exit codes are documented in docs/partners-import.md.
Validation reads the whole file first and collects every problem. Then what the file may
touch is read at once, and each partner and agreement it creates or changes passes the
models' validation (as in the admin, from what was read): the database is written only when
none is refused, in one transaction, a few statements a table whatever the file's size.
"""

from __future__ import annotations

import bisect
import csv
import enum
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import UniqueConstraint
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext, override, pgettext_lazy
from django_countries import countries

from mobility_portal.bulk import rows_per_insert, update_each
from mobility_portal.search import Fold, fold

from .languages import language_name
from .models import (
    Agreement,
    AgreementKind,
    Language,
    Partner,
    SeatsHeld,
    StudyField,
    seats_held,
)

if TYPE_CHECKING:
    from _csv import _reader as CsvReader

    from apps.accounts.models import User

COLUMNS = (
    "name",
    "country",
    "city",
    "website",
    "hei_id",
    "languages",
    "fields",
    "agreement_kind",
    "seats_per_year",
    "first_year",
    "last_year",
    "language_requirement",
    "notes",
)
# Columns a file may leave out: a partner then keeps what the portal holds (files written
# before the column existed still import as they did).
OPTIONAL_COLUMNS = ("nomination_email",)
PARTNER_COLUMNS = ("city", "website", "hei_id")
AGREEMENT_COLUMNS = (
    "seats_per_year",
    "first_year",
    "last_year",
    "language_requirement",
    "notes",
)
AGREEMENT_OPTIONAL_COLUMNS = ("last_year", "language_requirement", "notes")
LIST_SEPARATOR = ";"
# The fields of a partner and an agreement the file gives values of, as the preview lists them
# (their columns are named as they are).
PARTNER_VALUE_FIELDS = ("city", "website", "hei_id", "nomination_email")
AGREEMENT_VALUE_FIELDS = (
    "seats_per_year",
    "first_year",
    "language_requirement",
    "last_year",
    "notes",
)
# An optional cell left empty keeps what the portal holds; this, alone in the cell, empties the
# field (a list, an agreement's end: open-ended) on purpose.
ERASE = "-"

LANGUAGE_CODE = re.compile(r"[a-z]{2}")
YEAR = re.compile(r"\d{4}")
# Model max_length per column, so that a long value is a reported problem, not a database error.
MAX_LENGTHS = {
    "name": Partner._meta.get_field("name").max_length,
    "city": Partner._meta.get_field("city").max_length,
    "website": Partner._meta.get_field("website").max_length,
    "hei_id": Partner._meta.get_field("hei_id").max_length,
    "nomination_email": Partner._meta.get_field("nomination_email").max_length,
    "language_requirement": Agreement._meta.get_field("language_requirement").max_length,
}
FIELD_NAME_MAX_LENGTH = StudyField._meta.get_field("name").max_length
FIELD_SLUG_MAX_LENGTH = StudyField._meta.get_field("slug").max_length
MAX_SEATS = 32767  # PositiveSmallIntegerField's upper bound on every supported database

# Where a problem is when it is not in one column: in the reader's language, as every
# problem (the command prints them untranslated: the English of docs/partners-import.md).
FILE = pgettext_lazy("where a CSV file has a problem", "file")
HEADER = pgettext_lazy("where a CSV file has a problem", "header")
ROW = pgettext_lazy("where a CSV file has a problem", "row")


class ImportFailed(Exception):
    """The file has problems in its content (exit status 1); nothing was written."""

    exit_code = 1

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class UnreadableFile(ImportFailed):
    """The file cannot be read as the layout: missing, not UTF-8, bad header (exit status 2)."""

    exit_code = 2


class PreviewOutdated(Exception):
    """The portal changed since the preview: the import would not do what it showed. Nothing
    was written; `report` is what it would do now."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


class Outcome(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ValueChange:
    """A field of a partner or agreement the import sets: `old` as stored ("" when created or
    empty), `new`. A list's values are (code or slug, language or field) pairs, named when
    shown (a language's name costs a lookup in the reader's language)."""

    model: type[Partner] | type[Agreement]
    field: str  # the model's field, named as the file's column
    old: object
    new: object

    @property
    def label(self) -> str:
        return capfirst(str(self.model._meta.get_field(self.field).verbose_name))

    @property
    def old_text(self) -> str:
        return _shown(self.old)

    @property
    def new_text(self) -> str:
        return _shown(self.new)

    @property
    def erased(self) -> bool:
        """A value the portal holds, emptied."""
        return bool(self.old_text) and not self.new_text

    def key(self) -> list[object]:
        """What the change is, whatever the language it is read in."""
        return [self.field, _raw(self.old), _raw(self.new)]


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return "; ".join(sorted((str(item) for _key, item in value), key=fold))
    return "" if value is None else str(value)


def _raw(value: object) -> object:
    if isinstance(value, tuple):
        return sorted(key for key, _name in value)
    return "" if value is None else str(value)


@dataclass
class AgreementPreview:
    kind: str
    outcome: Outcome
    values: list[ValueChange]

    @property
    def kind_label(self) -> str:
        # Not get_kind_display() for each agreement: it hashes the lazy choices every time.
        return AgreementKind(self.kind).label

    @property
    def erased(self) -> int:
        return sum(value.erased for value in self.values)

    def key(self) -> list[object]:
        return [self.kind, self.outcome.value, [value.key() for value in self.values]]


@dataclass
class PartnerPreview:
    """A partner the import creates or changes, or one of whose agreements it does."""

    name: str
    country: str
    outcome: Outcome
    values: list[ValueChange]
    agreements: list[AgreementPreview]

    @property
    def created(self) -> bool:
        return self.outcome is Outcome.CREATED

    @property
    def updated(self) -> bool:
        return self.outcome is Outcome.UPDATED

    @property
    def erased(self) -> int:
        own = sum(value.erased for value in self.values)
        return own + sum(agreement.erased for agreement in self.agreements)

    def key(self) -> list[object]:
        return [
            self.name,
            self.country,
            self.outcome.value,
            [value.key() for value in self.values],
            [agreement.key() for agreement in self.agreements],
        ]


@dataclass
class ImportReport:
    partners: Counter[Outcome] = field(default_factory=Counter)
    agreements: Counter[Outcome] = field(default_factory=Counter)
    # Each partner created or changed, or whose agreements are, in the file's order.
    changes: list[PartnerPreview] = field(default_factory=list)

    @property
    def erased(self) -> int:
        """How many values the portal holds the import empties."""
        return sum(partner.erased for partner in self.changes)

    def digest(self) -> str:
        """What the import changes, every value: the same for the same changes."""
        content = [
            [self.partners[outcome] for outcome in Outcome],
            [self.agreements[outcome] for outcome in Outcome],
            [partner.key() for partner in self.changes],
        ]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()

    def unchanged_summary(self) -> str:
        """As "Unchanged, not listed: 3 partners, 5 agreements." ("" when nothing is)."""
        partners = self.partners[Outcome.UNCHANGED]
        agreements = self.agreements[Outcome.UNCHANGED]
        if not partners and not agreements:
            return ""
        return _("Unchanged, not listed: %(partners)s, %(agreements)s.") % {
            "partners": ngettext("%(count)d partner", "%(count)d partners", partners)
            % {"count": partners},
            "agreements": ngettext("%(count)d agreement", "%(count)d agreements", agreements)
            % {"count": agreements},
        }

    def summary(self) -> str:
        """One line, as "1 partner created, 0 updated; 2 agreements created, 0 updated.": each
        count with the words its number takes ("updated" agrees with partners or agreements in
        French, hence their contexts)."""
        partners_created = self.partners[Outcome.CREATED]
        partners_updated = self.partners[Outcome.UPDATED]
        agreements_created = self.agreements[Outcome.CREATED]
        agreements_updated = self.agreements[Outcome.UPDATED]
        return _(
            "%(partners_created)s, %(partners_updated)s; "
            "%(agreements_created)s, %(agreements_updated)s."
        ) % {
            "partners_created": ngettext(
                "%(count)d partner created", "%(count)d partners created", partners_created
            )
            % {"count": partners_created},
            "partners_updated": npgettext(
                "partners", "%(count)d updated", "%(count)d updated", partners_updated
            )
            % {"count": partners_updated},
            "agreements_created": ngettext(
                "%(count)d agreement created", "%(count)d agreements created", agreements_created
            )
            % {"count": agreements_created},
            "agreements_updated": npgettext(
                "agreements", "%(count)d updated", "%(count)d updated", agreements_updated
            )
            % {"count": agreements_updated},
        }


@dataclass(frozen=True)
class AgreementRecord:
    kind: str
    seats_per_year: int
    first_year: int
    last_year: int | None = None
    language_requirement: str = ""
    notes: str = ""
    # The optional columns left empty: a stored agreement keeps its values of them.
    kept: frozenset[str] = frozenset()
    line: int = field(default=0, compare=False)  # of the file, for the problems found writing it


@dataclass
class PartnerRecord:
    """Everything known about one partner; `languages` are ISO 639-1 codes, `fields` names.
    A value None is one no row gives (every cell empty, or no such column): a stored partner
    keeps its own; "" and [] are emptied on purpose (ERASE).
    `line` is the file line of its first row; `lines` the line each of its values came from."""

    name: str
    country: str
    city: str | None = None
    website: str | None = None
    hei_id: str | None = None
    nomination_email: str | None = None
    languages: list[str] | None = None
    fields: list[str] | None = None
    agreements: list[AgreementRecord] = field(default_factory=list)
    line: int = 0
    lines: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Reading and validating


def import_partners_file(path: Path, *, actor: User | None = None) -> ImportReport:
    return import_partners_csv(read_csv_text(path), actor=actor)


def read_csv_text(path: Path) -> str:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(
            [
                _("%(path)s: cannot read file: %(error)s")
                % {"path": path, "error": error.strerror or error}
            ]
        ) from error
    return decode_csv_bytes(content)


def decode_csv_bytes(content: bytes) -> str:
    """The file's text: UTF-8, with or without a byte-order mark; else UnreadableFile."""
    try:
        # utf-8-sig: spreadsheets often save UTF-8 with a byte-order mark.
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Lines may end with \r alone too, as the csv module reads them ("x": a last line).
        line = len((content[: error.start] + b"x").splitlines())
        # Excel's plain "CSV" (in French "CSV (séparateur : point-virgule)") is Windows-1252.
        raise UnreadableFile(
            [
                _(
                    "line %(line)s: file: not valid UTF-8 (byte 0x%(byte)s): save the file "
                    "as CSV UTF-8"
                )
                % {"line": line, "byte": f"{content[error.start]:02x}"}
            ]
        ) from error


def import_partners_csv(
    text: str,
    *,
    write: bool = True,
    actor: User | None = None,
    expected_digest: str | None = None,
) -> ImportReport:
    """Validate the whole CSV text, then write it; raise ImportFailed with every problem.
    With `write=False`, what the import would do, and nothing written (the admin's preview).
    With an `actor`, each partner and agreement written is logged in the admin's history.
    With `expected_digest` (ImportReport.digest() of the preview), only the changes the
    preview showed are written, else PreviewOutdated."""
    return apply_partners(
        parse_partners_csv(text), write=write, actor=actor, expected_digest=expected_digest
    )


def parse_partners_csv(text: str) -> list[PartnerRecord]:
    _refuse_nul(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    header = _read_header(reader)
    collector = _PartnerCollector()
    try:
        for line, cells in _numbered_rows(reader):
            if len(cells) != len(header):
                collector.problems.append(_problem(line, ROW, _cell_count(cells, header)))
                continue
            collector.add_row(
                line, dict(zip(header, (cell.strip() for cell in cells), strict=True))
            )
    except csv.Error as error:
        raise UnreadableFile([_problem(reader.line_num, FILE, _malformed(error))]) from error
    if collector.problems:
        raise ImportFailed(collector.problems)
    return collector.records()


def _problem(line: int, place: str, problem: str) -> str:
    """As "line 3: seats_per_year: 'three' is not a whole number": where the problem is, a
    column's name as the file writes it (or FILE, HEADER, ROW), and what it is."""
    return _("line %(line)s: %(field)s: %(problem)s") % {
        "line": line,
        "field": place,
        "problem": problem,
    }


def _malformed(error: csv.Error) -> str:
    return _("malformed CSV (%(error)s)") % {"error": error}


def _cell_count(cells: list[str], header: list[str]) -> str:
    """As "has 1 cell, the header has 13": the cells' count with the words it takes (the
    header names every column, once: it has more than one)."""
    return ngettext(
        "has %(count)d cell, the header has %(columns)d",
        "has %(count)d cells, the header has %(columns)d",
        len(cells),
    ) % {"count": len(cells), "columns": len(header)}


def _separator(text: str) -> str:
    """Excel in a French locale saves CSV, "CSV UTF-8" included, with semicolons between the
    cells. The header, which holds nothing but column names, tells which."""
    header = next(iter(text.splitlines()), "")
    return ";" if ";" in header and "," not in header else ","


def _refuse_nul(text: str) -> None:
    """The csv module reads a NUL character as any other, and PostgreSQL refuses it in text:
    such a file is refused whole, at the line of its first NUL (a UTF-16 file has one in
    every character)."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise UnreadableFile(
            [_problem(line, FILE, _("contains a NUL character (save the file as CSV UTF-8)"))]
        )


def _read_header(reader: CsvReader) -> list[str]:
    try:
        header = [column.strip().lower() for column in next(reader, [])]
    except csv.Error as error:
        raise UnreadableFile([_problem(1, HEADER, _malformed(error))]) from error
    if not any(header):
        raise UnreadableFile(
            [_problem(1, HEADER, _("missing (the first line must name the columns)"))]
        )
    # "column(s)" in English whatever their number, as the command has always printed it;
    # ngettext lets other languages agree with it.
    problems = []
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        problems.append(
            _problem(
                1,
                HEADER,
                ngettext(
                    "missing column(s): %(columns)s", "missing column(s): %(columns)s", len(missing)
                )
                % {"columns": ", ".join(missing)},
            )
        )
    unknown = [
        column
        for column in header
        if column and column not in COLUMNS and column not in OPTIONAL_COLUMNS
    ]
    if unknown:
        problems.append(
            _problem(
                1,
                HEADER,
                ngettext(
                    "unknown column(s): %(columns)s", "unknown column(s): %(columns)s", len(unknown)
                )
                % {"columns": ", ".join(unknown)},
            )
        )
    # A spreadsheet writes a separator after the last column once a cell beyond it was used.
    problems.extend(
        _problem(
            1,
            HEADER,
            _("column %(position)s has no name (delete that column or name it)")
            % {"position": position},
        )
        for position, column in enumerate(header, start=1)
        if not column
    )
    repeated = sorted({column for column in header if column and header.count(column) > 1})
    if repeated:
        problems.append(
            _problem(
                1,
                HEADER,
                ngettext(
                    "repeated column(s): %(columns)s",
                    "repeated column(s): %(columns)s",
                    len(repeated),
                )
                % {"columns": ", ".join(repeated)},
            )
        )
    if problems:
        raise UnreadableFile(problems)
    return header


def _numbered_rows(reader: CsvReader) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the physical line they start on (a quoted cell may span lines)."""
    next_line = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            yield next_line, cells
        next_line = reader.line_num + 1


class _PartnerCollector:
    """Gathers validated rows into one record per partner, remembering where values came from."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._partners: dict[tuple[str, str], PartnerRecord] = {}
        self._partner_value_lines: dict[tuple[str, str, str], int] = {}
        self._agreement_lines: dict[tuple[str, str, str], int] = {}
        # (folded name, country, column): whether the first row giving the list emptied it, and
        # that row's line.
        self._list_lines: dict[tuple[str, str, str], tuple[bool, int]] = {}

    def records(self) -> list[PartnerRecord]:
        return list(self._partners.values())

    def add_row(self, line: int, row: dict[str, str]) -> None:
        row_problems = _RowProblems(line)
        name = _required(row_problems, row, "name")
        country = _country(row_problems, row)
        partner_values = {
            column: _text(row_problems, row, column)
            for column in (*PARTNER_COLUMNS, *OPTIONAL_COLUMNS)
            if column in row
        }
        if partner_values["website"] not in ("", ERASE):
            _check_url(row_problems, partner_values["website"])
        if partner_values.get("nomination_email", "") not in ("", ERASE):
            _check_email(row_problems, partner_values["nomination_email"])
        languages = None if row["languages"] == ERASE else _language_codes(row_problems, row)
        field_names = None if row["fields"] == ERASE else _field_names(row_problems, row)
        agreement = _agreement(row_problems, row)
        if not row_problems:
            partner = self._partner(name, country, row_problems.line)
            self._merge_partner_values(row_problems, partner, partner_values)
            self._merge_list(row_problems, partner, "languages", languages, str.casefold)
            self._merge_list(row_problems, partner, "fields", field_names, slugify)
            if agreement is not None:
                self._add_agreement(row_problems, partner, agreement)
        self.problems.extend(row_problems)

    def _partner(self, name: str, country: str, line: int) -> PartnerRecord:
        key = (fold(name), country)  # as partners are matched in the database
        if key not in self._partners:
            self._partners[key] = PartnerRecord(name=name, country=country, line=line)
        return self._partners[key]

    def _merge_partner_values(
        self, problems: _RowProblems, partner: PartnerRecord, values: dict[str, str]
    ) -> None:
        """A value may be given on one row of the partner only; rows that repeat it must agree.
        An empty cell gives nothing; ERASE gives the empty value."""
        for column, written in values.items():
            if not written:
                continue
            value = "" if written == ERASE else written
            key = (fold(partner.name), partner.country, column)
            current = getattr(partner, column)
            if current is None:
                setattr(partner, column, value)
                self._partner_value_lines[key] = partner.lines[column] = problems.line
            elif current != value:
                first_line = self._partner_value_lines[key]
                problems.add(
                    column,
                    _("'%(value)s' differs from '%(first)s' on line %(line)s")
                    % {"value": written, "first": current or ERASE, "line": first_line},
                )

    def _merge_list(
        self,
        problems: _RowProblems,
        partner: PartnerRecord,
        column: str,
        items: list[str] | None,
        key: Callable[[str], str],
    ) -> None:
        """The union of the items the partner's rows give; None: the row's cell was ERASE, which
        the partner's other rows may repeat but not contradict with items."""
        if items == []:
            return  # an empty cell
        erase = items is None
        line_key = (fold(partner.name), partner.country, column)
        first_erase, first_line = self._list_lines.setdefault(line_key, (erase, problems.line))
        if first_erase != erase:
            problems.add(
                column,
                _("cannot be both emptied ('%(erase)s') and given values (line %(line)s)")
                % {"erase": ERASE, "line": first_line},
            )
            return
        if getattr(partner, column) is None:
            setattr(partner, column, [])
        _extend_unique(getattr(partner, column), items or [], key=key)

    def _add_agreement(
        self, problems: _RowProblems, partner: PartnerRecord, agreement: AgreementRecord
    ) -> None:
        key = (fold(partner.name), partner.country, agreement.kind)
        if key in self._agreement_lines:
            problems.add(
                "agreement_kind",
                _(
                    "duplicate agreement '%(kind)s' for %(partner)s (%(country)s), already on "
                    "line %(line)s"
                )
                % {
                    "kind": agreement.kind,
                    "partner": partner.name,
                    "country": partner.country,
                    "line": self._agreement_lines[key],
                },
            )
            return
        self._agreement_lines[key] = problems.line
        partner.agreements.append(agreement)


class _RowProblems(list[str]):
    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line

    def add(self, column: str, problem: str) -> None:
        self.append(_problem(self.line, column, problem))


def _text(problems: _RowProblems, row: dict[str, str], column: str) -> str:
    value = row[column]
    max_length = MAX_LENGTHS.get(column)
    if max_length is not None and len(value) > max_length:
        problems.add(
            column,
            ngettext(
                "too long (%(count)d character, at most %(max)d)",
                "too long (%(count)d characters, at most %(max)d)",
                len(value),
            )
            % {"count": len(value), "max": max_length},
        )
    return value


def _required(problems: _RowProblems, row: dict[str, str], column: str) -> str:
    value = _text(problems, row, column)
    if not value:
        problems.add(column, _("required"))
    return value


def _country(problems: _RowProblems, row: dict[str, str]) -> str:
    code = _required(problems, row, "country").upper()
    if code and code not in countries:
        problems.add(
            "country",
            _("unknown country code '%(code)s' (ISO 3166-1 alpha-2)") % {"code": row["country"]},
        )
        return ""
    return code


def _check_url(problems: _RowProblems, url: str) -> None:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        problems.add("website", _("'%(url)s' is not a valid http(s) URL") % {"url": url})


def _check_email(problems: _RowProblems, address: str) -> None:
    if not address:
        return
    try:
        validate_email(address)
    except ValidationError:
        problems.add(
            "nomination_email",
            _("'%(address)s' is not a valid e-mail address") % {"address": address},
        )


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


def _language_codes(problems: _RowProblems, row: dict[str, str]) -> list[str]:
    codes = []
    for item in _split_list(row["languages"]):
        code = item.lower()
        if LANGUAGE_CODE.fullmatch(code):
            codes.append(code)
        else:
            problems.add(
                "languages",
                _("'%(code)s' is not a two-letter ISO 639-1 code") % {"code": item},
            )
    return codes


def _field_names(problems: _RowProblems, row: dict[str, str]) -> list[str]:
    names = []
    for name in _split_list(row["fields"]):
        slug = slugify(name)
        if not slug:
            problems.add("fields", _("'%(name)s' has no letter or digit") % {"name": name})
        elif len(name) > FIELD_NAME_MAX_LENGTH or len(slug) > FIELD_SLUG_MAX_LENGTH:
            problems.add("fields", _("'%(name)s' is too long") % {"name": name})
        else:
            names.append(name)
    return names


def _agreement(problems: _RowProblems, row: dict[str, str]) -> AgreementRecord | None:
    """The row's agreement. Its optional cells left empty are `kept`; ERASE empties one."""
    kind = row["agreement_kind"].lower()
    if not kind:
        filled = [column for column in AGREEMENT_COLUMNS if row[column]]
        if filled:
            # "is filled" in English whatever their number, as the command has always said.
            problems.add(
                "agreement_kind",
                ngettext(
                    "required when %(columns)s is filled",
                    "required when %(columns)s is filled",
                    len(filled),
                )
                % {"columns": ", ".join(filled)},
            )
        return None
    if kind not in AgreementKind.values:
        problems.add(
            "agreement_kind",
            _("unknown kind '%(kind)s' (one of %(kinds)s)")
            % {"kind": row["agreement_kind"], "kinds": ", ".join(AgreementKind.values)},
        )
    seats = _seats(problems, row["seats_per_year"])
    first_year = _year(problems, row, "first_year", required=True)
    kept = frozenset(column for column in AGREEMENT_OPTIONAL_COLUMNS if not row[column])
    row = {
        **row,
        **{column: "" for column in AGREEMENT_OPTIONAL_COLUMNS if row[column] == ERASE},
    }
    last_year = _year(problems, row, "last_year", required=False)
    if first_year is not None and last_year is not None and last_year < first_year:
        problems.add(
            "last_year",
            _("%(last_year)s is before first_year %(first_year)s")
            % {"last_year": last_year, "first_year": first_year},
        )
    language_requirement = _text(problems, row, "language_requirement")
    if kind not in AgreementKind.values or seats is None or first_year is None:
        return None
    return AgreementRecord(
        kind=kind,
        seats_per_year=seats,
        first_year=first_year,
        last_year=last_year,
        language_requirement=language_requirement,
        notes=row["notes"],
        kept=kept,
        line=problems.line,
    )


def _seats(problems: _RowProblems, value: str) -> int | None:
    if not value:
        problems.add("seats_per_year", _("required"))
        return None
    try:
        seats = int(value)
    except ValueError:
        problems.add("seats_per_year", _("'%(value)s' is not a whole number") % {"value": value})
        return None
    if seats < 0:
        problems.add("seats_per_year", _("%(seats)s is negative") % {"seats": seats})
        return None
    if seats > MAX_SEATS:
        problems.add(
            "seats_per_year",
            _("%(seats)s is more than %(max)s") % {"seats": seats, "max": MAX_SEATS},
        )
        return None
    return seats


def _year(
    problems: _RowProblems, row: dict[str, str], column: str, *, required: bool
) -> int | None:
    value = row[column]
    if not value:
        if required:
            problems.add(column, _("required"))
        return None
    if not YEAR.fullmatch(value):
        problems.add(column, _("'%(value)s' is not a 4-digit year") % {"value": value})
        return None
    return int(value)


def _extend_unique(
    items: list[str], new_items: Iterable[str], key: Callable[[str], str] = str.casefold
) -> None:
    known = {key(item) for item in items}
    for item in new_items:
        if key(item) not in known:
            known.add(key(item))
            items.append(item)


# ---------------------------------------------------------------------------------------------
# Writing


def apply_partners(
    records: Iterable[PartnerRecord],
    *,
    write: bool = True,
    actor: User | None = None,
    expected_digest: str | None = None,
) -> ImportReport:
    """Create or update each partner and its agreements, all or nothing. Nothing is deleted.
    With `write=False`, everything is checked and counted but nothing is written. The report
    lists every change (`changes`); with `expected_digest`, the digest of a preview's report,
    nothing is written unless this import would change exactly what it showed (else
    PreviewOutdated, with what it would do now).

    Each partner and agreement created or changed passes the models' validation first, as in
    the admin (an agreement keeps covering the years its nominations hold seats in, ...):
    every refusal is reported at its file line, and then nothing is written.

    What the file may touch is read at once, then matched and checked record after record in
    the file's order, each one against the portal as the records before it leave it, and
    written together: the same number of queries whatever the file's size.

    With an `actor`, each partner and agreement created or changed is logged as the admin's
    own saves log it (LogEntry: added, or the fields changed), under the actor's name: one
    insert for them all."""
    records = list(records)
    named = {(fold(record.name), record.country) for record in records}
    refusals: list[list[tuple[int, str]]] = [[] for _record in records]
    with transaction.atomic():
        portal = _Portal(records)
        partners: list[tuple[int, _PartnerChange]] = []
        for index, record in enumerate(records):
            change = portal.partner_change(record, named)
            if change is None:
                refusals[index].extend(portal.refusals)
            else:
                partners.append((index, change))
        portal.read_what_partners_hold([change.partner for _index, change in partners])
        # What applications hold of the stored agreements the file changes, for their checks.
        held = seats_held(portal.agreements_changing(change for _index, change in partners))
        report = ImportReport()
        agreements: list[_AgreementChange] = []
        for index, change in partners:
            for record in change.record.agreements:
                agreement = portal.agreement_change(change.partner, record)
                if agreement.outcome is not Outcome.UNCHANGED:
                    problems = portal.agreement_refusals(agreement, held)
                    if problems:
                        refusals[index].extend(problems)
                        continue
                    portal.keep_agreement(change.partner, agreement)
                agreements.append(agreement)
                change.agreements.append(agreement)
                report.agreements[agreement.outcome] += 1
        for _index, change in partners:
            if portal.relations_change(change) and change.outcome is Outcome.UNCHANGED:
                change.outcome = Outcome.UPDATED
            report.partners[change.outcome] += 1
        problems = [problem for problems in refusals for problem in problems]
        if problems:
            raise ImportFailed([problem for _line, problem in sorted(problems, key=_first)])
        report.changes = [
            _partner_preview(portal, change)
            for _index, change in partners
            if change.outcome is not Outcome.UNCHANGED
            or any(agreement.outcome is not Outcome.UNCHANGED for agreement in change.agreements)
        ]
        if expected_digest is not None and report.digest() != expected_digest:
            raise PreviewOutdated(report)
        if write:
            written = [change for _index, change in partners]
            relations = portal.write(written, agreements)
            if actor is not None:
                log_import(actor, written, agreements, relations)
    return report


def _first(refusal: tuple[int, str]) -> int:
    return refusal[0]


def _partner_preview(portal: _Portal, change: _PartnerChange) -> PartnerPreview:
    """What the import does to the partner and its agreements: a created one's values, a stored
    one's changed values with what they were."""
    partner = change.partner
    created = change.outcome is Outcome.CREATED
    values = [
        ValueChange(Partner, name, change.before.get(name, ""), getattr(partner, name))
        for name in ("name", *PARTNER_VALUE_FIELDS)
        if ((getattr(partner, name) and name != "name") if created else name in change.changed)
    ]
    for relation, key in (("languages", "code"), ("fields", "slug")):
        wanted = getattr(change, relation)
        if wanted is None:
            continue  # the partner keeps its own
        old = () if created else tuple(portal.held(change, relation))
        new = tuple((getattr(target, key), target) for target in wanted)
        if {key for key, _name in old} != {key for key, _name in new}:
            values.append(ValueChange(Partner, relation, old, new))
    return PartnerPreview(
        name=partner.name,
        country=partner.country.code,
        outcome=change.outcome,
        values=values,
        agreements=[
            _agreement_preview(agreement)
            for agreement in change.agreements
            if agreement.outcome is not Outcome.UNCHANGED
        ],
    )


def _agreement_preview(change: _AgreementChange) -> AgreementPreview:
    agreement = change.instance
    created = change.outcome is Outcome.CREATED
    return AgreementPreview(
        kind=agreement.kind,
        outcome=change.outcome,
        values=[
            ValueChange(Agreement, name, change.before.get(name, ""), getattr(agreement, name))
            for name in AGREEMENT_VALUE_FIELDS
            if ((getattr(agreement, name) not in (None, "")) if created else name in change.changed)
        ],
    )


@dataclass
class _Change:
    """A partner or agreement as the file leaves it (unsaved), with the fields it changes and,
    when stored, its values before (`before`)."""

    instance: Partner | Agreement
    outcome: Outcome
    changed: list[str]


@dataclass
class _PartnerChange(_Change):
    record: PartnerRecord
    before: dict[str, object] = field(default_factory=dict)
    # None: the file gives none, the partner keeps its own.
    languages: list[Language] | None = None
    fields: list[StudyField] | None = None
    agreements: list[_AgreementChange] = field(default_factory=list)

    @property
    def partner(self) -> Partner:
        return self.instance


@dataclass
class _AgreementChange(_Change):
    record: AgreementRecord
    before: dict[str, object] = field(default_factory=dict)


class _Portal:
    """The partners of the file's countries, its languages and fields of study, then the
    matched partners' languages, fields and agreements: read once, and changed in memory as
    the import goes, so that each record finds what the ones before it left (a partner renamed,
    created, ...), as it would in the database."""

    def __init__(self, records: list[PartnerRecord]) -> None:
        self.refusals: list[tuple[int, str]] = []  # of the last partner refused
        # (folded name, country), (country, hei_id in capitals), (name, country): the partners
        # found by each, oldest first. Names as the database folds them, the file's as fold()
        # does, as the queries the import made compared them.
        self._alike: dict[tuple[str, str], list[Partner]] = defaultdict(list)
        self._same_id: dict[tuple[str, str], list[Partner]] = defaultdict(list)
        self._named: dict[tuple[str, str], list[Partner]] = defaultdict(list)
        # id(partner): the indexes above that hold it, each with its key there.
        self._keys: dict[int, list[tuple[dict, tuple[str, str]]]] = {}
        self._order: dict[int, int] = {}  # id(partner): its rank by primary key, new ones last
        stored = (
            Partner.objects.filter(country__in={record.country for record in records})
            .annotate(folded_name=Fold("name"))
            .order_by("pk")
        )
        for partner in stored:
            # In capitals by Python, as the file's: the databases' upper() differ from it
            # (SQLite's leaves "é", neither makes "ß" "SS"), and an id as stored must be found.
            self._index(partner, partner.folded_name, partner.hei_id.upper())
        codes = {code for record in records for code in record.languages or ()}
        self._languages = {
            language.code: language for language in Language.objects.filter(code__in=codes)
        }
        slugs = {slugify(name) for record in records for name in record.fields or ()}
        self._fields = {field.slug: field for field in StudyField.objects.filter(slug__in=slugs)}
        self._new_languages: list[Language] = []
        self._new_fields: list[StudyField] = []
        # Read by read_what_partners_hold: id(partner) to its agreements by kind, and the
        # (row id, language or field id) of its languages and fields.
        self._agreements: dict[int, dict[str, Agreement]] = defaultdict(dict)
        self._language_rows: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._field_rows: dict[int, list[tuple[int, int]]] = defaultdict(list)
        # By relation, what the stored rows name: {language or field id: (code or slug, name)}.
        self._held: dict[str, dict[int, tuple[str, str]]] = {"languages": {}, "fields": {}}

    # --- partners ---------------------------------------------------------------------------

    def _index(self, partner: Partner, folded_name: str, hei_id_capitals: str) -> None:
        country = partner.country.code
        self._order.setdefault(id(partner), partner.pk or len(self._order) + 2**62)
        keys = [(self._alike, (folded_name, country)), (self._named, (partner.name, country))]
        if hei_id_capitals:  # an empty hei_id finds no partner (it may be thousands of them)
            keys.append((self._same_id, (country, hei_id_capitals)))
        for index, key in keys:
            bisect.insort(index[key], partner, key=lambda partner: self._order[id(partner)])
        self._keys[id(partner)] = keys

    def _reindex(self, partner: Partner) -> None:
        for index, key in self._keys.pop(id(partner), []):
            found = index[key]
            # By identity: a model's == compares primary keys, in Python, row after row.
            del found[next(at for at, other in enumerate(found) if other is partner)]
        self._index(partner, fold(partner.name), partner.hei_id.upper())

    def _existing_partner(self, record: PartnerRecord, named: set[tuple[str, str]]):
        """The partner of the portal the record describes: of its country, the one named as the
        file spells it, else the first named alike whatever the case and accents (the portal may
        hold two such spellings: it only refuses the same one twice). Failing those, the one
        partner of the country with the record's hei_id, unless the file names it too (two
        campuses may share an id): the partner renamed."""
        alike = self._alike.get((fold(record.name), record.country), [])
        partner = next(
            (partner for partner in alike if partner.name == record.name),
            alike[0] if alike else None,
        )
        if partner is None and record.hei_id:
            same_id = self._same_id.get((record.country, record.hei_id.upper()), [])
            if len(same_id) == 1 and (fold(same_id[0].name), record.country) not in named:
                return same_id[0]
        return partner

    def partner_change(
        self, record: PartnerRecord, named: set[tuple[str, str]]
    ) -> _PartnerChange | None:
        """The partner the record creates or updates, or None when the models' validation
        refuses it (the reasons in `refusals`). `named`: the (folded name, country) of every
        partner of the file."""
        values: dict[str, object] = {"name": record.name, "country": record.country}
        for column in PARTNER_VALUE_FIELDS:
            if getattr(record, column) is not None:  # else the partner keeps its own
                values[column] = getattr(record, column)
        partner = self._existing_partner(record, named)
        if partner is None:
            partner, outcome, changed, before = Partner(**values), Outcome.CREATED, [], {}
        else:
            if fold(partner.name) == fold(record.name):
                values["name"] = _spelling(partner.name, record.name)
            before = {name: getattr(partner, name) for name in values}
            changed = _assign(partner, values)
            outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
        if outcome is not Outcome.UNCHANGED:
            self.refusals = _refusals(
                _full_clean(
                    partner,
                    # The code was checked against the field's own choices (`_country`):
                    # CountryField's check walks its 250 choices, 2 ms a partner.
                    skip_fields={"country"},
                    clean=partner.clean,
                    taken={"partner_unique_name_country": self._name_taken},
                ),
                lambda name: record.lines.get(name, record.line),
                PARTNER_FIELD_COLUMNS,
            )
            if self.refusals:
                _assign(partner, before)  # as the database still holds it
                return None
            self._reindex(partner)
        change = _PartnerChange(partner, outcome, changed, record, before=before)
        if record.languages is not None:
            change.languages = [self._language(code) for code in record.languages]
        if record.fields is not None:
            change.fields = [self._study_field(name) for name in record.fields]
        return change

    def _name_taken(self, partner: Partner) -> bool:
        return any(
            other is not partner for other in self._named[(partner.name, partner.country.code)]
        )

    def _language(self, code: str) -> Language:
        """The language of `code`, created under its English name (or its code) if new: pages
        name it in the reader's language (Language.__str__)."""
        if code not in self._languages:
            with override("en"):
                name = language_name(code) or code.upper()
            self._languages[code] = Language(code=code, name=name)
            self._new_languages.append(self._languages[code])
        return self._languages[code]

    def _study_field(self, name: str) -> StudyField:
        slug = slugify(name)
        if slug not in self._fields:
            self._fields[slug] = StudyField(slug=slug, name=name)
            self._new_fields.append(self._fields[slug])
        return self._fields[slug]

    def read_what_partners_hold(self, partners: list[Partner]) -> None:
        """The agreements, languages and fields of the stored ones of `partners`."""
        stored = {partner.pk: partner for partner in partners if partner.pk is not None}
        for agreement in Agreement.objects.filter(partner_id__in=stored):
            agreement.partner = stored[agreement.partner_id]  # the one the import changes
            self._agreements[id(agreement.partner)][agreement.kind] = agreement
        for relation, rows, key in (
            ("languages", self._language_rows, "code"),
            ("fields", self._field_rows, "slug"),
        ):
            through = getattr(Partner, relation).through
            target = getattr(Partner, relation).field.m2m_reverse_field_name()
            # The targets' key and name in the same query: what the preview shows they were.
            for row_id, partner_id, target_id, target_key, name in through.objects.filter(
                partner_id__in=stored
            ).values_list(
                "pk", "partner_id", f"{target}_id", f"{target}__{key}", f"{target}__name"
            ):
                rows[id(stored[partner_id])].append((row_id, target_id))
                self._held[relation][target_id] = (target_key, name)

    def relations_change(self, change: _PartnerChange) -> bool:
        """Whether the partner's languages or fields are not exactly those the record gives."""
        return any(
            {target_id for _row, target_id in rows[id(change.partner)]}
            != {target.pk for target in wanted}
            or any(target.pk is None for target in wanted)
            for rows, wanted in (
                (self._language_rows, change.languages),
                (self._field_rows, change.fields),
            )
            if wanted is not None
        )

    def held(self, change: _PartnerChange, relation: str) -> list[tuple[str, object]]:
        """The (code or slug, language or field name) of the languages or fields the partner
        holds."""
        if relation == "languages":
            return [
                (code, Language(code=code, name=name))  # named as Language names itself
                for code, name in (
                    self._held[relation][target_id]
                    for _row, target_id in self._language_rows[id(change.partner)]
                )
            ]
        return [
            self._held[relation][target_id]
            for _row, target_id in self._field_rows[id(change.partner)]
        ]

    # --- agreements -------------------------------------------------------------------------

    def agreements_changing(self, partners: Iterable[_PartnerChange]) -> list[int]:
        """The ids of the stored agreements of `partners` whose values their records change."""
        return [
            agreement.pk
            for change in partners
            for record in change.record.agreements
            if (agreement := self._agreements[id(change.partner)].get(record.kind)) is not None
            and agreement.pk is not None
            and any(
                getattr(agreement, name) != value
                for name, value in _agreement_values(record).items()
            )
        ]

    def agreement_change(self, partner: Partner, record: AgreementRecord) -> _AgreementChange:
        values = _agreement_values(record)
        agreement = self._agreements[id(partner)].get(record.kind)
        if agreement is None:
            agreement = Agreement(partner=partner, kind=record.kind, **values)
            return _AgreementChange(agreement, Outcome.CREATED, [], record)
        before = {name: getattr(agreement, name) for name in AGREEMENT_VALUE_FIELDS}
        changed = _assign(agreement, values)
        return _AgreementChange(
            agreement,
            Outcome.UPDATED if changed else Outcome.UNCHANGED,
            changed,
            record,
            before=before,
        )

    def agreement_refusals(
        self, change: _AgreementChange, held: dict[int, SeatsHeld]
    ) -> list[tuple[int, str]]:
        agreement = change.instance
        return _refusals(
            _full_clean(
                agreement,
                # The partner's existence: it is one the import read or creates.
                skip_fields={"partner"},
                clean=lambda: agreement.clean_against(held.get(agreement.pk, SeatsHeld())),
                taken={"agreement_unique_kind": self._kind_taken},
            ),
            lambda _name: change.record.line,
            AGREEMENT_FIELD_COLUMNS,
        )

    def _kind_taken(self, agreement: Agreement) -> bool:
        other = self._agreements[id(agreement.partner)].get(agreement.kind)
        return other is not None and other is not agreement

    def keep_agreement(self, partner: Partner, change: _AgreementChange) -> None:
        self._agreements[id(partner)][change.instance.kind] = change.instance

    # --- writing ----------------------------------------------------------------------------

    def write(
        self, partners: list[_PartnerChange], agreements: list[_AgreementChange]
    ) -> dict[int, list[str]]:
        """Insert what is new and update what changed, a few statements for each model.
        Returns, by id(partner), the relations ("languages", "fields") whose rows changed."""
        relations_changed: dict[int, list[str]] = defaultdict(list)
        Language.objects.bulk_create(self._new_languages, batch_size=rows_per_insert(Language))
        StudyField.objects.bulk_create(self._new_fields, batch_size=rows_per_insert(StudyField))
        _save_all(Partner, partners)
        _save_all(Agreement, agreements)
        for relation, rows, wanted_of in (
            ("languages", self._language_rows, lambda change: change.languages),
            ("fields", self._field_rows, lambda change: change.fields),
        ):
            through = getattr(Partner, relation).through
            target = getattr(Partner, relation).field.m2m_reverse_field_name()
            removed, added = [], []
            # A partner two records name (spellings the database folds alike but not
            # fold()): the last one's languages and fields, as set() one after the other.
            for change in {
                id(change.partner): change for change in partners if wanted_of(change) is not None
            }.values():
                held = dict((target_id, row) for row, target_id in rows[id(change.partner)])
                wanted = {item.pk for item in wanted_of(change)}
                removed.extend(row for target_id, row in held.items() if target_id not in wanted)
                added.extend(
                    through(partner_id=change.partner.pk, **{f"{target}_id": target_id})
                    for target_id in wanted - held.keys()
                )
                if wanted != held.keys():
                    relations_changed[id(change.partner)].append(relation)
            through.objects.filter(pk__in=removed).delete()
            through.objects.bulk_create(added, batch_size=rows_per_insert(through))
        return relations_changed


def log_import(
    actor: User,
    partners: list[_PartnerChange],
    agreements: list[_AgreementChange],
    relations: dict[int, list[str]],
) -> None:
    """Log each partner and agreement the import created or changed in the admin's history,
    as the admin logs its own saves ("Added.", "Changed City and Seats per year."): the
    actor, the object, and the labels of the fields changed. One insert for them all."""
    entries: dict[int, LogEntry] = {}
    labels: dict[int, list[str]] = defaultdict(list)
    for change in [*partners, *agreements]:
        instance = change.instance
        fields = [*change.changed, *relations.get(id(instance), ())]
        if change.outcome is Outcome.UNCHANGED and not fields:
            continue
        if id(instance) not in entries:
            entries[id(instance)] = LogEntry(
                user_id=actor.pk,
                content_type_id=ContentType.objects.get_for_model(type(instance)).pk,
                object_id=str(instance.pk),
                object_repr=str(instance)[:200],
                action_flag=ADDITION if change.outcome is Outcome.CREATED else CHANGE,
            )
        # A partner two records name (spellings folded alike): one entry, every field.
        seen = labels[id(instance)]
        seen.extend(label for label in _labels(instance, fields) if label not in seen)
    for key, entry in entries.items():
        if entry.action_flag == ADDITION:
            message = [{"added": {}}]
        else:
            message = [{"changed": {"fields": labels[key]}}]
        entry.change_message = json.dumps(message)
    LogEntry.objects.bulk_create(entries.values(), batch_size=rows_per_insert(LogEntry))


def _labels(instance: Partner | Agreement, fields: Iterable[str]) -> list[str]:
    """The fields' labels as the admin's forms write them in its log: untranslated (the log
    translates them when it is read)."""
    with override(None):
        return [capfirst(str(instance._meta.get_field(name).verbose_name)) for name in fields]


def _agreement_values(record: AgreementRecord) -> dict[str, object]:
    """The values the record gives: not those of the optional cells it left empty."""
    values = {
        "seats_per_year": record.seats_per_year,
        "first_year": record.first_year,
        "last_year": record.last_year,
        "language_requirement": record.language_requirement,
        "notes": record.notes,
    }
    return {name: value for name, value in values.items() if name not in record.kept}


def _save_all(model: type[Partner] | type[Agreement], changes: list[_Change]) -> None:
    """Insert the new instances; update the stored ones' changed fields, one statement for
    each set of fields that changed together (as `save(update_fields=...)` one by one)."""
    new = [change.instance for change in changes if change.outcome is Outcome.CREATED]
    model.objects.bulk_create(new, batch_size=rows_per_insert(model))
    by_fields: dict[tuple[str, ...], list] = defaultdict(list)
    for change in changes:
        if change.outcome is Outcome.UPDATED and change.changed and change.instance.pk:
            by_fields[tuple(change.changed)].append(change.instance)
    for fields, instances in by_fields.items():
        update_each(instances, fields)


# The import's column for a model field, where the names differ; NON_FIELD_ERRORS: the row.
PARTNER_FIELD_COLUMNS = {NON_FIELD_ERRORS: "name"}
AGREEMENT_FIELD_COLUMNS = {NON_FIELD_ERRORS: ROW, "kind": "agreement_kind", "partner": "name"}

# The models' check constraints, in Python (Q.check() asks the database, row by row): the
# fields each reads, whether an instance meets it. A constraint missing here stops the import.
CHECK_CONSTRAINTS: dict[str, tuple[tuple[str, ...], Callable[[Agreement], bool]]] = {
    "agreement_years_ordered": (
        ("first_year", "last_year"),
        lambda agreement: (
            agreement.last_year is None or agreement.last_year >= agreement.first_year
        ),
    ),
}


def _full_clean(
    instance: Partner | Agreement,
    *,
    clean: Callable[[], None],
    taken: dict[str, Callable[[Partner | Agreement], bool]],
    skip_fields: Iterable[str] = (),
) -> ValidationError | None:
    """What `instance.full_clean()` raises (fields, `clean`, constraints, in its order, with
    its messages), without its queries: `clean` is the model's clean() given what it reads,
    `taken[name]` tells whether another row already holds a unique constraint's values, check
    constraints are CHECK_CONSTRAINTS. Left out: `skip_fields`' validation (a foreign key's is
    a query), and the primary key's uniqueness (a query excluding the row from those with its
    key: never any)."""
    errors: dict = {}
    try:
        instance.clean_fields(exclude=set(skip_fields))
    except ValidationError as invalid:
        errors = invalid.update_error_dict(errors)
    try:
        clean()
    except ValidationError as invalid:
        errors = invalid.update_error_dict(errors)
    exclude = {name for name in errors if name != NON_FIELD_ERRORS}
    violated: dict = {}
    for constraint in instance._meta.constraints:
        if isinstance(constraint, UniqueConstraint):
            if exclude.intersection(constraint.fields) or not taken[constraint.name](instance):
                continue
            message = instance.unique_error_message(type(instance), constraint.fields)
            violated = ValidationError(message, code=message.code).update_error_dict(violated)
        else:
            fields, holds = CHECK_CONSTRAINTS[constraint.name]
            if exclude.intersection(fields) or holds(instance):
                continue
            violated = ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            ).update_error_dict(violated)
    if violated:
        errors = ValidationError(violated).update_error_dict(errors)
    return ValidationError(errors) if errors else None


def _refusals(
    invalid: ValidationError | None,
    line_of: Callable[[str], int],
    columns: dict[str, str],
) -> list[tuple[int, str]]:
    """The model validation's messages, each as a `line N: column: problem` at the line
    `line_of` gives for the field."""
    if invalid is None:
        return []
    refusals = []
    for field_name, messages in invalid.message_dict.items():
        problems = _RowProblems(line_of(field_name))
        for message in messages:
            problems.add(columns.get(field_name, field_name), message)
        refusals.extend((problems.line, problem) for problem in problems)
    return refusals


def _spelling(stored: str, written: str) -> str:
    """The file's spelling of the partner's name, unless it would take accents off the one
    stored (a file typed without them: "UNIVERSITAT" for "Universität")."""
    accents = sum(not letter.isascii() for letter in stored)
    return stored if sum(not letter.isascii() for letter in written) < accents else written


def _assign(instance: Partner | Agreement, values: dict[str, object]) -> list[str]:
    """Set the attributes that differ from `values`, unsaved; their names."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed
