"""Seat allocation pages: the calls, a call's proposal with its reasons in words, the import
of ranking scores, the review of the staff's decisions and their confirmation."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms import BoundField
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from apps.applications.errors import ServiceError
from apps.applications.models import Application, ApplicationState, Choice
from apps.applications.templatetags.application_tags import score
from apps.programmes.models import Call
from mobility_portal.collation import sorted_by_name
from mobility_portal.dates import short_datetime
from mobility_portal.numbers import grouped
from mobility_portal.refusals import refuse_form, report_refusal

from ..allocation import ChoiceRef, Outcome, Step, over_allocated, seats_taken
from ..forms_allocation import (
    UNPLACED,
    DecisionsForm,
    ScoresImportForm,
    decision_field_name,
    destination_labels,
    posted_application_ids,
    posted_versions,
    seen_field_name,
)
from ..services import allocation as services
from ..services.allocation import Proposal

reviewer_only = capability_required(Capability.REVIEW_APPLICATIONS)
CALLS_PER_PAGE = 20
SELECTED = format_html(" {}", "selected")


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class StudentRow:
    position: int
    application: Application
    dossier_url: str
    proposed: Choice | None
    proposed_label: str
    reasons: list[str]
    field: BoundField
    options: list[Option]
    decision: Choice | None
    decision_label: str
    over_allocated: bool

    # What the page shows of the field, read once here: each is a property of the bound field
    # that the template would otherwise work out again at each mention, for every student.
    @cached_property
    def field_name(self) -> str:
        return self.field.html_name

    @cached_property
    def field_id(self) -> str:
        return self.field.id_for_label

    @cached_property
    def errors(self) -> list[str]:
        return list(self.field.errors)

    @property
    def seen_name(self) -> str:
        return seen_field_name(self.application.pk)

    @property
    def seen(self) -> str:
        """What the page shows of the application, for its confirmation to compare."""
        return services.application_version(self.application)

    @property
    def adjusted(self) -> bool:
        return self.decision != self.proposed

    @property
    def options_html(self) -> SafeString:
        # Built here rather than looped over in the template: the page of a large call
        # renders three times faster. format_html escapes as the template would.
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option.value, SELECTED if option.selected else "", option.label)
                for option in self.options
            ),
        )


@dataclass(frozen=True)
class SeatRow:
    label: str
    per_year: int
    taken_earlier: int
    available: int
    given: int
    in_force: bool = True

    @property
    def left(self) -> int:
        return self.available - self.given


@dataclass(frozen=True)
class Board:
    """The proposal as a page shows it, with the staff's decisions where the form holds
    valid ones."""

    rows: list[StudentRow]
    seats: list[SeatRow]
    over_allocation: list[str]  # a warning per over-allocated agreement
    valid: bool  # every decision is one of the student's choices, or unplaced

    @property
    def placed(self) -> list[StudentRow]:
        return [row for row in self.rows if row.decision]

    @property
    def unplaced(self) -> list[StudentRow]:
        return [row for row in self.rows if not row.decision]


# --- words -------------------------------------------------------------------------------


def step_words(step: Step, proposal: Proposal, labels: Mapping[int, str]) -> str:
    choice = proposal.choices[step.choice.choice_id]
    values = {"rank": choice.rank, "destination": labels[choice.pk]}
    if step.choice.agreement_id is None:
        return _("choice %(rank)s (%(destination)s) allocated: no seat limit") % values
    seats = proposal.seats[step.choice.agreement_id]
    if step.allocated:
        return _("choice %(rank)s (%(destination)s) allocated: seat %(seat)s of %(seats)s") % {
            **values,
            "seat": grouped(step.taken_before + 1),
            "seats": grouped(seats.available),
        }
    if step.taken_before:
        return ngettext(
            "choice %(rank)s (%(destination)s) full after %(count)s better-ranked student",
            "choice %(rank)s (%(destination)s) full after %(count)s better-ranked students",
            step.taken_before,
        ) % {**values, "count": grouped(step.taken_before)}
    if not seats.in_force:
        return _("choice %(rank)s (%(destination)s): the agreement is not in force this year") % (
            values
        )
    if seats.per_year == 0:
        return _("choice %(rank)s (%(destination)s): no seat this year") % values
    return ngettext(
        "choice %(rank)s (%(destination)s): its seat is taken by an earlier nomination",
        "choice %(rank)s (%(destination)s): all %(seats)s seats taken by earlier nominations",
        seats.per_year,
    ) % {**values, "seats": grouped(seats.per_year)}


def outcome_words(outcome: Outcome, proposal: Proposal, labels: Mapping[int, str]) -> list[str]:
    words = [step_words(step, proposal, labels) for step in outcome.steps]
    if not outcome.steps:
        words.append(_("no choice: unplaced"))
    elif not outcome.placed:
        words.append(_("no seat left in any choice: unplaced"))
    return words


def over_allocation_words(proposal: Proposal, over: Mapping[int, int]) -> list[str]:
    return [
        services.over_allocation_reason(proposal.seats[pk], students)
        for pk, students in over.items()
    ]


# --- the board ---------------------------------------------------------------------------


def refs(choices: Iterable[Choice | None]) -> list[ChoiceRef | None]:
    return [ChoiceRef(choice.pk, choice.agreement_id) if choice else None for choice in choices]


def decisions_form(
    proposal: Proposal, labels: Mapping[int, str], posted: Mapping[str, str] | None = None
) -> DecisionsForm:
    """The decisions form of the proposal's applications, bound to the proposal; `posted`
    decisions replace proposed ones (an application the post does not name keeps its
    proposal)."""
    posted = posted or {}
    data = {}
    for outcome in proposal.allocation.outcomes:
        name = decision_field_name(outcome.applicant_id)
        data[name] = posted.get(name, str(outcome.choice.choice_id) if outcome.choice else UNPLACED)
    return DecisionsForm(data, applications=proposal.applications.values(), labels=labels)


def allocation_board(proposal: Proposal, posted: Mapping[str, str] | None = None) -> Board:
    agreements = {pk: seats.agreement for pk, seats in proposal.seats.items()}
    labels = destination_labels(proposal.choices.values(), agreements)
    form = decisions_form(proposal, labels, posted)
    decisions = form.decisions() if form.is_valid() else {}
    proposed = {
        outcome.applicant_id: proposal.choices[outcome.choice.choice_id] if outcome.choice else None
        for outcome in proposal.allocation.outcomes
    }
    decided = {
        pk: proposal.choices.get(decisions[pk]) if pk in decisions else choice
        for pk, choice in proposed.items()
    }
    over = over_allocated(refs(decided.values()), proposal.allocation.seats)
    dossier_url = url_of_each("reviews:dossier")
    rows = []
    for outcome in proposal.allocation.outcomes:
        field = form[decision_field_name(outcome.applicant_id)]
        chosen = field.data  # read from the posted data at each access: once per student
        decision = decided[outcome.applicant_id]
        rows.append(
            StudentRow(
                position=outcome.position,
                application=proposal.applications[outcome.applicant_id],
                dossier_url=dossier_url(outcome.applicant_id),
                proposed=proposed[outcome.applicant_id],
                proposed_label=_label(proposed[outcome.applicant_id], labels),
                reasons=outcome_words(outcome, proposal, labels),
                field=field,
                options=[
                    Option(value, label, value == chosen) for value, label in field.field.choices
                ],
                decision=decision,
                decision_label=_label(decision, labels),
                over_allocated=decision is not None and decision.agreement_id in over,
            )
        )
    return Board(
        rows=rows,
        seats=seat_rows(proposal, seats_taken(refs(decided.values()))),
        over_allocation=over_allocation_words(proposal, over),
        valid=form.is_valid(),
    )


def url_of_each(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for the many pks of a page, the pattern reversed once (the
    dossiers' links were a fifth of what the page of a large call took to render)."""
    marker = 918273645
    head, tail = reverse(name, args=[marker]).rsplit(str(marker), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"


def _label(choice: Choice | None, labels: Mapping[int, str]) -> str:
    return labels[choice.pk] if choice else ""


def seat_rows(proposal: Proposal, given: Mapping[int, int]) -> list[SeatRow]:
    rows = [
        SeatRow(
            label=str(count.agreement),
            per_year=count.per_year,
            taken_earlier=count.taken_earlier,
            available=count.available,
            given=given.get(pk, 0),
            in_force=count.in_force,
        )
        for pk, count in proposal.seats.items()
    ]
    return sorted_by_name(rows, name=lambda row: row.label)


# A row of the proposal's table, as allocation_detail.html showed it when it looped over the
# rows itself: one format per student instead of some thirty template nodes (three quarters of
# the time the page of a call of 1,278 applicants took to render).
TABLE_ROW = """<tr{row_class}>
<td>{position}</td>
<th scope="row">
<a href="{dossier_url}">{student}</a>
<div class="small text-body-secondary">{student_number}</div>
</th>
<td class="text-end">{score}</td>
<td>{submitted_at}</td>
<td class="allocation-proposal">
<strong>{proposal}</strong>
<div class="small">{reasons}</div>
</td>
<td>
<label class="visually-hidden" for="{field_id}">{field_label}</label>
<select class="form-select form-select-sm allocation-decision"
 name="{field_name}" id="{field_id}"{invalid}>
{options}
</select>
<input type="hidden" name="{seen_name}" value="{seen}">
{errors}
{note}
</td>
</tr>
"""


def table_rows_html(rows: Iterable[StudentRow]) -> SafeString:
    """The proposal table's rows (`TABLE_ROW`), in the active language: what the template's
    tags and filters wrote (numbers and dates localised, text escaped by format_html)."""
    words = {
        "no_score": format_html('<span class="text-body-secondary">{}</span>', _("no score")),
        "unplaced": _("unplaced"),
        "separator": pgettext("between two items of a list", "; "),
        "over_note": format_html(
            '<div class="small text-danger">{}</div>',
            _("more students than seats on this agreement"),
        ),
        "adjusted_note": format_html('<div class="small">{}</div>', _("changed from the proposal")),
        "danger": format_html(' class="{}"', "table-danger"),
    }
    return format_html_join("", "{}", ((_table_row(row, **words),) for row in rows))


def _table_row(
    row: StudentRow,
    no_score: SafeString,
    unplaced: str,
    separator: str,
    over_note: SafeString,
    adjusted_note: SafeString,
    danger: SafeString,
) -> SafeString:
    """One row of `TABLE_ROW`: format_html escapes what the row holds, as the template's
    autoescape did; the notes and options made here are safe strings already."""
    application = row.application
    student = application.student
    # A student whose profile was removed has no number: the template read it as nothing.
    profile = getattr(student, "student_profile", None)
    errors = row.errors
    return format_html(
        TABLE_ROW,
        row_class=danger if row.over_allocated else "",
        position=localize(row.position),
        dossier_url=row.dossier_url,
        student=str(student),
        student_number=profile.student_number if profile is not None else "",
        score=no_score
        if application.ranking_score is None
        else localize(score(application.ranking_score)),
        submitted_at=short_datetime(application.submitted_at),
        proposal=row.proposed_label if row.proposed else unplaced,
        reasons=separator.join(row.reasons),
        field_id=row.field_id,
        field_label=str(row.field.label),
        field_name=row.field_name,
        invalid=format_html(' aria-invalid="true" aria-describedby="{}-error"', row.field_id)
        if errors
        else "",
        options=row.options_html,
        seen_name=row.seen_name,
        seen=row.seen,
        errors=format_html(
            '<div class="invalid-feedback d-block" id="{}-error">{}</div>',
            row.field_id,
            " ".join(errors),
        )
        if errors
        else "",
        note=over_note if row.over_allocated else adjusted_note if row.adjusted else "",
    )


def render_allocation_page(
    request,
    proposal: Proposal,
    shown: Board,
    *,
    scores_form: ScoresImportForm | None = None,
    status: int = 200,
):
    proposed_unplaced = [row for row in shown.rows if row.proposed is None]
    return render(
        request,
        "reviews/allocation_detail.html",
        {
            "call": proposal.call,
            # Students may still submit: the proposal leaves them out.
            "call_still_open": proposal.call.is_open_on(localdate()),
            "board": shown,
            "table_rows": table_rows_html(shown.rows),
            "proposed_unplaced": proposed_unplaced,
            "proposed_placed_count": len(shown.rows) - len(proposed_unplaced),
            "left_out": services.left_out_holding_a_seat(proposal.call),
            "scores_form": scores_form or ScoresImportForm(),
        },
        status=status,
    )


# --- views -------------------------------------------------------------------------------


@reviewer_only
def allocation_index(request):
    calls = Call.objects.annotate(pool=services.pool_size()).order_by(
        "-academic_year", "-closes_on", "pk"
    )
    page = Paginator(calls, CALLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reviews/allocation_index.html", {"page": page})


@reviewer_only
def allocation_detail(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    proposal = services.allocation_proposal(call)
    return render_allocation_page(request, proposal, allocation_board(proposal))


@reviewer_only
@require_POST
def allocation_scores_import(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    form = ScoresImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = services.ranking_scores_import(
                actor=request.user, call=call, text=form.cleaned_data["file"]
            )
        except ServiceError as refusal:
            refuse_form(form, refusal, "file")
        else:
            messages.success(
                request,
                ngettext(
                    "Ranking score imported for %(count)s student.",
                    "Ranking scores imported for %(count)s students.",
                    count,
                )
                % {"count": grouped(count)},
            )
            return redirect("reviews:allocation_detail", call.pk)
    proposal = services.allocation_proposal(call)
    return render_allocation_page(
        request, proposal, allocation_board(proposal), scores_form=form, status=400
    )


@reviewer_only
@require_POST
def allocation_review(request, call_pk: int):
    """The staff's decisions, checked: back to the allocation page when an application changed
    since the page was shown, when they are not valid or over-allocate an agreement (or when
    staff want to change them), else the page that confirms them."""
    call = get_object_or_404(Call, pk=call_pk)
    proposal = services.allocation_proposal(call)
    checked = allocation_board(proposal, request.POST)
    # The decisions were taken on the page as it was: an application changed since (submitted
    # again, withdrawn and back, scored again) sends the staff back to the page as it is now,
    # as a dossier's decision on a dossier changed since it was opened does.
    posted = (proposal.applications.get(pk) for pk in posted_application_ids(request.POST))
    changes = services.changes_since(
        [application for application in posted if application is not None],
        posted_versions(request.POST),
    )
    if changes:
        for reason in changes:
            messages.warning(request, reason)
        return render_allocation_page(request, proposal, checked, status=409)
    if not checked.valid or checked.over_allocation:
        return render_allocation_page(request, proposal, checked, status=400)
    if "change" in request.POST:
        return render_allocation_page(request, proposal, checked)
    return render(request, "reviews/allocation_review.html", {"call": call, "board": checked})


def _already_confirmed(applications: list[Application], decisions: dict[int, int | None]) -> bool:
    """Whether every student the decisions place is already nominated to that very choice."""
    placed = {pk: choice for pk, choice in decisions.items() if choice is not None}
    by_pk = {application.pk: application for application in applications}
    return bool(placed) and all(
        by_pk[pk].state == ApplicationState.NOMINATED and by_pk[pk].nominated_choice_id == choice
        for pk, choice in placed.items()
    )


@reviewer_only
@require_POST
def allocation_confirm(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    choices = Choice.objects.select_related("agreement__partner", "activity")
    applications = list(
        services.with_last_transition(
            Application.objects.filter(call=call, pk__in=posted_application_ids(request.POST))
        )
        .defer("snapshot", "motivation")  # as in the allocation's pool: not read here
        .select_related("student")
        .prefetch_related(Prefetch("choices", queryset=choices))
    )
    posted_choices = [
        choice for application in applications for choice in application.choices.all()
    ]
    agreements = {
        choice.agreement_id: choice.agreement for choice in posted_choices if choice.agreement_id
    }
    labels = destination_labels(posted_choices, agreements)
    form = DecisionsForm(request.POST, applications=applications, labels=labels)
    if form.is_valid() and _already_confirmed(applications, form.decisions()):
        # The same confirmation sent again (a double click, the Back button): it was done.
        messages.info(
            request, _("This allocation is already confirmed: its students are nominated.")
        )
        return redirect("reviews:allocation_detail", call.pk)
    if form.is_valid():
        try:
            nominated = services.allocation_confirm(
                actor=request.user,
                call=call,
                decisions=form.decisions(),
                seen=posted_versions(request.POST),
            )
        except ServiceError as refusal:
            # Refused because the same confirmation, sent twice at once (a double click), was
            # done by the other request while this one waited for its locks: it is done.
            fresh = Application.objects.filter(pk__in=[a.pk for a in applications])
            if _already_confirmed(list(fresh.only("state", "nominated_choice")), form.decisions()):
                messages.info(
                    request, _("This allocation is already confirmed: its students are nominated.")
                )
                return redirect("reviews:allocation_detail", call.pk)
            report_refusal(request, refusal)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s student nominated.", "%(count)s students nominated.", len(nominated)
                )
                % {"count": grouped(len(nominated))},
            )
            return redirect("reviews:allocation_detail", call.pk)
    else:
        # Choices edited since the page was shown are new choices: the page's are no longer
        # among them. Said as the change it is, by student.
        changes = services.changes_since(applications, posted_versions(request.POST))
        if changes:
            for reason in (_("Nobody was nominated."), *changes):
                messages.error(request, reason)
        else:
            messages.error(
                request, _("The allocation sent is not readable: nothing was nominated.")
            )
    proposal = services.allocation_proposal(call)
    return render_allocation_page(
        request, proposal, allocation_board(proposal, request.POST), status=400
    )
