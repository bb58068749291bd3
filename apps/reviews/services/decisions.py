"""The DRI's decisions on an application. Each locks the row, checks the workflow, writes the
audit row (applications.workflow.move) and raises ServiceError with a clear reason.

A nomination also takes a seat: it is refused when its agreement has no seat left for the
academic year, or when the student already holds a nomination that year through another
application, counted as the seat allocation counts (`services.seats`)."""

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError
from apps.applications.models import (
    Application,
    ApplicationState,
    Choice,
    DocumentKind,
    MobilityPlan,
)
from apps.applications.regulation import FOLLOWING_STATES
from apps.applications.selectors import stay_still_wanted
from apps.applications.services import (
    activities_follow_nominations,
    activity_follow_nomination,
    chosen_study_activities,
    course_plans_before_the_advisor,
    course_plans_left_out,
    document_store,
    kind_problems,
    lock_plan,
    plan_recheck,
)
from apps.applications.workflow import (
    check_as_seen,
    check_move,
    lock_as_seen,
    move,
    move_all,
    move_back_from_withdrawal,
    state_before_withdrawal,
)
from apps.programmes.models import Call, academic_year_label, academic_year_of

from ..models import InternalComment
from .returns import announce_when_recognition_is_due
from .seats import (
    SEAT_HOLDING_STATES,
    SeatCount,
    held_elsewhere_reason,
    lock_students_year,
    no_seat_reason,
    seat_counts,
)
from .undo_facts import nomination_restores, stay_host

S = ApplicationState


def _ensure_reviewer(actor: User) -> None:
    if not user_can(actor, Capability.REVIEW_APPLICATIONS):
        raise ServiceError(_("Only the international relations office decides on applications."))


def _reviewer_lock(actor: User, application: Application) -> Application:
    _ensure_reviewer(actor)
    return lock_as_seen(application)


def _nomination_refusals(
    application: Application, seats: SeatCount | None, year: list[Application], call: Call
) -> list[str]:
    """Why the student cannot take the seat: `seats` of the chosen agreement (None outside
    partnerships: no seat limit) and the student's applications of the `year`, both locked."""
    reasons = [
        held_elsewhere_reason(other)
        for other in year
        if other.pk != application.pk and other.state in SEAT_HOLDING_STATES
    ]
    if seats is not None and not seats.available:
        reasons.append(no_seat_reason(seats, call.academic_year))
    return reasons


# --- decisions ---------------------------------------------------------------------------


@transaction.atomic
def application_take_for_review(*, actor: User, application: Application) -> Application:
    application = _reviewer_lock(actor, application)
    move(application, actor=actor, to_state=S.UNDER_REVIEW)
    return application


@transaction.atomic
def application_request_changes(
    *, actor: User, application: Application, message: str
) -> Application:
    if not message.strip():
        raise ServiceError(_("Tell the student what to change."))
    application = _reviewer_lock(actor, application)
    move(application, actor=actor, to_state=S.CHANGES_REQUESTED, comment=message.strip())
    return application


@transaction.atomic
def application_nominate(
    *, actor: User, application: Application, choice: Choice, comment: str = ""
) -> Application:
    """Nominate the student to `choice`, one of the application's choices, if its agreement
    has a seat left for the call's academic year and the student holds no other nomination
    that year; after a host's refusal, to another choice than the refused one. Locks the
    agreement, then the student's applications of the year, in the order the seat
    allocation's confirmation takes them."""
    _ensure_reviewer(actor)
    check_nomination_choice(application, choice)
    call = application.call
    seats = None
    if choice.agreement_id is not None:
        seats = seat_counts(call, [choice.agreement_id], lock=True)[choice.agreement_id]
    year = lock_students_year([application.student_id], call.academic_year)
    application = lock_as_seen(application)
    return nominate_locked(
        actor=actor,
        application=application,
        choice=choice,
        seats=seats,
        year=year,
        call=call,
        comment=comment,
    )


def check_nomination_choice(application: Application, choice: Choice) -> None:
    if choice.application_id != application.pk:
        raise ServiceError(_("This destination is not one of the application's choices."))
    if choice.host_refused_at is not None:
        raise ServiceError(
            _("This host refused the student: nominate them to another of their choices.")
        )


