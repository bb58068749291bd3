"""Seat allocation of a call: the proposal read from the database, the import of ranking
scores, and the confirmation that nominates every placed student at once.

The algorithm itself is `apps.reviews.allocation` (pure Python); this module feeds it and acts
on its result.
"""

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override, pgettext

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError
from apps.applications.models import Application, Choice, Transition
from apps.applications.workflow import IN_REVIEW_STATES, StaleDossier, check_as_seen
from apps.programmes.models import Call

from ..allocation import Allocation, Applicant, ChoiceRef, allocate, over_allocated
from .decisions import (
    check_nomination_choice,
    check_nomination_locked,
    nominate_all_locked,
    ranking_scores_import_set,
)
from .seats import (
    SeatCount,
    held_elsewhere,
    lock_students_year,
    over_allocation_reason,
    seat_counts,
)

SCORE_COLUMNS = ("student_number", "score")


@dataclass(frozen=True)
class Proposal:
    call: Call
    applications: Mapping[int, Application]  # in rank order, with choices and student
    seats: Mapping[int, SeatCount]  # every agreement the applications chose
    allocation: Allocation

    @cached_property
    def choices(self) -> dict[int, Choice]:
        return {
            choice.pk: choice
            for application in self.applications.values()
            for choice in application.choices.all()
        }


def _ensure_reviewer(actor: User) -> None:
    if not user_can(actor, Capability.REVIEW_APPLICATIONS):
        raise ServiceError(_("Only the international relations office allocates seats."))


def allocation_pool(call: Call) -> QuerySet[Application]:
    """The applications the allocation ranks, with their students and choices: two queries.
    A student who already holds a seat this academic year through another application (a
    nomination in another call) is left out: they may not take a second one."""
    # What the allocation and its page read of a choice; agreements come with the seats.
    choices = (
        Choice.objects.select_related("activity")
        .only("application", "rank", "agreement", "host_name", "activity__host_name")
        .order_by("rank")
    )
    return (
        with_last_transition(_pool_applications(call))
        # The plan frozen at submission and the motivation: more than half of what reading a
        # large call cost, and neither the allocation nor its pages read them.
        .defer("snapshot", "motivation")
        .select_related("student__student_profile")
        .prefetch_related(Prefetch("choices", queryset=choices))
    )


def with_last_transition(applications: QuerySet[Application]) -> QuerySet[Application]:
    """`applications`, each with `last_transition`: the id of its latest Transition (None
    before its first move), read in the same query."""
    latest = Transition.objects.filter(application=OuterRef("pk")).order_by("-pk").values("pk")
    return applications.annotate(last_transition=Subquery(latest[:1]))


def application_version(application: Application) -> str:
    """What the allocation's pages showed of an application, as a token its confirmation
    compares (`application` from `with_last_transition`): its state, its latest Transition,
    which every move writes (changes requested and submitted again, choices edited between,
    a withdrawal undone: back in the same state, with another Transition), and its ranking
    score, which orders the proposal."""
    score = application.ranking_score
    return ":".join(
        (
            application.state,
            str(application.last_transition or 0),
            "" if score is None else format(score.normalize(), "f"),
        )
    )


def _in_pool(call, academic_year) -> QuerySet[Application]:
    """The applications a call's allocation ranks: in review, their student holding no seat
    of that academic year elsewhere. `call` and `academic_year` are values or references."""
    return Application.objects.filter(call=call, state__in=IN_REVIEW_STATES).exclude(
        held_elsewhere(academic_year)
    )


def _pool_applications(call: Call) -> QuerySet[Application]:
    return _in_pool(call, call.academic_year)


def left_out_holding_a_seat(call: Call) -> list[Application]:
    """The call's applications in review that its allocation leaves out, with their students:
    each student already holds a seat of the academic year through another application. One
    query."""
    return list(
        Application.objects.filter(call=call, state__in=IN_REVIEW_STATES)
        .filter(held_elsewhere(call.academic_year))
        .select_related("student")
        .order_by("pk")
    )


def pool_size() -> Coalesce:
    """How many applications each call's allocation ranks (for `Call` querysets): the
    allocations' list and each allocation count alike."""
    pool = (
        _in_pool(OuterRef("pk"), OuterRef("call__academic_year"))
        .order_by()
        .values("call")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(pool), 0)


