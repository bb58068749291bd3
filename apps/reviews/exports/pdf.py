"""The learning agreement as a printable PDF, rendered by WeasyPrint from an HTML template."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.applications.errors import ServiceError

from .learning_agreement import LearningAgreement

TEMPLATE = "reviews/learning_agreement_pdf.html"


class PdfUnavailable(ServiceError):
    """This machine lacks the libraries WeasyPrint draws with."""


def learning_agreement_pdf(agreement: LearningAgreement) -> bytes:
    # Imported here: WeasyPrint needs pango, and the rest of the portal runs without it.
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as missing:
        raise PdfUnavailable(
            _("Printing to PDF is not available on this server; ask the IT team.")
        ) from missing
    html = render_to_string(TEMPLATE, {"agreement": agreement, "printed_on": timezone.localdate()})
    # The document needs nothing from outside: refuse every URL a text might smuggle in.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
