"""Checks on uploaded documents: PDF by content, within the size limit."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
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


class OversizedUpload(UploadedFile):
    """A file that went past MAX_UPLOAD_SIZE: its name and full size, none of its content."""

    def __init__(self, name, content_type, size, charset):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: past MAX_UPLOAD_SIZE, a file's bytes are counted and
    dropped as they arrive. Django's own handlers wrote every byte to the disk before any view
    could look at the size, so one request of many gigabytes could fill it; now the form gets
    an empty file of the size sent, and validate_pdf refuses it with that size."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        # None: the handlers after this one (memory, temporary file) get nothing more.
        return raw_data if self.received <= settings.MAX_UPLOAD_SIZE else None

    def file_complete(self, file_size):
        if self.received <= settings.MAX_UPLOAD_SIZE:
            return None  # kept by the handlers after this one
        return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)
