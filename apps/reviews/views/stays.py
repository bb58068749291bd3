"""Recording several departures (or returns) at once, from the DRI's queue.

The officer ticks students in the queue (filtered on accepted, or in mobility), and this page
lists exactly who will be recorded, asks for the same confirmation as the dossier's own form
for each one whose stay has not yet begun (or ended), and lists who is left out and why. Sent,
each application goes through the very service the dossier's button calls, one at a time:
each in its own transaction, with its own history row and its own notification. A row that
fails (the dossier changed since the page was shown, its box was not ticked) does not hold
back the others: every departure is a fact about one student, true or not whatever the other
rows, and the results page says, row by row, what was recorded and what was not. Sending the
page again records nothing twice: a recorded dossier has changed since it was shown."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_http_methods

from apps.accounts.access import capability_required
from apps.accounts.models import User
from apps.accounts.roles import Capability
from apps.applications.errors import ServiceError
from apps.applications.models import Application, ApplicationState
from apps.applications.workflow import can_move, check_move
from mobility_portal.dates import long_date
from mobility_portal.numbers import digits_number

from ..forms_dri import DECISIONS, StayDayForm
from ..queue_return import queue_return
from ..selectors_stays import stay_applications
from ..services import decisions

S = ApplicationState

# More than a few queue pages at once is not a selection anybody checks row by row.
MOST_AT_ONCE = 250

reviewers_only = capability_required(Capability.REVIEW_APPLICATIONS)


@dataclass(frozen=True)
class StayMove:
    """A departure or a return: the dossier's decision it repeats, and its words."""

    name: str  # the decision's name (forms_dri.DECISIONS), the prefix of each row's form
    to_state: str
    service: Callable[..., Application]
    title: str
    intro: str
    # Why an early row was left out, formatted with %(date)s (the stay's day).
    not_confirmed: str
    # Formatted with %(count)d: the confirmation's button, and the results' summary.
    submit_label: str
    summary: str


MOVES = {
    "departed": StayMove(
        name="departed",
        to_state=S.IN_MOBILITY,
        service=decisions.application_mark_departed,
        title=gettext_lazy("Record departures"),
        intro=gettext_lazy(
            "Each student listed below will be recorded as departed, as the button on their "
            "dossier does. This cannot be undone."
        ),
        not_confirmed=gettext_lazy(
            "Not recorded: the stay begins on %(date)s and you did not confirm that the "
            "student has already left."
        ),
        submit_label=ngettext_lazy(
            "Record %(count)d departure", "Record %(count)d departures", "count"
        ),
        summary=ngettext_lazy(
            "%(count)d student is recorded as departed.",
            "%(count)d students are recorded as departed.",
            "count",
        ),
    ),
    "returned": StayMove(
        name="returned",
        to_state=S.RETURNED,
        service=decisions.application_mark_returned,
        title=gettext_lazy("Record returns"),
        intro=gettext_lazy(
            "Each student listed below will be recorded as back from mobility and asked to "
            "send the host's transcript, as the button on their dossier does. This cannot be "
            "undone."
        ),
        not_confirmed=gettext_lazy(
            "Not recorded: the stay ends on %(date)s and you did not confirm that the student "
            "is already back."
        ),
        submit_label=ngettext_lazy("Record %(count)d return", "Record %(count)d returns", "count"),
        summary=ngettext_lazy(
            "%(count)d student is recorded as back from mobility and asked for the host's "
            "transcript.",
            "%(count)d students are recorded as back from mobility, each asked for the host's "
            "transcript.",
            "count",
        ),
    ),
}


@dataclass
class Row:
    """One selected application: `form` when it may be recorded, else the `reason` it is not
    (`application` None when no received application has the number)."""

    pk: int | str
    application: Application | None = None
    form: StayDayForm | None = None
    reason: str = ""

    @property
    def student(self) -> str:
        if self.application is None:
            return _("Application no. %(number)s") % {"number": self.pk}
        return str(self.application.student)

    @property
    def student_number(self) -> str:
        profile = getattr(self.application.student, "student_profile", None)
        return profile.student_number if profile is not None else ""

    @property
    def stay(self):
        """The nominated choice, from the prefetched choices."""
        return self.application.nominated_among_choices()

    @property
    def stay_days(self) -> str:
        choice = self.stay
        if choice is None:
            return ""
        return _("%(start)s to %(end)s") % {
            "start": long_date(choice.activity.start),
            "end": long_date(choice.activity.end),
        }


