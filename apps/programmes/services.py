"""Changes to the calls for applications: those others must hear of, next year's calls, the
agreements renewed for a year.

The office edits a call in the Django admin, which saves it through `call_save`: a closing
date that moved writes its audit row (CallDeadlineChange) and tells the students it concerns,
in the same transaction; their notifications are handed to the workers once it commits
(notifications.outbox)."""

from datetime import date

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.events import announce_call_deadline_moved
from apps.notifications.reminders import AWAITING_SUBMISSION

from .models import Agreement, Call, CallDeadlineChange, with_academic_year_moved


def call_save(*, call: Call, actor: User, today: date | None = None) -> CallDeadlineChange | None:
    """Save `call` as edited (validated by its form). When its closing date moved, record who
    moved it from which date to which, and tell the students concerned (`students_to_tell`).
    Returns the audit row of the move, None when the closing date stayed (or the call is new):
    a save that does not move it writes and sends nothing."""
    today = today or timezone.localdate()
    with transaction.atomic():
        if call.pk is None:
            call.save()
            return None
        # The stored row, locked: two saves at once each see the date the other left.
        before = (
            Call.objects.select_for_update()
            .filter(pk=call.pk)
            .values_list("closes_on", flat=True)
            .get()
        )
        call.save()
        if call.closes_on == before:
            return None
        change = CallDeadlineChange.objects.create(
            call=call,
            actor=actor,
            from_date=before,
            to_date=call.closes_on,
            closed_by_the_move=call.closes_on < today,
        )
        students = students_to_tell(change, today=today)
        if students:
            announce_call_deadline_moved(change, students=students)
            change.students_told = len(students)
            change.save(update_fields=["students_told"])
        return change


def students_to_tell(change: CallDeadlineChange, *, today: date) -> list[User]:
    """The students whose draft to the call waits to be submitted (as the closing reminders
    read them), when the move changes anything for them: earlier, they have less time (or none
    left: moved to a day past, the call has closed); later, more time (or a call that had
    closed open again). A call closed before the move and still closed after it tells nobody.

    Not told: a submitted application is in, and the closing date binds a first submission
    only (nor is one sent back for changes bound by it, applications.services
    .submission_readiness); a withdrawn draft was given up by its student."""
    if change.from_date < today and change.to_date < today:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            applications__call_id=change.call_id,
            applications__state__in=AWAITING_SUBMISSION,
        )
        .distinct()
        .order_by("pk")
    )


def same_day_next_year(day: date) -> date:
    """The same day a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def call_copy_to_next_year(*, actor: User, call: Call) -> Call | None:
    """A call of the next academic year like `call`: the same name (the year it writes out, if
    any, moved on) and number of choices, its opening and closing a year later. None, and
    nothing created, when the next academic year has a call of that name already (a copy made
    twice). The creation is logged as the admin logs its own, in the call's history."""
    next_year = call.academic_year + 1
    with transaction.atomic():
        # The call copied is locked, so that two copies of it sent at once make one call: the
        # second sees the first's. Locking next year's calls alone locks nothing while that
        # year has none.
        Call.objects.select_for_update().get(pk=call.pk)
        name = with_academic_year_moved(call.name, call.academic_year, next_year)
        if Call.objects.filter(academic_year=next_year, name=name).exists():
            return None
        copy = Call(
            name=name,
            academic_year=next_year,
            opens_on=same_day_next_year(call.opens_on),
            closes_on=same_day_next_year(call.closes_on),
            max_choices=call.max_choices,
        )
        copy.full_clean()
        copy.save()
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[copy],
            action_flag=ADDITION,
            change_message=[{"added": {}}],
            single_object=True,
        )
    return copy


class AgreementChangedMeanwhile(Exception):
    """The agreement's last year is no longer the one the person extending it was shown:
    extended already (the confirmation sent twice), or changed by someone else."""

    def __init__(self, agreement: Agreement) -> None:
        super().__init__(agreement.pk)
        self.agreement = agreement  # as stored now


def agreement_extend_one_year(
    *, actor: User, agreement: Agreement, seen_last_year: int | None
) -> bool:
    """One more academic year in force for an agreement with a last year (renewed by the
    partner); an open-ended one is left as it is. Returns whether it changed. The change is
    logged as the admin logs its own, in the agreement's history.

    `seen_last_year`: the last year (None: open-ended) the person was shown when confirming;
    when it is no longer the stored one, nothing changes and AgreementChangedMeanwhile is
    raised: a confirmation sent twice extends by one year, not two."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.last_year != seen_last_year:
            raise AgreementChangedMeanwhile(agreement)
        if agreement.last_year is None:
            return False
        agreement.last_year += 1
        agreement.full_clean()
        agreement.save(update_fields=["last_year"])
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[agreement],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["last_year"]}}],
            single_object=True,
        )
    return True