def nominate_locked(
    *,
    actor: User,
    application: Application,
    choice: Choice,
    seats: SeatCount | None,
    year: list[Application],
    call: Call,
    comment: str = "",
) -> Application:
    """The nomination once its agreement (`seats`, counted since it was locked), the student's
    applications of the `year` and `application` itself are locked and read (by
    `application_nominate`)."""
    check_nomination_locked(application=application, seats=seats, year=year, call=call)
    nominate_all_locked(actor=actor, nominations=[(application, choice, comment)])
    return application


def check_nomination_locked(
    *, application: Application, seats: SeatCount | None, year: list[Application], call: Call
) -> None:
    """Refuse the nomination of `application` (locked, as `seats` and the `year`, see
    `nominate_locked`): the workflow does not allow it, or the student cannot take the seat."""
    check_move(application, S.NOMINATED)
    reasons = _nomination_refusals(application, seats, year, call)
    if reasons:
        raise ServiceError(*reasons)


def nominate_all_locked(
    *, actor: User, nominations: Sequence[tuple[Application, Choice, str]]
) -> list[Application]:
    """`nominate_locked` for every (application, choice, comment) of a seat allocation's
    confirmation, each of another student, each already checked by `check_nomination_locked`
    (with the seats the ones before it took): the stays follow their nominations together,
    then the applications move together (`move_all`). Each audit row keeps what undoing the
    nomination restores (`undo.nomination_restores`): the choice nominated before and the
    stay's host before and after."""
    befores = [
        (application.nominated_choice_id, stay_host(choice.activity))
        for application, choice, _comment in nominations
    ]
    # After a host's refusal their stays had left the advisor's queue: the one nominated to now
    # comes back.
    after_host_refusal = [
        application
        for application, _choice, _comment in nominations
        if application.state == S.HOST_REFUSED
    ]
    for application, choice, _comment in nominations:
        application.nominated_choice = choice
    # Before the moves, as `nominate_locked` does: whether a stay's course plan is still
    # before the advisor reads its application as it was before its nomination.
    activities_follow_nominations([choice for _application, choice, _comment in nominations])
    move_all(
        [
            (application, comment or str(choice.destination))
            for application, choice, comment in nominations
        ],
        actor=actor,
        to_state=S.NOMINATED,
        update_fields=("nominated_choice",),
        restores_on_undo=[
            nomination_restores(
                nominated_before=nominated_before, activity=choice.activity, host_before=host
            )
            for (nominated_before, host), (_application, choice, _comment) in zip(
                befores, nominations, strict=True
            )
        ],
    )
    applications = [application for application, _choice, _comment in nominations]
    # The stays of the other choices left the advisor's queue (unless another application
    # still wants them): the advisor's notices of their course plans ask nothing more.
    course_plans_left_out(applications)
    for application in after_host_refusal:
        _course_plans_back_to_the_advisor(application)
    return applications


@transaction.atomic
def application_refuse(*, actor: User, application: Application, reason: str) -> Application:
    if not reason.strip():
        raise ServiceError(_("Give the reason for the refusal."))
    application = _reviewer_lock(actor, application)
    move(application, actor=actor, to_state=S.REFUSED, comment=reason.strip())
    course_plans_left_out([application])
    return application


@transaction.atomic
def application_record_host_decision(
    *, actor: User, application: Application, accepted: bool, letter, comment: str = ""
) -> Application:
    """The host's answer, with its letter kept among the dossier's documents."""
    application = _reviewer_lock(actor, application)
    move(
        application,
        actor=actor,
        to_state=S.ACCEPTED if accepted else S.HOST_REFUSED,
        comment=comment,
    )
    if not accepted:
        # Marked on the choice: the office may nominate the student elsewhere, never there.
        Choice.objects.filter(pk=application.nominated_choice_id).update(
            host_refused_at=timezone.now()
        )
        course_plans_left_out([application])
    document_store(
        application=application, kind=DocumentKind.HOST_LETTER, upload=letter, actor=actor
    )
    return application


@transaction.atomic
def application_withdraw_for_student(
    *, actor: User, application: Application, reason: str
) -> Application:
    """A student who gives up by e-mail or at the desk: the office records it, saying how, and
    a seat they held goes back to the allocation. A draft stays the student's own business."""
    if not reason.strip():
        raise ServiceError(_("Say how the student gave up: they read it."))
    application = _reviewer_lock(actor, application)
    if application.state == S.DRAFT:
        raise ServiceError(_("A draft is the student's own: only they can withdraw it."))
    move(application, actor=actor, to_state=S.WITHDRAWN, comment=reason.strip())
    course_plans_left_out([application])
    return application