def allocation_proposal(call: Call) -> Proposal:
    """The allocation the current database gives for `call`: four queries."""
    pool = {application.pk: application for application in allocation_pool(call)}
    applicants = [_applicant(application) for application in pool.values()]
    agreement_ids = {
        ref.agreement_id
        for applicant in applicants
        for ref in applicant.choices
        if ref.agreement_id is not None
    }
    seats = seat_counts(call, agreement_ids)
    allocation = allocate(applicants, {pk: count.available for pk, count in seats.items()})
    return Proposal(
        call=call,
        applications={
            outcome.applicant_id: pool[outcome.applicant_id] for outcome in allocation.outcomes
        },
        seats=seats,
        allocation=allocation,
    )


def _applicant(application: Application) -> Applicant:
    return Applicant(
        id=application.pk,
        score=application.ranking_score,
        submitted_at=application.submitted_at,
        choices=tuple(_ref(choice) for choice in application.choices.all()),
    )


def _ref(choice: Choice) -> ChoiceRef:
    return ChoiceRef(choice_id=choice.pk, agreement_id=choice.agreement_id)


# --- confirmation ------------------------------------------------------------------------


def allocation_confirm(
    *,
    actor: User,
    call: Call,
    decisions: Mapping[int, int | None],
    seen: Mapping[int, str],
) -> list[Application]:
    """Nominate every placed student of `decisions` (application id -> choice id, or None for
    unplaced) in one transaction: all of them, or none when anything is refused.

    `seen` is what the page the staff confirmed from showed of each application of the
    decisions (application id -> `application_version`): an application that changed since
    (submitted again after changes were asked, its choices edited between, withdrawn and back,
    scored again) refuses the whole confirmation, naming its student, as a decision sent from
    a dossier that changed since it was opened is refused. A missing version is a change.

    Seats and applications are read again from the database (agreements locked), so a stale
    page cannot over-allocate: an application that entered the allocation since the page was
    shown, a destination that is not the application's choice, or more students than seats
    left on an agreement refuses the whole confirmation, as does any refused nomination (such
    as that of a student nominated through another call of the year since)."""
    _ensure_reviewer(actor)
    with transaction.atomic():
        placed = _placed_choices(call, decisions)
        newcomers = _newcomers(call, decisions)
        foreign = _foreign(placed)
        reasons: list[str] = []
        seats: dict[int, SeatCount] = {}
        if not (newcomers or foreign):
            reasons, seats = _over_allocation(call, placed)
        if newcomers or foreign or reasons:
            # A change since the page was shown is the likely cause (choices edited and
            # submitted again are new choices, foreign to the page's): named first, by student,
            # and not again as a foreign destination.
            changed, changes = _changed_since(call, decisions, seen)
            raise ServiceError(
                _("Nobody was nominated."),
                *changes,
                *newcomers,
                *_foreign_reason([pk for pk in foreign if pk not in changed]),
                *reasons,
            )
        # After the agreements, as a nomination locks them: all at once, in id order. The
        # nominations read these rows and the seats counted above instead of locking and
        # counting again one by one (13,653 queries for 1,002 nominations at 10,000 students).
        locked = lock_students_year(
            {choice.application.student_id for choice in placed.values()}, call.academic_year
        )
        # Compared once the placed applications are locked, in a query of its own (a new
        # snapshot): a move committed while this waited for its locks is seen.
        _changed, changes = _changed_since(call, decisions, seen)
        if changes:
            raise ServiceError(_("Nobody was nominated."), *changes)
        years: dict[int, list[Application]] = {}
        for application in locked:
            years.setdefault(application.student_id, []).append(application)
        rows = {application.pk: application for application in locked}
        # Every nomination is checked before any is written; then they are written together
        # (7,271 queries, 7.6 s for those 1,002 nominations when written one by one).
        nominations = []
        for application_id in sorted(placed):
            choice = placed[application_id]
            try:
                nominations.append(_checked_nomination(choice, rows, years, seats))
            except ServiceError as refusal:
                colon = pgettext("between a label and what follows", ":")
                reasons.extend(
                    f"{choice.application.student}{colon} {reason}" for reason in refusal.reasons
                )
        if reasons:
            raise ServiceError(_("Nobody was nominated."), *reasons)
        return nominate_all_locked(actor=actor, nominations=nominations)


