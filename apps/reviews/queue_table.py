"""The rows of the DRI queue's table, written in Python: fifty rows of about sixteen template
nodes each were a third of the page's time. The markup is the template's, escaped by
format_html as the template's autoescape did, with the template's own filters (dates and
numbers in the reader's language)."""

from collections.abc import Iterable

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.applications.models import Application
from apps.applications.templatetags.application_tags import score, state_badge

# A key no application has, where the dossier's address holds the key.
_KEY = 987_654_321

ROW = """
        <tr>
          <th scope="row" class="fw-normal">
            <a href="{dossier_url}">{student}</a>
            <div class="small text-body-secondary">{student_number} · {email}</div>
          </th>
          <td>{call}</td>
          <td>{state}</td>
          <td>{submitted}</td>
          <td>
            <ol class="mb-0 ps-3 small">{choices}
            </ol>
          </td>
          <td>{errors}</td>
          <td class="text-end">{score}</td>
        </tr>"""
CHOICE = """
                <li>{}{}</li>"""


def queue_rows_html(applications: Iterable[Application], back_query: str) -> SafeString:
    """The table's rows, each application's dossier link carrying `back_query`."""
    before, after = reverse("reviews:dossier", args=[_KEY]).split(str(_KEY))
    nominated = format_html(
        ' <span class="badge text-bg-success">{}</span>',
        pgettext("destination chosen for the student", "nominated"),
    )
    errors = format_html('<span class="badge text-bg-danger">{}</span>', _("Errors"))
    no_errors = format_html(
        '<span class="visually-hidden">{}</span><span aria-hidden="true">—</span>', _("None")
    )
    return format_html_join(
        "",
        "{}",
        (
            (
                _row(
                    application,
                    f"{before}{application.pk}{after}{back_query}",
                    nominated,
                    errors,
                    no_errors,
                ),
            )
            for application in applications
        ),
    )


def _row(
    application: Application,
    dossier_url: str,
    nominated: SafeString,
    errors: SafeString,
    no_errors: SafeString,
) -> SafeString:
    student = application.student
    # A student whose profile was removed has no number: the template read it as nothing.
    profile = getattr(student, "student_profile", None)
    nominated_id = application.nominated_choice_id
    return format_html(
        ROW,
        dossier_url=dossier_url,
        student=str(student),
        student_number=profile.student_number if profile is not None else "",
        email=student.email,
        call=str(application.call),
        state=state_badge(application),
        submitted=date_filter(template_localtime(application.submitted_at), "SHORT_DATE_FORMAT")
        or "—",
        choices=format_html_join(
            "",
            CHOICE,
            (
                (choice.destination_name, nominated if choice.pk == nominated_id else "")
                for choice in application.choices.all()
            ),
        ),
        errors=errors if application.snapshot_has_errors else no_errors,
        score=localize(score(application.ranking_score)),
    )