@transaction.atomic
def application_reinstate(*, actor: User, application: Application, reason: str) -> Application:
    """Undo a withdrawal (recorded by mistake, or the student changed their mind): the
    application goes back to the state it left, and the student is told why. A seat it held is
    taken again only while its agreement has one left that year and the student holds no other;
    a stay the student has since removed cannot come back. Locks as a nomination does."""
    if not reason.strip():
        raise ServiceError(_("Say why the withdrawal is undone: the student reads it."))
    _ensure_reviewer(actor)
    # The student's row first, as an erasure takes it: one carried out at the same moment is
    # waited for, and the account it closed is refused below (the two deadlocked, the erasure
    # holding the student and this the application). No key lock: rows naming the student
    # (a seat allocation's notifications) are still written meanwhile.
    User.objects.select_for_update(no_key=True).filter(pk=application.student_id).exists()
    back_to = state_before_withdrawal(application)
    call = application.call
    seats, year = None, []
    if back_to in SEAT_HOLDING_STATES:
        choice = application.nominated_choice
        if choice is None:
            raise _nominated_stay_removed()
        if choice.agreement_id is not None:
            seats = seat_counts(call, [choice.agreement_id], lock=True)[choice.agreement_id]
        year = lock_students_year([application.student_id], call.academic_year)
    application = lock_as_seen(application)
    # Held, after the application (the one order of row locks), so that the student cannot
    # remove a stay while the application that names it comes back.
    plan = lock_plan(student_id=application.student_id)
    if not application.choices.exists():
        raise ServiceError(
            _(
                "The student has removed the stays this application named from their plan: the "
                "withdrawal cannot be undone."
            )
        )
    if back_to in SEAT_HOLDING_STATES and application.nominated_choice_id is None:
        raise _nominated_stay_removed()  # while the application was waited for
    refusals = _reinstatement_refusals(application, back_to)
    if refusals:
        raise ServiceError(*refusals)
    if back_to in SEAT_HOLDING_STATES:
        reasons = _nomination_refusals(application, seats, year, call)
        if reasons:
            raise ServiceError(*reasons)
        # The student may have moved the stay elsewhere meanwhile: it follows the seat again.
        activity_follow_nomination(application.nominated_choice)
    move_back_from_withdrawal(application, actor=actor, comment=reason.strip())
    _plan_back_to_its_submitted_version(application, plan)
    _course_plans_back_to_the_advisor(application)
    return application


def _nominated_stay_removed() -> ServiceError:
    return ServiceError(
        _(
            "The student has removed the stay they were nominated to from their plan: the "
            "withdrawal cannot be undone."
        )
    )


def _plan_back_to_its_submitted_version(application: Application, plan: MobilityPlan) -> None:
    """The withdrawal let the plan follow the current version (regulation.py); under way
    again, the application holds it to the version it was submitted under, as before the
    withdrawal, unless another application under way holds it to its own."""
    submitted_under = ((application.snapshot or {}).get("plan") or {}).get("regulation")
    if not submitted_under or plan.regulation == submitted_under:
        return
    held = (
        Application.objects.filter(student_id=application.student_id)
        .exclude(pk=application.pk)
        .exclude(state__in=FOLLOWING_STATES)
    )
    if held.exists():
        return
    plan.regulation = submitted_under
    plan.save(update_fields=["regulation", "updated_at"])
    plan_recheck(plan)


def _course_plans_back_to_the_advisor(application: Application) -> None:
    """The course plans of the stays the application wants again are the advisor's again, as
    at a submission (one the student wrote while it was withdrawn reaches them now)."""
    course_plans_before_the_advisor(
        activity
        for activity in chosen_study_activities(application)
        if stay_still_wanted(activity)  # not when another choice is nominated, a host refused
    )