def _changed_since(
    call: Call, decisions: Mapping[int, int | None], seen: Mapping[int, str]
) -> tuple[set[int], list[str]]:
    """The applications of the decisions whose version is not the one the page showed
    (`seen`), and the reason that names their students: one query."""
    changed = _changed(
        with_last_transition(Application.objects.filter(call=call, pk__in=list(decisions)))
        .defer("snapshot", "motivation")
        .select_related("student"),
        seen,
    )
    return {application.pk for application in changed}, _changed_reason(changed)


def changes_since(applications: Iterable[Application], seen: Mapping[int, str]) -> list[str]:
    """The reason that names the students of `applications` (from `with_last_transition`, with
    their students) whose version is not the one a page showed (`seen`, by application id; a
    missing one is a change); none when nothing changed."""
    return _changed_reason(_changed(applications, seen))


def _changed(applications: Iterable[Application], seen: Mapping[int, str]) -> list[Application]:
    changed = (a for a in applications if seen.get(a.pk) != application_version(a))
    return sorted(changed, key=lambda application: application.pk)


def _changed_reason(changed: list[Application]) -> list[str]:
    if not changed:
        return []
    return [
        ngettext(
            "This application changed since the page was shown: %(students)s. "
            "Review the new proposal.",
            "These applications changed since the page was shown: %(students)s. "
            "Review the new proposal.",
            len(changed),
        )
        % {"students": ", ".join(str(application.student) for application in changed)}
    ]


def _checked_nomination(
    choice: Choice,
    rows: Mapping[int, Application],
    years: Mapping[int, list[Application]],
    seats: dict[int, SeatCount],
) -> tuple[Application, Choice, str]:
    """`application_nominate`'s checks on the rows `allocation_confirm` locked: the
    application as read then (`rows`), its student's applications of the year (`years`) and
    the seats counted (`seats`, one more taken after each nomination to the agreement).
    Returns the nomination to write: the locked application, the choice and the comment of
    its history."""
    seen = choice.application
    check_nomination_choice(seen, choice)
    application = check_as_seen(seen, rows[seen.pk])
    application.student = seen.student  # read with the choice
    agreement = choice.agreement_id
    check_nomination_locked(
        application=application,
        seats=seats[agreement] if agreement is not None else None,
        year=years[application.student_id],
        call=application.call,
    )
    if application.state not in IN_REVIEW_STATES:
        # The page ranked it in review; since, it left the allocation in a state the workflow
        # still nominates from (nominated, then refused by that host), which a nomination from
        # its dossier, sent from the page as it was, would refuse as stale too.
        raise StaleDossier(
            _("This dossier changed since you opened it: it is now %(state)s. Reload it.")
            % {"state": application.get_state_display().lower()}
        )
    # The history is the student's to read: its comment is written in their language, not in
    # the language of the officer who confirmed the allocation.
    with override(seen.student.language):
        comment = _("Seat allocation, choice %(rank)s: %(destination)s") % {
            "rank": choice.rank,
            "destination": choice.destination,
        }
    if agreement is not None:
        seats[agreement] = replace(
            seats[agreement], taken_earlier=seats[agreement].taken_earlier + 1
        )
    return application, choice, comment


def _placed_choices(call: Call, decisions: Mapping[int, int | None]) -> dict[int, Choice | None]:
    """The chosen Choice of every placed application (None when it is not a choice of this
    call), by application id."""
    choice_ids = [choice_id for choice_id in decisions.values() if choice_id is not None]
    choices = (
        Choice.objects.filter(pk__in=choice_ids, application__call=call)
        .select_related(
            "application__student", "application__call", "agreement__partner", "activity"
        )
        .defer("application__snapshot", "application__motivation")
        .in_bulk()
    )
    return {
        application_id: choices.get(choice_id)
        for application_id, choice_id in decisions.items()
        if choice_id is not None
    }


def _newcomers(call: Call, decisions: Mapping[int, int | None]) -> list[str]:
    newcomers = list(
        _pool_applications(call).exclude(pk__in=decisions).select_related("student").order_by("pk")
    )
    if not newcomers:
        return []
    return [
        ngettext(
            "Since the page was shown, this application entered the allocation: "
            "%(students)s. Review the new proposal.",
            "Since the page was shown, these applications entered the allocation: "
            "%(students)s. Review the new proposal.",
            len(newcomers),
        )
        % {"students": ", ".join(str(application.student) for application in newcomers)}
    ]


