"""Forms of the seat allocation page: the staff's decision per student, the scores file."""

from collections.abc import Iterable, Mapping

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.applications.models import Application, Choice
from apps.programmes.models import Agreement
from mobility_portal.parsing import whole_number

from .workbooks import WorkbookUnreadable, first_sheet_as_text, is_old_workbook, is_workbook

UNPLACED = "unplaced"
DECISION_PREFIX = "decision-"
# What the page showed of each application (`services.allocation.application_version`).
SEEN_PREFIX = "seen-"
# The queue's export of workbooks.MAX_ROWS (20,000) applications, scores filled, must come
# back: about 90 bytes an application as .xlsx (1.7 MB) and 330 as the French CSV (6.5 MB,
# bench/queue_export.py's scale data), with room for longer names and a spreadsheet's own
# re-saving. What an .xlsx unpacks to is bounded apart (workbooks.MAX_UNPACKED_BYTES).
SCORES_FILE_MAX_BYTES = 10 * 1024 * 1024


def destination_labels(
    choices: Iterable[Choice], agreements: Mapping[int, Agreement]
) -> dict[int, str]:
    """Each choice's destination in words, by choice id; `agreements` by id, with partner."""
    agreement_labels = {pk: str(agreement) for pk, agreement in agreements.items()}
    outside = gettext("%(host)s — outside partnerships")
    return {
        choice.pk: agreement_labels[choice.agreement_id]
        if choice.agreement_id
        else outside % {"host": choice.destination}
        for choice in choices
    }


def decision_field_name(application_id: int) -> str:
    return f"{DECISION_PREFIX}{application_id}"


def posted_application_ids(data) -> list[int]:
    """The applications a posted allocation names, from its `decision-<id>` keys."""
    suffixes = (
        key.removeprefix(DECISION_PREFIX) for key in data if key.startswith(DECISION_PREFIX)
    )
    return sorted(number for number in map(whole_number, suffixes) if number is not None)


def seen_field_name(application_id: int) -> str:
    return f"{SEEN_PREFIX}{application_id}"


def posted_versions(data) -> dict[int, str]:
    """What the page showed of each application, from the posted `seen-<id>` fields, by
    application id (a garbled key is left out: its application counts as changed)."""
    versions = {}
    for key in data:
        if key.startswith(SEEN_PREFIX):
            number = whole_number(key.removeprefix(SEEN_PREFIX))
            if number is not None:
                versions[number] = data[key]
    return versions


def _choice_id(value: str) -> int | None:
    return None if value == UNPLACED else int(value)


class DecisionsForm(forms.Form):
    """For each application, the choice staff give it, or unplaced. The applications come
    with their choices prefetched; each field offers only that application's choices, named
    by `labels` (choice id -> destination)."""

    def __init__(
        self, data=None, *, applications: Iterable[Application], labels: Mapping[int, str]
    ):
        super().__init__(data)
        # Translated once for the form, not again for each of its fields (one per student).
        unplaced = gettext("leave unplaced")
        decision_for = gettext("Decision for %(student)s")
        for application in applications:
            options = [
                (str(choice.pk), f"{choice.rank}. {labels[choice.pk]}")
                for choice in application.choices.all()
            ]
            self.fields[decision_field_name(application.pk)] = forms.TypedChoiceField(
                label=decision_for % {"student": application.student},
                choices=[*options, (UNPLACED, unplaced)],
                coerce=_choice_id,
            )

    def decisions(self) -> dict[int, int | None]:
        """Application id -> choice id (None: unplaced), once the form is valid."""
        return {
            int(name.removeprefix(DECISION_PREFIX)): value
            for name, value in self.cleaned_data.items()
        }


class ScoresImportForm(forms.Form):
    file = forms.FileField(
        label=_("Scores file (CSV or Excel)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "One line per student: student_number,score — for example 22400102,14.5, or "
            "22400102;14,5 as French spreadsheets save it, or with a tab between them (a first "
            "line naming the columns is allowed). The applications' export, CSV or Excel, its "
            "ranking score column filled, is read too. UTF-8 text or an .xlsx workbook (its "
            "first sheet), at most %(size)s."
        ) % {"size": filesizeformat(SCORES_FILE_MAX_BYTES)}

    def clean_file(self) -> str:
        """The file's text; an Excel workbook's first sheet as tab-separated text."""
        upload = self.cleaned_data["file"]
        if upload.size > SCORES_FILE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.")
                % {"size": filesizeformat(SCORES_FILE_MAX_BYTES)}
            )
        content = upload.read()
        if is_old_workbook(content):
            raise forms.ValidationError(
                _(
                    "This is an Excel 97-2003 workbook (.xls): save it as an Excel workbook "
                    "(.xlsx) or as CSV UTF-8."
                )
            )
        if is_workbook(content):
            try:
                return first_sheet_as_text(content)
            except WorkbookUnreadable as error:
                raise forms.ValidationError(str(error)) from error
        if looks_like_a_document(content):
            # A PDF or a picture can be plain ASCII: read as text, each of its lines was
            # reported as a line of scores with the wrong number of fields.
            raise forms.ValidationError(
                _(
                    "This file is neither CSV text nor an Excel workbook (it looks like a PDF, "
                    "a picture or another document): save the scores from your spreadsheet as "
                    "CSV UTF-8 or as an Excel workbook (.xlsx)."
                )
            )
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("The file is not UTF-8 text: save it as CSV UTF-8.")
            ) from error


# How documents that are not text start: PDF, PNG, JPEG, GIF, and RTF (which Word saves).
DOCUMENT_STARTS = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf")


def looks_like_a_document(content: bytes) -> bool:
    return content.startswith(DOCUMENT_STARTS)
