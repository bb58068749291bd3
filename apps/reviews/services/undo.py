"""The office takes back a wrong click on a dossier: a nomination the host has not answered, a
recorded departure, a recorded return. Each goes back to the state the move left, through the
workflow's undo table (workflow.UNDOABLE_FROM, never reached by any other move), with a reason
the student reads, an audit row naming the move it undoes, and the student told as of a
decision. What the move did besides its state is reversed with it, or the undo is refused with
the reason: never half an undo.

A nomination undone gives its seat back (seats are counted from the states), its stay back to
the host it named before (with that host's course plan, as a nomination elsewhere brings it
back) and the course plans of the other choices back before the advisor. A return undone
withdraws the advisor's request to recognise the credits while it is not delivered; once the
student has sent anything the return asked for, or the advisor has been asked, it stays."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.errors import ServiceError
from apps.applications.models import (
    Activity,
    Application,
    ApplicationState,
    Choice,
    CourseLine,
    DocumentKind,
    Transition,
)
from apps.applications.services import (
    course_plans_follow_hosts,
    course_plans_left_out,
    lock_plan,
    normalise_activity,
    plan_recheck,
)
from apps.applications.workflow import (
    COURSE_PLANS_SENT_STATES,
    lock_as_seen,
    move_undoing,
    undoable_move,
)
from apps.notifications.events import CREDITS_TO_RECOGNISE, RETURN_RECORDED
from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.outbox import key_prefix

from .decisions import _course_plans_back_to_the_advisor, _ensure_reviewer
from .undo_facts import stay_host

S = ApplicationState


@transaction.atomic
def application_undo(*, actor: User, application: Application, reason: str) -> Application:
    """Undo the move that brought `application` (as the reviewer saw it, see
    workflow.as_seen) to its state: the one undo the dossier offers for that state."""
    undo = {
        S.NOMINATED: application_undo_nomination,
        S.IN_MOBILITY: application_undo_departure,
        S.RETURNED: application_undo_return,
    }.get(application.state)
    if undo is None:
        _ensure_reviewer(actor)
        raise _nothing_to_undo(application)
    return undo(actor=actor, application=application, reason=reason)


@transaction.atomic
def application_undo_nomination(
    *, actor: User, application: Application, reason: str
) -> Application:
    """Back to under review, submitted or refused by the host, whichever the nomination left,
    while the host has not answered: the nominated choice as before, the stay at the host it
    named before."""
    application, undone, reason = _locked_undo(actor, application, reason, S.NOMINATED)
    restores = undone.restores_on_undo
    if not restores:
        raise ServiceError(
            _(
                "This nomination was recorded before nominations could be undone: what it "
                "changed in the student's stay is not known, so it cannot be undone here."
            )
        )
    # After the application (the one order of row locks): every change of a stay and of its
    # course plan takes its plan's lock first.
    plan = lock_plan(student_id=application.student_id)
    activity = Activity.objects.filter(pk=restores["activity"], plan=plan).first()
    if activity is None or stay_host(activity) != restores["host_after"]:
        raise ServiceError(
            _(
                "The student's stay has changed since the nomination: the nomination cannot be "
                "undone. Record what is needed on the dossier instead."
            )
        )
    nominated_before = restores["nominated_choice"]
    if (
        nominated_before is not None
        and not Choice.objects.filter(pk=nominated_before, application=application).exists()
    ):
        raise ServiceError(
            _(
                "The destination the student was nominated to before is no longer among their "
                "choices: the nomination cannot be undone."
            )
        )
    application.nominated_choice_id = nominated_before
    move_undoing(application, actor=actor, undone=undone, comment=reason)
    # After the move: the host's course plan the stay comes back to goes before the advisor
    # again when the application, as it is now, wants the stay (stay_still_wanted).
    if restores["host_before"] != restores["host_after"]:
        _stay_back_to(activity, restores["host_before"])
        plan_recheck(plan)
    if application.state in COURSE_PLANS_SENT_STATES:
        _course_plans_back_to_the_advisor(application)
    else:  # refused by the host again: the stay it was nominated to is wanted no more
        course_plans_left_out([application])
    return application


def _stay_back_to(activity: Activity, host: dict[str, object]) -> None:
    activity.partner_id = host["partner_id"]
    activity.host_name = host["host_name"]
    activity.country = host["country"]
    normalise_activity(activity)
    activity.save(update_fields=["partner", "host_name", "country"])
    course_plans_follow_hosts([activity])


@transaction.atomic
def application_undo_departure(
    *, actor: User, application: Application, reason: str
) -> Application:
    """Back to accepted, while the student has sent nothing of their return (a transcript, the
    credits obtained), which only a departure allows."""
    application, undone, reason = _locked_undo(actor, application, reason, S.IN_MOBILITY)
    refusals = _return_records(application, since=None)
    if refusals:
        raise ServiceError(*refusals, _("The departure can no longer be undone."))
    move_undoing(application, actor=actor, undone=undone, comment=reason)
    return application


@transaction.atomic
def application_undo_return(*, actor: User, application: Application, reason: str) -> Application:
    """Back to in mobility, while nothing recorded since depends on the return: no transcript
    uploaded since, no credits obtained entered, the advisor not yet asked to recognise them.
    The notifications of the return still waiting to go (the student asked for the transcript,
    the advisor for the recognition) are withdrawn."""
    application, undone, reason = _locked_undo(actor, application, reason, S.RETURNED)
    refusals = _return_records(application, since=undone)
    recognition = _recognition_requests(application)
    if recognition.exclude(status=DeliveryStatus.PENDING).exists():
        refusals.append(
            _("The study advisor has already been asked to recognise the student's credits.")
        )
    if refusals:
        raise ServiceError(*refusals, _("The return can no longer be undone."))
    recognition.delete()
    Notification.objects.filter(
        event=RETURN_RECORDED.name,
        key__startswith=key_prefix(RETURN_RECORDED, f"transition:{undone.pk}"),
        status=DeliveryStatus.PENDING,
    ).delete()
    move_undoing(application, actor=actor, undone=undone, comment=reason)
    return application


def _locked_undo(
    actor: User, application: Application, reason: str, state: str
) -> tuple[Application, Transition, str]:
    """Check the reason and the actor, lock the application as the reviewer saw it (a page
    sent twice, or one older than the latest move, is refused there), and find the move to
    undo: the one that brought it to `state`."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Say why this is undone: the student reads it."))
    _ensure_reviewer(actor)
    if application.state != state:
        raise _nothing_to_undo(application)
    application = lock_as_seen(application)
    undone = undoable_move(application)
    if undone is None:
        raise _nothing_to_undo(application)
    return application, undone, reason