def _foreign(placed: Mapping[int, Choice | None]) -> list[int]:
    """The placed applications whose destination is not one of their choices, in id order."""
    return sorted(
        application_id
        for application_id, choice in placed.items()
        if choice is None or choice.application_id != application_id
    )


def _foreign_reason(foreign: list[int]) -> list[str]:
    if not foreign:
        return []
    return [
        ngettext(
            "This destination is not a choice of its application: %(ids)s.",
            "These destinations are not choices of their applications: %(ids)s.",
            len(foreign),
        )
        % {"ids": ", ".join(str(pk) for pk in foreign)}
    ]


def _over_allocation(
    call: Call, placed: Mapping[int, Choice]
) -> tuple[list[str], dict[int, SeatCount]]:
    """Why the placed students do not fit the seats left, and the seats, their agreements
    locked."""
    refs = [_ref(choice) for choice in placed.values()]
    agreement_ids = {ref.agreement_id for ref in refs if ref.agreement_id is not None}
    seats = seat_counts(call, agreement_ids, lock=True)
    available = {pk: count.available for pk, count in seats.items()}
    reasons = [
        over_allocation_reason(seats[pk], students)
        for pk, students in over_allocated(refs, available).items()
    ]
    return reasons, seats


# --- ranking scores ----------------------------------------------------------------------


def ranking_scores_import(*, actor: User, call: Call, text: str) -> int:
    """Set the ranking score of the call's applications from CSV lines `student_number,score`
    (a first line may name the columns, in any words). Every bad line is reported as
    `line N: field: problem`, and then nothing is imported. Returns how many were set."""
    _ensure_reviewer(actor)
    lines = _score_lines(text)
    exported = _exported_scores(lines)
    if exported is not None:
        lines = exported
    applications = _applications_by_student_number(call, {cells[0] for _n, cells in lines})
    if exported is None:
        lines = _without_header(lines, applications)
    if not lines:
        raise ServiceError(_("The file has no line of scores."))
    scores, problems = _parse_score_lines(lines, applications)
    if problems:
        raise ServiceError(*problems)
    ranking_scores_import_set(
        actor=actor, scores={applications[number]: score for number, score in scores.items()}
    )
    return len(scores)


def _score_lines(text: str) -> list[tuple[int, list[str]]]:
    """The non-blank CSV rows, stripped, each with its line number; without the header."""
    if "\x00" in text:  # read by the csv module as any character, refused by PostgreSQL
        line = text[: text.index("\x00")].count("\n") + 1
        raise ServiceError(_("line %(line)s: this is not CSV that can be read.") % {"line": line})
    # newline="": a line may end with \r\n, \n or \r alone (the csv module reads them all).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    try:
        lines = [
            (reader.line_num, [cell.strip() for cell in row])
            for row in reader
            if any(cell.strip() for cell in row)
        ]
    except csv.Error:  # a field past the csv module's limit of 128 KB
        raise ServiceError(
            _("line %(line)s: this is not CSV that can be read.") % {"line": reader.line_num}
        ) from None
    return lines


def _without_header(
    lines: list[tuple[int, list[str]]], applications: Mapping[str, Application]
) -> list[tuple[int, list[str]]]:
    """The lines without the first when it names the columns: `student_number,score`, or the
    jury's own words ("N° étudiant;Note"), a first line that is neither an applicant's number
    nor a score. Such a line was refused as a student without application and a score that is
    not a number, and the whole file with it; a first line with a score or an applicant's
    number is data, checked as any other."""
    if not lines:
        return lines
    cells = lines[0][1]
    ours = [cell.lower() for cell in cells] == list(SCORE_COLUMNS)
    # Words, not a mistyped line of data: a number no application has, with a score that is
    # not one ("99999999;abc"), is reported as the data it is, not skipped as a header.
    other_words = (
        len(cells) == len(SCORE_COLUMNS)
        and cells[0] not in applications
        and not cells[0].strip().isdigit()
        and not _is_number(cells[1])
    )
    return lines[1:] if ours or other_words else lines


