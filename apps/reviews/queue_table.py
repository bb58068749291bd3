"""The rows of the DRI queue's table, written in Python: fifty rows of about sixteen template
nodes each were a third of the page's time. The markup is the template's, escaped as
the template's autoescape did, with the template's own filters (dates and
numbers in the reader's language)."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.applications.models import Application
from apps.applications.templatetags.application_tags import score, state_badge
from mobility_portal.dates import short_date
from mobility_portal.escaping import escaped

# A key no application has, where the dossier's address holds the key.
_KEY = 987_654_321

ROW = """
        <tr>{select}
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
# The row's tick box when the queue offers to record departures or returns (views/stays.py):
# it belongs to the form above the table.
SELECT = """
          <td><input class="form-check-input" type="checkbox" name="application" value="{pk}"
            form="stay-selection" aria-label="{label}"></td>"""
CHOICE = """
                <li>{}{}</li>"""


def queue_rows_html(
    applications: Iterable[Application], back_query: str, selectable: bool = False
) -> SafeString:
    """The table's rows, each application's dossier link carrying `back_query`; `selectable`,
    each with a tick box first."""
    before, after = reverse("reviews:dossier", args=[_KEY]).split(str(_KEY))
    words = {
        "nominated": format_html(
            ' <span class="badge text-bg-success">{}</span>',
            pgettext("destination chosen for the student", "nominated"),
        ),
        "errors": format_html('<span class="badge text-bg-danger">{}</span>', _("Errors")),
        "no_errors": format_html(
            '<span class="visually-hidden">{}</span><span aria-hidden="true">—</span>', _("None")
        ),
        # Written once, each row's student put in: a percent sign in a name stays as it is.
        "select": _("Select %(student)s") if selectable else "",
    }
    # Said the same way for every row of a state or of a call: written once per page.
    badges: dict[str, str] = {}
    calls: dict[int, str] = {}
    return mark_safe(  # nosec B308 B703: each value escaped as it is written in
        "".join(
            _row(
                application, f"{before}{application.pk}{after}{back_query}", badges, calls, **words
            )
            for application in applications
        )
    )


def _row(
    application: Application,
    dossier_url: str,
    badges: dict[str, str],
    calls: dict[int, str],
    nominated: SafeString,
    errors: SafeString,
    no_errors: SafeString,
    select: str,
) -> str:
    """ROW for one application, every value escaped (escaped) as format_html escapes it."""
    student = application.student
    # A student whose profile was removed has no number: the template read it as nothing.
    profile = getattr(student, "student_profile", None)
    nominated_id = application.nominated_choice_id
    if application.state not in badges:
        badges[application.state] = state_badge(application)
    if application.call_id not in calls:
        calls[application.call_id] = escaped(str(application.call))
    return ROW.format(
        select=SELECT.format(pk=application.pk, label=escaped(select % {"student": str(student)}))
        if select
        else "",
        dossier_url=escaped(dossier_url),
        student=escaped(str(student)),
        student_number=escaped(profile.student_number) if profile is not None else "",
        email=escaped(student.email),
        call=calls[application.call_id],
        state=badges[application.state],
        submitted=escaped(short_date(application.submitted_at) or "—"),
        choices="".join(
            CHOICE.format(
                escaped(choice.destination_name), nominated if choice.pk == nominated_id else ""
            )
            for choice in application.choices.all()
        ),
        errors=errors if application.snapshot_has_errors else no_errors,
        score=escaped(localize(score(application.ranking_score))),
    )