def _nothing_to_undo(application: Application) -> ServiceError:
    return ServiceError(
        _("This application is %(state)s: there is no nomination, departure or return to undo.")
        % {"state": application.get_state_display().lower()}
    )


def _return_records(application: Application, *, since: Transition | None) -> list[str]:
    """What the student has sent of their return (since the move `since`, None: ever): the
    host's transcript, credits obtained entered in the course plan of their stay."""
    transcripts = application.documents.filter(kind=DocumentKind.HOST_TRANSCRIPT)
    if since is not None:
        transcripts = transcripts.filter(uploaded_at__gte=since.at)
    problems = []
    if transcripts.exists():
        problems.append(_("The student has uploaded the host's transcript of records."))
    choice = application.nominated_choice
    if (
        choice is not None
        and CourseLine.objects.filter(
            course_plan__activity_id=choice.activity_id, ects_obtained__isnull=False
        ).exists()
    ):
        problems.append(_("The student has entered the credits they obtained."))
    return problems


def _recognition_requests(application: Application):
    """The advisor's notifications asking to recognise the credits of the student's stay
    (returns.announce_when_recognition_is_due), by their keys."""
    choice = application.nominated_choice
    keys = Q(pk__in=[])
    if choice is not None:
        for pk in choice.activity.course_plans.values_list("pk", flat=True):
            keys |= Q(
                key__startswith=key_prefix(CREDITS_TO_RECOGNISE, f"course_plan:{pk}:recognition")
            )
    return Notification.objects.filter(keys, event=CREDITS_TO_RECOGNISE.name)