def _exported_scores(lines: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]] | None:
    """The `student_number,score` lines of a file laid out as the applications' export (the
    queue's CSV, in any of the portal's languages) with its ranking score column filled: the
    first line names more columns than two, among them the student number and the score.
    Lines with no score are left out (students the DRI did not score). None for any other
    layout. The DRI exported the call's applications, scored them, and had to cut every other
    column before the import took the file."""
    if not lines or len(lines[0][1]) <= len(SCORE_COLUMNS):
        return None
    names = [" ".join(cell.lower().split()) for cell in lines[0][1]]
    number_names, score_names = _export_column_names()
    number = next((index for index, name in enumerate(names) if name in number_names), None)
    score = next((index for index, name in enumerate(names) if name in score_names), None)
    if number is None or score is None:
        return None
    width = max(number, score) + 1
    picked = []
    for line, cells in lines[1:]:
        cells = cells + [""] * (width - len(cells))
        if cells[score]:
            picked.append((line, [cells[number], cells[score]]))
    return picked


def _export_column_names() -> tuple[set[str], set[str]]:
    """The names of the student number's and the score's columns: ours, and the export's in
    each of the portal's languages."""
    numbers, scores = {SCORE_COLUMNS[0]}, {SCORE_COLUMNS[1]}
    for language, _name in settings.LANGUAGES:
        with override(language):
            numbers.add(_("Student number").lower())
            scores.add(_("Ranking score").lower())
    return numbers, scores


def _is_number(text: str) -> bool:
    try:
        return Decimal(text.replace(",", ".")).is_finite()
    except InvalidOperation:
        return False


def _separator(text: str) -> str:
    """French spreadsheets write "22400102;12,5": semicolons between fields when the decimal
    mark is a comma; a spreadsheet's "text (tab-separated)" and a copy of its cells put a tab
    between them. The first line with content tells which."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    return ";" if ";" in first else ","


def _applications_by_student_number(call: Call, numbers: set[str]) -> dict[str, Application]:
    return {
        application.student.student_profile.student_number: application
        for application in Application.objects.filter(
            call=call, student__student_profile__student_number__in=numbers
        ).select_related("student__student_profile")
    }


def _parse_score_lines(
    lines: list[tuple[int, list[str]]], applications: Mapping[str, Application]
) -> tuple[dict[str, Decimal], list[str]]:
    """The score per student number, and a `line N: field: problem` for each bad field."""
    scores: dict[str, Decimal] = {}
    first_line: dict[str, int] = {}
    problems = []
    for line, cells in lines:
        if len(cells) != len(SCORE_COLUMNS):
            found = _("expected 2 fields, found %(count)s") % {"count": len(cells)}
            problems.append(_line_problem(line, ",".join(SCORE_COLUMNS), found))
            continue
        number, score_text = cells
        number_problem = _student_number_problem(number, first_line, applications)
        first_line.setdefault(number, line)
        score, score_problem = _parse_score(score_text)
        if number_problem:
            problems.append(_line_problem(line, "student_number", number_problem))
        if score_problem:
            problems.append(_line_problem(line, "score", score_problem))
        if not (number_problem or score_problem):
            scores[number] = score
    return scores, problems


def _line_problem(line: int, field: str, problem: str) -> str:
    return _("line %(line)s: %(field)s: %(problem)s") % {
        "line": line,
        "field": field,
        "problem": problem,
    }


def _student_number_problem(
    number: str, first_line: Mapping[str, int], applications: Mapping[str, Application]
) -> str:
    if not number:
        return _("missing")
    if number in first_line:
        return _("already on line %(line)s") % {"line": first_line[number]}
    if number not in applications:
        return _("no application to this call from this student")
    return ""


def _parse_score(text: str) -> tuple[Decimal | None, str]:
    """The score, or the problem with it; its limits are those of the model's field."""
    field = Application._meta.get_field("ranking_score")
    if not text:
        return None, _("missing")
    try:
        score = Decimal(text.replace(",", "."))  # a decimal comma, from a ";"-separated file
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        return None, _("“%(value)s” is not a number") % {"value": text}
    if -score.as_tuple().exponent > field.decimal_places:
        return None, ngettext(
            "at most %(count)s decimal", "at most %(count)s decimals", field.decimal_places
        ) % {"count": field.decimal_places}
    limit = Decimal(10) ** (field.max_digits - field.decimal_places)
    if score.copy_abs() >= limit:  # abs() would overflow the context on "1e99999999"
        return None, _("must be less than %(limit)s") % {"limit": limit}
    return score, ""