@dataclass
class Selection:
    rows: list[Row] = field(default_factory=list)  # to record
    left_out: list[Row] = field(default_factory=list)
    too_many: bool = False

    @property
    def early(self) -> bool:
        """Whether a row asks for a confirmation (its stay's day is still to come)."""
        return any("confirm" in row.form.fields for row in self.rows)


def _numbers(values: list[str]) -> tuple[list[int], list[str]]:
    """The application numbers given, in their order and once each; and what was not one, once
    each as it is shown (its first 40 characters). Dictionaries rather than lists: thousands
    of values cost no more than reading them."""
    numbers: dict[int, None] = {}
    junk: dict[str, None] = {}
    for value in values:
        value = value.strip()
        number = digits_number(value, most_digits=11)
        if number is not None:
            numbers.setdefault(number)
        elif value:
            junk.setdefault(value[:40])
    return list(numbers), list(junk)


def _form(move: StayMove, application: Application, data: QueryDict | None = None):
    form_class, _target = DECISIONS[move.name]
    return form_class(data, application=application, prefix=f"{move.name}-{application.pk}")


def _selection(move: StayMove, values: list[str], data: QueryDict | None = None) -> Selection:
    """The rows of `values` (application numbers): each with its form (bound to `data` when
    given), or left out with its reason. Four queries, however many rows."""
    numbers, junk = _numbers(values)
    selection = Selection(too_many=len(numbers) > MOST_AT_ONCE)
    if selection.too_many:
        return selection
    found = stay_applications(numbers)
    for pk in numbers:
        application = found.get(pk)
        row = Row(pk=pk, application=application)
        if application is None:
            row.reason = _("No application received by the office has this number.")
        elif data is None and not can_move(application, move.to_state):
            # The workflow's own words ("…is in mobility: it cannot become in mobility.").
            try:
                check_move(application, move.to_state)
            except ServiceError as refused:
                row.reason = " ".join(refused.reasons)
        else:
            row.form = _form(move, application, data)
        (selection.rows if row.form is not None else selection.left_out).append(row)
    selection.left_out.extend(
        Row(pk=value, reason=_("This is not an application number.")) for value in junk
    )
    return selection


def _record(move: StayMove, actor: User, row: Row) -> str:
    """Record one row through the dossier's own service; "" when done, else why not."""
    form = row.form
    if not form.is_valid():
        if "confirm" in form.errors:
            day = form.early_day(row.application)
            return str(move.not_confirmed) % {"date": long_date(day)}
        return " ".join(str(error) for errors in form.errors.values() for error in errors)
    try:
        move.service(actor=actor, application=form.application_as_seen())
    except ServiceError as refused:
        return " ".join(refused.reasons)
    return ""


@reviewers_only
@require_http_methods(["GET", "POST"])
def record_stays(request: HttpRequest, move: str):
    """GET: the confirmation of the selection the queue sent. POST: each row recorded."""
    stay_move = MOVES[move]
    way_back = queue_return(request)
    context = {"move": stay_move, "queue_return": way_back, "most_at_once": MOST_AT_ONCE}
    if request.method == "GET":
        selection = _selection(stay_move, request.GET.getlist("application"))
        return render(
            request,
            "reviews/stays_confirm.html",
            {
                **context,
                "selection": selection,
                "action": reverse(f"reviews:stays_{move}") + way_back.query,
                "submit_label": stay_move.submit_label % {"count": len(selection.rows)},
            },
            status=400 if selection.too_many else 200,
        )
    selection = _selection(stay_move, request.POST.getlist("application"), request.POST)
    recorded: list[Row] = []
    refused: list[Row] = []
    for row in selection.rows:
        row.reason = _record(stay_move, request.user, row)
        (refused if row.reason else recorded).append(row)
    selection.left_out[:0] = refused
    return render(
        request,
        "reviews/stays_done.html",
        {
            **context,
            "selection": selection,
            "recorded": recorded,
            "summary": stay_move.summary % {"count": len(recorded)},
        },
        status=400 if selection.too_many else 200,
    )
