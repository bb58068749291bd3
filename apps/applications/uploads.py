"""Checks on uploaded documents: PDF by content, within the size limit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_SIGNATURE = b"%PDF-"


def validate_pdf(upload) -> None:
    """Raise ValidationError unless `upload` is a PDF (by its first bytes) within the limit."""
    limit = settings.MAX_UPLOAD_SIZE
    if upload.size > limit:
        # "10.0 MB; the limit is 10.0 MB" read as a mistake for a file a few bytes over.
        raise ValidationError(
            _("The file is larger than the limit of %(limit)s (%(size)s).")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(0)
    if head != PDF_SIGNATURE:
        raise ValidationError(
            _("Only PDF documents are accepted, and this file is not a PDF (whatever its name)."),
            code="not_pdf",
        )
