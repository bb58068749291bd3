"""The partners import's upload form in the admin (the layout: docs/partners-import.md)."""

import hashlib

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .importing import UnreadableFile, decode_csv_bytes

# Below DATA_UPLOAD_MAX_MEMORY_SIZE: the confirmation sends the text back as a form field.
PARTNERS_FILE_MAX_BYTES = 2 * 1024 * 1024


class PartnersImportForm(forms.Form):
    file = forms.FileField(
        label=_("Partners file (CSV)"),
        help_text=_(
            "One row per agreement, the first line naming the columns, as the import command "
            "reads it (docs/partners-import.md). UTF-8 text, commas or semicolons between "
            "cells, at most 2 MB."
        ),
    )

    def clean_file(self) -> str:
        """The file's text."""
        upload = self.cleaned_data["file"]
        if upload.size > PARTNERS_FILE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.")
                % {"size": filesizeformat(PARTNERS_FILE_MAX_BYTES)}
            )
        try:
            return with_newlines(decode_csv_bytes(upload.read()))
        except UnreadableFile as failure:
            raise forms.ValidationError(failure.problems) from failure


NOT_WHOLE = _(
    "Nothing was imported: the file's text did not come back whole with your confirmation. "
    "Upload the file again."
)


def with_newlines(text: str) -> str:
    """The text with its line breaks written \\n. A browser sends a form's values back with
    \\r\\n ones: the upload and the confirmation are both read so, the import writes what the
    preview counted, and the same file previewed again changes nothing."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_digest(text: str) -> str:
    """The text's SHA-256, its line breaks written \\n (`with_newlines`)."""
    return hashlib.sha256(with_newlines(text).encode()).hexdigest()


class PartnersImportConfirmForm(forms.Form):
    """The previewed file's text, sent back to be written, and its digest after it: a
    request cut short in the text (the parser keeps what came of it: the rows before the
    cut) lacks the digest or has another, and imports nothing."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    digest = forms.CharField(widget=forms.HiddenInput)

    @classmethod
    def of(cls, text: str) -> "PartnersImportConfirmForm":
        return cls(initial={"text": text, "digest": text_digest(text)})

    def clean_text(self) -> str:
        return with_newlines(self.cleaned_data["text"])

    def clean(self) -> dict:
        data = super().clean()
        if "text" in data and data.get("digest") != text_digest(data["text"]):
            raise forms.ValidationError(NOT_WHOLE, code="not_previewed")
        return data
