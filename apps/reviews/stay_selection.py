"""The rows of a page that records several departures (or returns) at once: who the officer
chose, each with the dossier's own decision form when it may be recorded, or the reason it
is left out; and each row recorded through the dossier's own service."""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.errors import ServiceError
from apps.applications.models import Application
from apps.applications.workflow import can_move, check_move
from mobility_portal.dates import long_date
from mobility_portal.numbers import digits_number

from .forms_dri import DECISIONS, StayDayForm
from .selectors_stays import stay_applications
from .stay_moves import MOST_AT_ONCE, StayMove


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
    # How many applications the queue's filters selected, when the selection is theirs.
    matching: int | None = None

    @property
    def early(self) -> bool:
        """Whether a row asks for a confirmation (its stay's day is still to come)."""
        return any("confirm" in row.form.fields for row in self.rows)


def application_numbers(values: list[str]) -> tuple[list[int], list[str]]:
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


def selection(move: StayMove, values: list[str], data: QueryDict | None = None) -> Selection:
    """The rows of `values` (application numbers): each with its form (bound to `data` when
    given), or left out with its reason. Four queries, however many rows."""
    numbers, junk = application_numbers(values)
    chosen = Selection(too_many=len(numbers) > MOST_AT_ONCE)
    if chosen.too_many:
        return chosen
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
        (chosen.rows if row.form is not None else chosen.left_out).append(row)
    chosen.left_out.extend(
        Row(pk=value, reason=_("This is not an application number.")) for value in junk
    )
    return chosen


def record(move: StayMove, actor: User, row: Row) -> str:
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