def _reinstatement_refusals(application: Application, back_to: str | None) -> list[str]:
    """Why a withdrawal recorded a while ago can no longer be undone: the call's academic year
    is over, the student's account is closed (they left, or were anonymised), or a stay the
    application names (the nominated one, when it held a seat) has since moved to another
    academic year or changed kind, which the student is free to do once withdrawn."""
    call = application.call
    if academic_year_of(timezone.localdate()) > call.academic_year:
        return [
            _(
                "The academic year of %(call)s (%(year)s) is over: the withdrawal can no longer "
                "be undone."
            )
            % {"call": call, "year": academic_year_label(call.academic_year)}
        ]
    if not application.student.is_active:
        return [_("The student's account is closed: the withdrawal can no longer be undone.")]
    choices = application.choices.select_related("activity", "agreement")
    if back_to in SEAT_HOLDING_STATES:
        choices = choices.filter(pk=application.nominated_choice_id)
    problems = []
    for choice in choices:
        activity = choice.activity
        if academic_year_of(activity.start) != call.academic_year:
            problems.append(
                _(
                    "Choice %(rank)s: the student has since moved this stay to %(year)s, and "
                    "the call is for %(call_year)s: the withdrawal cannot be undone."
                )
                % {
                    "rank": choice.rank,
                    "year": academic_year_label(academic_year_of(activity.start)),
                    "call_year": academic_year_label(call.academic_year),
                }
            )
        problems.extend(kind_problems(choice.rank, activity, choice.agreement))
    return problems


@transaction.atomic
def application_mark_departed(*, actor: User, application: Application) -> Application:
    application = _reviewer_lock(actor, application)
    move(application, actor=actor, to_state=S.IN_MOBILITY)
    return application


@transaction.atomic
def application_mark_returned(*, actor: User, application: Application) -> Application:
    application = _reviewer_lock(actor, application)
    move(application, actor=actor, to_state=S.RETURNED)
    announce_when_recognition_is_due(application)
    return application


@transaction.atomic
def application_set_ranking_score(
    *, actor: User, application: Application, score, imported: bool = False
) -> Application:
    """Set the score the seat allocation ranks by. A change is kept in the dossier's internal
    comments, with who and when: the score decides who gets a seat."""
    application = _reviewer_lock(actor, application)
    before = application.ranking_score
    if score == before:
        return application
    application.ranking_score = score
    application.save(update_fields=["ranking_score"])
    _score_comment(actor, application, before, imported=imported).save()
    return application


@transaction.atomic
def ranking_scores_import_set(*, actor: User, scores: Mapping[Application, object]) -> None:
    """`application_set_ranking_score` for every application of an import at once: locked
    together in id order, the scores written in one statement and their comments in another
    (five queries a line before: 6,393 queries, 2.3 s for the 1,278 lines of a large call)."""
    _ensure_reviewer(actor)
    seen = {application.pk: application for application in scores}
    changed, comments = [], []
    for locked in Application.objects.select_for_update().filter(pk__in=seen).order_by("pk"):
        application = check_as_seen(seen[locked.pk], locked)
        before, score = application.ranking_score, scores[seen[locked.pk]]
        if score == before:
            continue
        application.ranking_score = score
        changed.append(application)
        comments.append(_score_comment(actor, application, before, imported=True))
    Application.objects.bulk_update(changed, ["ranking_score"])
    InternalComment.objects.bulk_create(comments)


def _score_comment(actor: User, application: Application, before, *, imported: bool):
    """The internal comment that keeps a score's change (`application` carries the new one)."""
    values = {"before": _score_words(before), "after": _score_words(application.ranking_score)}
    text = (
        _("Ranking score imported: %(before)s → %(after)s.")
        if imported
        else _("Ranking score changed: %(before)s → %(after)s.")
    )
    return InternalComment(application=application, author=actor, text=text % values)


def _score_words(score) -> str:
    return _("none") if score is None else number_format(score)


@transaction.atomic
def internal_comment_add(*, actor: User, application: Application, text: str) -> InternalComment:
    """Add a comment; the same one sent again by its author (a double click, the page sent
    again) is the dossier's latest already, and is kept once."""
    if not user_can(actor, Capability.REVIEW_APPLICATIONS):
        raise ServiceError(_("Only the international relations office writes internal comments."))
    text = text.strip()
    if not text:
        raise ServiceError(_("The comment is empty."))
    # Two sends at once wait for each other here, so that the second sees the first.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    latest = application.internal_comments.order_by("-created_at", "-id").first()
    if latest is not None and latest.author_id == actor.pk and latest.text == text:
        return latest
    return InternalComment.objects.create(application=application, author=actor, text=text)
