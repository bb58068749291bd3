"""The partners import's upload form in the admin (the layout: docs/partners-import.md)."""

import hashlib

from django import forms
from django.core import signing
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .importing import UnreadableFile, decode_csv_bytes

# Below DATA_UPLOAD_MAX_MEMORY_SIZE: the confirmation sends the text back as a form field.
PARTNERS_FILE_MAX_BYTES = 2 * 1024 * 1024


class PartnersImportForm(forms.Form):
    file = forms.FileField(
        label=_("Partners file (CSV)"),
        help_text=_(
            "One row per agreement, the first line naming the columns listed below. UTF-8 text "
            '(in Excel: save as "CSV UTF-8"), commas or semicolons between cells, at most 2 MB.'
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
            raise forms.ValidationError(
                [forms.ValidationError(problem, code=UNREADABLE) for problem in failure.problems]
            ) from failure

    def unreadable_problems(self) -> list[str]:
        """The problems of a file that could not be read as text (not UTF-8): listed as any
        other problem of the file, rather than as the field's errors."""
        return [
            message
            for error in self.errors.as_data().get("file", [])
            if error.code == UNREADABLE
            for message in error.messages
        ]


UNREADABLE = "unreadable"


NOT_WHOLE = _(
    "Nothing was imported: the file's text did not come back whole with your confirmation. "
    "Upload the file again."
)
OUTDATED = _(
    "Nothing was imported: partners or agreements of the file changed in the portal since your "
    "preview. Here is what the file would do now: check it, then import it again."
)
# Binds a preview's text to what it showed (ImportReport.digest): signed, so that a
# confirmation carries only what this portal previewed.
PREVIEW_SIGNER = signing.Signer(salt="programmes.partners-import.preview")


def with_newlines(text: str) -> str:
    """The text with its line breaks written \\n. A browser sends a form's values back with
    \\r\\n ones: the upload and the confirmation are both read so, the import writes what the
    preview counted, and the same file previewed again changes nothing."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_digest(text: str) -> str:
    """The text's SHA-256, its line breaks written \\n (`with_newlines`)."""
    return hashlib.sha256(with_newlines(text).encode()).hexdigest()


def preview_token(text: str, preview_digest: str) -> str:
    """The text's digest and the preview's, signed."""
    return PREVIEW_SIGNER.sign(f"{text_digest(text)}:{preview_digest}")


class PartnersImportConfirmForm(forms.Form):
    """The previewed file's text, sent back to be written, and after it the digests, signed,
    of the text and of what the preview showed (`preview_token`). A request cut short in the
    text (the parser keeps what came of it: the rows before the cut) lacks the digest or has
    another, and imports nothing; the import writes only what the preview showed
    (`cleaned_data["preview"]`: ImportReport.digest())."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    digest = forms.CharField(widget=forms.HiddenInput)

    @classmethod
    def of(cls, text: str, preview_digest: str) -> "PartnersImportConfirmForm":
        return cls(initial={"text": text, "digest": preview_token(text, preview_digest)})

    def clean_text(self) -> str:
        return with_newlines(self.cleaned_data["text"])

    def clean(self) -> dict:
        data = super().clean()
        try:
            text_sha, preview = PREVIEW_SIGNER.unsign(data.get("digest", "")).split(":")
        except (signing.BadSignature, ValueError):
            text_sha, preview = "", ""
        if "text" not in data or text_sha != text_digest(data["text"]):
            raise forms.ValidationError(NOT_WHOLE, code="not_previewed")
        data["preview"] = preview
        return data
