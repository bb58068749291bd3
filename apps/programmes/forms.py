"""The partners import's upload form in the admin (the layout: docs/partners-import.md)."""

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
            return decode_csv_bytes(upload.read())
        except UnreadableFile as failure:
            raise forms.ValidationError(failure.problems) from failure


class PartnersImportConfirmForm(forms.Form):
    """The previewed file's text, sent back to be written."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
