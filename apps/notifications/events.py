"""Every event that asks someone to act: who it reaches and what it says. The one table.

Services announce events inside their transaction; `outbox.queue` writes one row per
recipient there, and the rows are delivered after commit (see tasks.py)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from apps.accounts.models import User
from apps.accounts.roles import Capability, Role, user_can
from apps.applications.models import (
    REQUESTS_FOR_CHANGES,
    Activity,
    ApplicationState,
    CoursePlan,
    CoursePlanStatus,
    ErasureRequest,
    ErasureTransition,
    LineDecision,
    LineDecisionChange,
    Transition,
    ValidationBody,
)
from apps.programmes.models import Call, CallDeadlineChange

from .models import DeliveryStatus, Notification
from .outbox import Announcement, Recipient, key_prefix, queue, queue_all, queue_each, settle

# Application states the student hears about, each a decision taken on their dossier.
DECISION_STATES = frozenset(
    {
        ApplicationState.CHANGES_REQUESTED,
        ApplicationState.NOMINATED,
        ApplicationState.REFUSED,
        ApplicationState.ACCEPTED,
        ApplicationState.HOST_REFUSED,
        ApplicationState.COMPLETED,
    }
)


# What an event's subject is: a lazy translation formatted with `%` and the event's subject
# values, or a function of those values for a subject whose wording depends on them.
Subject = str | Promise | Callable[[dict], str]


@dataclass(frozen=True)
class Event:
    name: str
    # A lazy translation is formatted with `%` and the values, never str() first: a plural
    # subject (ngettext_lazy) takes its form from one of them.
    subject: Subject
    template: str  # emails/<template>.txt and .html
    # The row's address is overwritten once the message is sent: sent to a person whose data
    # the portal no longer keeps.
    forgets_address_once_sent: bool = False
    # The e-mail's Reply-To is the office's shared address (settings.DRI_MAILBOX) when there is
    # one: written to someone outside the portal, whose answer would reach the no-reply sender.
    replies_to_office: bool = False

    def subject_for(self, values: dict) -> str:
        """The subject line for `values` (subject_values), in the active language."""
        if callable(self.subject):
            return self.subject(values)
        return self.subject % values


APPLICATION_SUBMITTED = Event(
    "application_submitted",
    _("New application from %(student)s (%(call)s)"),
    "application_submitted",
)
# A dossier the office sent back for changes, submitted again: said so, with the student's
# word on what changed (the comment of its audit row).
APPLICATION_RESUBMITTED = Event(
    "application_resubmitted",
    _("Submitted again after changes: %(student)s (%(call)s)"),
    "application_resubmitted",
)
APPLICATION_DECISION = Event(
    "application_decision",
    _("Your application to %(call)s: %(state)s"),
    "application_decision",
)
SEAT_GIVEN_UP = Event(
    "seat_given_up",
    _("%(student)s withdrew after being nominated (%(call)s): a seat is free"),
    "seat_given_up",
)
RETURN_RECORDED = Event(
    "return_recorded",
    _("Back from mobility: your transcript and credits (%(call)s)"),
    "return_recorded",
)
COURSE_PLAN_TO_REVIEW = Event(
    "course_plan_to_review",
    _("Course plan to review: %(student)s, version %(version)s"),
    "course_plan_to_review",
)
COURSE_PLAN_DECIDED = Event(
    "course_plan_decided",
    _("Your course plan for %(host)s: %(status)s"),
    "course_plan_decided",
)
COURSE_PLAN_WITHOUT_ADVISOR = Event(
    "course_plan_without_advisor",
    _("No study advisor for %(student)s: their course plan waits"),
    "course_plan_without_advisor",
)
CREDITS_TO_RECOGNISE = Event(
    "credits_to_recognise",
    _("Credits to recognise: %(student)s, back from %(host)s"),
    "credits_to_recognise",
)
VALIDATION_REQUESTED = Event(
    "validation_requested",
    _("Stay abroad to validate: %(student)s, %(kind)s"),
    "validation_requested",
)


def activity_validated_subject(values: dict) -> str:
    """The body's verdict in the subject: "decision on your summer stay" made the student open
    the message to learn whether the stay was validated."""
    if values["approved"]:
        return _("The %(body)s validated your %(kind)s") % values
    return _("The %(body)s did not validate your %(kind)s") % values


ACTIVITY_VALIDATED = Event("activity_validated", activity_validated_subject, "activity_validated")
PLAN_NOW_FAILING = Event(
    "plan_now_failing",
    _("Regulations %(version)s: your mobility plan no longer meets them"),
    "plan_now_failing",
)


# A student's request that their personal data be erased, and its outcome.
ERASURE_REQUESTED = Event(
    "erasure_requested",
    _("%(student)s asks for their personal data to be erased"),
    "erasure_requested",
)
ERASURE_REFUSED = Event(
    "erasure_refused",
    _("Your request to erase your personal data is refused"),
    "erasure_refused",
)
# Sent to the address the student had before erasure: no in-portal entry (the account is
# closed), and the row forgets the address once the message is sent (delivery.py).
ERASURE_DONE = Event(
    "erasure_done",
    _("Your personal data is erased from the Mobility Portal"),
    "erasure_done",
    forgets_address_once_sent=True,
)


def closing_subject(values: dict) -> str:
    """The reminder's subject: "closes today" on the closing day, else the singular or plural
    form its `days` value asks for."""
    if values["days"] == 0:
        return _("The call %(call)s closes today") % values
    return (
        ngettext(
            "The call %(call)s closes in %(days)d day",
            "The call %(call)s closes in %(days)d days",
            values["days"],
        )
        % values
    )


CALL_CLOSING = Event("call_closing", closing_subject, "call_closing")


def deadline_moved_subject(values: dict) -> str:
    """The subject of a moved closing date, after its `moved` value: the call closes earlier,
    has closed already (moved to a day past), or closes later."""
    if values["moved"] == "closed":
        return _("The call %(call)s has closed early, on %(closes)s") % values
    if values["moved"] == "earlier":
        return _("The call %(call)s now closes earlier, on %(closes)s") % values
    return _("The call %(call)s now closes later, on %(closes)s") % values


# The office moved a call's closing date: its students with a draft hear of the new date.
CALL_DEADLINE_MOVED = Event("call_deadline_moved", deadline_moved_subject, "call_deadline_moved")


def decisions_changed_subject(values: dict) -> str:
    """The subject of the advisor's changed decisions: the course and its decision now when
    one course changed, else how many."""
    if values["count"] == 1:
        return (
            _("Your study advisor changed their decision on %(course)s: now %(decision)s") % values
        )
    return (
        ngettext(
            "Your study advisor changed their decision on %(count)d course of your course "
            "plan for %(host)s",
            "Your study advisor changed their decisions on %(count)d courses of your course "
            "plan for %(host)s",
            values["count"],
        )
        % values
    )


# The advisor changed or undid a decision the student could read on their course plan page
# while the version awaits the advisor: told once for the changes of a few minutes.
COURSE_DECISIONS_CHANGED = Event(
    "course_decisions_changed", decisions_changed_subject, "course_decisions_changed"
)

# The digest a study advisor gets while course plans wait for their decision (reminders.py).
COURSE_PLANS_WAITING = Event(
    "course_plans_waiting",
    ngettext_lazy(
        "Reminder: %(count)d course plan is waiting for your decision",
        "Reminder: %(count)d course plans are waiting for your decision",
        "count",
    ),
    "course_plans_waiting",
)

EVENTS = {
    event.name: event
    for event in (
        APPLICATION_SUBMITTED,
        APPLICATION_RESUBMITTED,
        APPLICATION_DECISION,
        SEAT_GIVEN_UP,
        RETURN_RECORDED,
        COURSE_PLAN_TO_REVIEW,
        COURSE_PLAN_DECIDED,
        COURSE_PLAN_WITHOUT_ADVISOR,
        CREDITS_TO_RECOGNISE,
        VALIDATION_REQUESTED,
        ACTIVITY_VALIDATED,
        PLAN_NOW_FAILING,
        CALL_CLOSING,
        CALL_DEADLINE_MOVED,
        COURSE_PLANS_WAITING,
        COURSE_DECISIONS_CHANGED,
        ERASURE_REQUESTED,
        ERASURE_REFUSED,
        ERASURE_DONE,
    )
}

# Events that only remind of something to do: not sent once it is done (outbox.settle).
REMINDERS = (CALL_CLOSING.name, COURSE_PLANS_WAITING.name)


# --- what a notification awaits: the tokens `outbox.settle` is given once it is done ------


def awaits_leaving(application_pk: int, state: str) -> str:
    """The application moves on from `state` (the office took a submission for review or
    decided on it, the student submitted again after a request for changes, the advisor
    recognised the credits of a return)."""
    return f"application:{application_pk}:{state}"


def awaits_submission(call_pk: int, student_pk: int) -> str:
    """The student's draft for the call is submitted (or withdrawn)."""
    return f"call:{call_pk}:student:{student_pk}:draft"


def awaits_return_recorded(application_pk: int) -> str:
    """The student uploaded the host's transcript and entered every credit obtained."""
    return f"application:{application_pk}:return"


def awaits_review(course_plan_pk: int) -> str:
    """The advisor decides the version (or it is replaced by the next one)."""
    return f"course_plan:{course_plan_pk}:review"


def listed_in_notifications(token: str) -> bool:
    """Whether a notification that lists several things may list `token` among them: the
    advisor's digest lists the reviews of the course plans waiting for them (`awaits_review`).
    `outbox.settle` looks for such lists only for these tokens."""
    return token.startswith("course_plan:") and token.endswith(":review")


def awaits_next_version(course_plan_pk: int) -> str:
    """The student sends the version after the one whose courses the advisor rejected."""
    return f"course_plan:{course_plan_pk}:changes"


def awaits_recognition(course_plan_pk: int) -> str:
    return f"course_plan:{course_plan_pk}:recognition"


def awaits_advisor(student_pk: int) -> str:
    """The student has a study advisor again."""
    return f"student:{student_pk}:advisor"


def awaits_validation(activity_pk: int, body: str) -> str:
    """`body` decided on the stay."""
    return f"activity:{activity_pk}:validation:{body}"


def awaits_erasure(request_pk: int) -> str:
    return f"erasure:{request_pk}"


def awaits_passing_plan(student_pk: int) -> str:
    """The student's mobility plan (one a student) meets the rules of its version again."""
    return f"student:{student_pk}:plan_passes"


# The states some notification asks to move an application on from (`awaits_leaving`): a
# move from any other settles nothing, and costs no query.
AWAITED_STATES = frozenset(
    {ApplicationState.SUBMITTED, ApplicationState.CHANGES_REQUESTED, ApplicationState.RETURNED}
)


def settled_by_transition(transition: Transition) -> list[str]:
    """What an audited state change of an application does of what notifications asked."""
    application = transition.application
    if transition.from_state == ApplicationState.RETURNED:
        # The return's notice asked the student for the transcript and the credits: a dossier
        # completed, or a return undone, asks them no more (whatever settled it or not before).
        return [
            awaits_leaving(application.pk, transition.from_state),
            awaits_return_recorded(application.pk),
        ]
    if transition.from_state in AWAITED_STATES:
        return [awaits_leaving(application.pk, transition.from_state)]
    if transition.from_state == ApplicationState.DRAFT:
        return [awaits_submission(application.call_id, application.student_id)]
    return []


# --- recipient rules ---------------------------------------------------------------------


def users_with_role(role: str, **filters) -> list[Recipient]:
    users = User.objects.filter(role=role, is_active=True, **filters).order_by("pk")
    return [Recipient.of(user) for user in users]


def dri_mailbox() -> list[Recipient]:
    """The DRI's shared address (a setting), when there is one."""
    return [Recipient.mailbox(settings.DRI_MAILBOX)] if settings.DRI_MAILBOX else []


def dri_for_submissions() -> list[Recipient]:
    """The DRI mailbox and every DRI user who opted in; with neither (a fresh installation, no
    DRI_MAILBOX), every DRI user: a submission is never announced to nobody."""
    chosen = dri_mailbox() + users_with_role(Role.DRI, notify_new_applications=True)
    return chosen or users_with_role(Role.DRI)


def officer_who_asked_for_changes(resubmission: Transition) -> list[Recipient]:
    """The officer (or administrator) whose request for changes a resubmission answers, opted
    in to every submission or not: they wait for this one. Nobody when they no longer decide on
    applications (they left the office)."""
    request = (
        Transition.objects.filter(
            REQUESTS_FOR_CHANGES,
            application_id=resubmission.application_id,
            pk__lt=resubmission.pk,
        )
        .select_related("actor")
        .order_by("-pk")
        .first()
    )
    if request is None or not user_can(request.actor, Capability.REVIEW_APPLICATIONS):
        return []
    return [Recipient.of(request.actor)]  # `queue` leaves out a closed account


def advisor_of(student: User) -> list[Recipient]:
    profile = getattr(student, "student_profile", None)
    if profile is None or profile.advisor is None or not profile.advisor.is_active:
        return []
    return [Recipient.of(profile.advisor)]


def administrators() -> list[Recipient]:
    """Those who manage accounts and student profiles: administrators and superusers."""
    users = User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
    return [Recipient.of(user) for user in users.order_by("pk")]


ROLE_OF_BODY = {ValidationBody.DFI: Role.DFI, ValidationBody.DRI: Role.DRI}


def validators(bodies: Iterable[str] = tuple(ValidationBody.values)) -> list[Recipient]:
    """The staff of each body in `bodies` (both by default)."""
    return [
        recipient
        for body in ValidationBody.values
        if body in bodies
        for recipient in users_with_role(ROLE_OF_BODY[body])
    ]


# --- announcements: what each service calls ----------------------------------------------


def announce_transition(transition: Transition) -> None:
    """Called for every audited state change (applications.workflow.move)."""
    settle(settled_by_transition(transition))
    for announcement in transition_announcements(transition):
        queue(
            announcement.event,
            key=announcement.key,
            recipients=announcement.recipients,
            context=announcement.context,
            link=announcement.link,
            awaits=announcement.awaits,
        )


def announce_transitions(transitions: Iterable[Transition]) -> None:
    """`announce_transition` for many audited changes at once (applications.workflow.move_all):
    the same notifications, written together. Each transition's application carries its
    student and call (and the transition its actor), which the subjects name."""
    transitions = list(transitions)
    settle(token for transition in transitions for token in settled_by_transition(transition))
    queue_all(
        replace(
            announcement,
            objects={"application": transition.application, "transition": transition},
        )
        for transition in transitions
        for announcement in transition_announcements(transition)
    )


def transition_announcements(transition: Transition) -> list[Announcement]:
    """What an audited state change announces, to whom."""
    # Imported here: the workflow imports this module when it loads.
    from apps.applications.workflow import SEAT_GIVEN_UP_BY_WITHDRAWAL

    application = transition.application
    context = {"application": application.pk, "transition": transition.pk}
    key = f"transition:{transition.pk}"
    announcements = []
    if (
        transition.to_state == ApplicationState.SUBMITTED
        and transition.from_state == ApplicationState.CHANGES_REQUESTED
    ):
        announcements.append(
            Announcement(
                APPLICATION_RESUBMITTED,
                key=key,
                recipients=dri_for_submissions() + officer_who_asked_for_changes(transition),
                context=context,
                link=reverse("reviews:dossier", args=[application.pk]),
                awaits=awaits_leaving(application.pk, ApplicationState.SUBMITTED),
            )
        )
    elif (
        transition.to_state == ApplicationState.SUBMITTED
        # An application the office itself took back from a withdrawal is not news to it,
        # nor one whose nomination it undid.
        and transition.from_state != ApplicationState.WITHDRAWN
        and transition.undoes_id is None
    ):
        announcements.append(
            Announcement(
                APPLICATION_SUBMITTED,
                key=key,
                recipients=dri_for_submissions(),
                context=context,
                link=reverse("reviews:dossier", args=[application.pk]),
                awaits=awaits_leaving(application.pk, ApplicationState.SUBMITTED),
            )
        )
    elif (
        transition.to_state == ApplicationState.WITHDRAWN
        and transition.from_state in SEAT_GIVEN_UP_BY_WITHDRAWAL
    ):
        # The seat goes back to the allocation: the whole office hears of it.
        announcements.append(
            Announcement(
                SEAT_GIVEN_UP,
                key=key,
                recipients=dri_mailbox() + users_with_role(Role.DRI),
                context=context,
                link=reverse("reviews:dossier", args=[application.pk]),
            )
        )
    elif transition.to_state == ApplicationState.RETURNED:
        # The student's turn: the transcript and the credits, before the advisor's recognition.
        announcements.append(
            Announcement(
                RETURN_RECORDED,
                key=key,
                recipients=[Recipient.of(application.student)],
                context=context,
                link=reverse("reviews:return_page", args=[application.pk]),
                awaits=awaits_return_recorded(application.pk),
            )
        )
    # A withdrawal the office recorded on the student's behalf is read by the student, and why.
    withdrawn_for_them = (
        transition.to_state == ApplicationState.WITHDRAWN
        and transition.actor_id != application.student_id
    )
    # So is a withdrawal the office undid (a student's own restart of a draft is not).
    reinstated = (
        transition.from_state == ApplicationState.WITHDRAWN
        and transition.to_state != ApplicationState.DRAFT
    )
    # So is a nomination, a departure or a return the office undid (workflow.move_undoing).
    undone = transition.undoes_id is not None
    if transition.to_state in DECISION_STATES or withdrawn_for_them or reinstated or undone:
        announcements.append(
            Announcement(
                APPLICATION_DECISION,
                key=key,
                recipients=[Recipient.of(application.student)],
                context=context,
                link=reverse("applications:application_detail", args=[application.pk]),
                # A request for changes asks the student to act; other decisions tell them.
                awaits=awaits_leaving(application.pk, ApplicationState.CHANGES_REQUESTED)
                if transition.to_state == ApplicationState.CHANGES_REQUESTED
                else "",
            )
        )
    return announcements


def announce_course_plan_sent(course_plan: CoursePlan, *, again: bool = False) -> None:
    """`again`: the version comes back before its advisor (an undone nomination, a withdrawal
    undone, another application naming the stay): the notice of it they already have, settled
    when it left their queue, asks again (no second e-mail: their queue lists it again)."""
    student = course_plan.activity.plan.student
    advisor = advisor_of(student)
    if advisor:
        queue(
            COURSE_PLAN_TO_REVIEW,
            key=f"course_plan:{course_plan.pk}:sent",
            recipients=advisor,
            context={"course_plan": course_plan.pk},
            link=reverse("reviews:advisor_course_plan", args=[course_plan.pk]),
            awaits=awaits_review(course_plan.pk),
            ask_again=again,
        )
        return
    # No advisor, or one whose account is closed: those who assign advisors (administrators)
    # are told, rather than the course plan waiting for nobody; it reaches the advisor's queue
    # once assigned. Without any administrator, the office hears of it.
    profile = getattr(student, "student_profile", None)
    queue(
        COURSE_PLAN_WITHOUT_ADVISOR,
        key=f"course_plan:{course_plan.pk}:no_advisor",
        recipients=administrators() or dri_mailbox() + users_with_role(Role.DRI),
        context={"course_plan": course_plan.pk},
        link=reverse("admin:accounts_studentprofile_change", args=[profile.pk])
        if profile is not None
        else reverse("admin:accounts_studentprofile_changelist"),
        awaits=awaits_advisor(student.pk),
    )


def announce_course_plan_decided(course_plan: CoursePlan) -> None:
    """The advisor decided the last course: the version is theirs no more, and the student
    reads the outcome (asked to act when courses are rejected). A notice of changed decisions
    whose e-mail still waits is not sent: this one tells how every course stands."""
    settle([awaits_review(course_plan.pk)])
    Notification.objects.filter(
        event=COURSE_DECISIONS_CHANGED.name,
        key__startswith=decisions_changed_prefix(course_plan),
        status=DeliveryStatus.PENDING,
        attempts=0,
    ).update(status=DeliveryStatus.SKIPPED)
    student = course_plan.activity.plan.student
    queue(
        COURSE_PLAN_DECIDED,
        key=f"course_plan:{course_plan.pk}:decided",
        recipients=[Recipient.of(student)],
        context={"course_plan": course_plan.pk},
        link=reverse("applications:course_plan_edit", args=[course_plan.activity_id]),
        awaits=awaits_next_version(course_plan.pk)
        if course_plan.status == CoursePlanStatus.CHANGES_REQUESTED
        else "",
    )


def announce_course_plan_replaced(course_plan: CoursePlan) -> None:
    """The student sent the version after `course_plan`: the advisor's review of it and the
    student's changes it asked for are done with."""
    announce_course_plans_replaced([course_plan])


def announce_course_plans_replaced(course_plans: Iterable[CoursePlan]) -> None:
    """`announce_course_plan_replaced` for many versions at once, in one UPDATE: the versions
    of the host a stay left when a nomination moved it (or the undo of one moved it back)."""
    settle(
        token
        for course_plan in course_plans
        for token in (awaits_review(course_plan.pk), awaits_next_version(course_plan.pk))
    )


def announce_course_plans_no_longer_wanted(course_plan_pks: Iterable[int]) -> None:
    """These versions left their advisor's queue undecided: no live application wants their
    stay any more (its application was nominated to another one). The advisor's notices of
    them are done with, in one UPDATE; they ask again if the stay comes back
    (`announce_course_plan_sent(again=True)`)."""
    settle(awaits_review(pk) for pk in course_plan_pks)


def decisions_changed_prefix(course_plan: CoursePlan) -> str:
    return key_prefix(COURSE_DECISIONS_CHANGED, f"course_plan:{course_plan.pk}")


def announce_course_decision_changed(course_plan: CoursePlan, change: LineDecisionChange) -> None:
    """The advisor changed or undid a decision on a course of `course_plan` (which the caller
    holds locked), one the student could read on their page. The changes of the next
    COURSE_DECISION_CHANGES_GROUPED_MINUTES go into one notice: its e-mail waits for them (the
    relay sends it when due), and each change within them joins it while it is unread and
    unsent; a change after that starts another. Its e-mail tells every change as it stands
    when sent."""
    now = timezone.now()
    # The student's notice of this version's changes still waiting (its key names the version).
    joinable = Notification.objects.filter(
        event=COURSE_DECISIONS_CHANGED.name,
        key__startswith=decisions_changed_prefix(course_plan),
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at__gt=now,
        read_at__isnull=True,
    )
    waiting = joinable.order_by("-pk").first()
    if change.from_decision == LineDecision.PENDING and not (
        waiting is not None
        and LineDecisionChange.objects.filter(
            pk__in=waiting.context["decision_changes"], line_id=change.line_id
        ).exists()
    ):
        # A first decision: the student reads every decision once the version is decided.
        # One taken again on a course whose undone decision the waiting notice tells joins
        # it: its subject says the decision as it now stands, as its e-mail will.
        return
    student = course_plan.activity.plan.student
    if waiting is not None:
        context = {
            **waiting.context,
            "decision_changes": [*waiting.context["decision_changes"], change.pk],
        }
        from .rendering import subject_in, subjects_in_every_language

        subjects = subjects_in_every_language(COURSE_DECISIONS_CHANGED, context)
        if waiting.language not in subjects:
            subjects[waiting.language] = subject_in(
                COURSE_DECISIONS_CHANGED, context, waiting.language
            )
        if joinable.filter(pk=waiting.pk).update(
            context=context,
            subject=subjects[waiting.language][:300],
            subjects={code: text[:300] for code, text in subjects.items()},
        ):
            return
    grouped = timedelta(minutes=settings.COURSE_DECISION_CHANGES_GROUPED_MINUTES)
    queue(
        COURSE_DECISIONS_CHANGED,
        key=f"course_plan:{course_plan.pk}:{change.pk}",
        recipients=[Recipient.of(student)],
        context={"course_plan": course_plan.pk, "decision_changes": [change.pk]},
        link=reverse("applications:course_plan_edit", args=[course_plan.activity_id]),
        send_at=now + grouped if grouped else None,
    )


def announce_credits_to_recognise(
    course_plan: CoursePlan, application_pk: int | None = None
) -> None:
    """The student is back, with the host's transcript and every credit obtained entered: the
    advisor's recognition is all that is left (once per version). The student's part, which
    their notice of the return asked for (`application_pk`'s), is done."""
    if application_pk is not None:
        settle([awaits_return_recorded(application_pk)])
    student = course_plan.activity.plan.student
    queue(
        CREDITS_TO_RECOGNISE,
        key=f"course_plan:{course_plan.pk}:recognition",
        recipients=advisor_of(student),
        context={"course_plan": course_plan.pk},
        link=reverse("reviews:return_recognition", args=[course_plan.pk]),
        awaits=awaits_recognition(course_plan.pk),
    )


def announce_credits_recognised(course_plan: CoursePlan) -> None:
    """The advisor recognised the credits of `course_plan` (the student hears of the dossier
    completed through its transition)."""
    settle([awaits_recognition(course_plan.pk)])


def announce_advisor_assigned(student: User) -> None:
    """The student has an active study advisor: those told their course plan waited for one
    are done with it."""
    settle([awaits_advisor(student.pk)])


def announce_validation_requested(
    activity: Activity, bodies: Iterable[str] = tuple(ValidationBody.values)
) -> None:
    """To the bodies whose decision the request awaits (one that already validated the stay
    has nothing to do); each body's staff until that body decides."""
    stamp = int(activity.validation_requested_at.timestamp())
    key = f"validation:{activity.pk}:{stamp}"
    queue_each(
        VALIDATION_REQUESTED,
        keyed=[
            (key, recipient, awaits_validation(activity.pk, body))
            for body in ValidationBody.values
            if body in bodies
            for recipient in validators([body])
        ],
        context={"activity": activity.pk},
        link=reverse("reviews:validation_detail", args=[activity.pk]),
    )


def announce_activity_validated(
    validation_pk: int, activity: Activity, body: str | None = None
) -> None:
    """`body`'s decision on the stay: its staff's request is done with."""
    if body is not None:
        settle([awaits_validation(activity.pk, body)])
    queue(
        ACTIVITY_VALIDATED,
        key=f"activity_validation:{validation_pk}",
        recipients=[Recipient.of(activity.plan.student)],
        context={"activity": activity.pk, "validation": validation_pk},
        # To the stay itself on the plan page, where the decision and its comment show.
        link=reverse("applications:plan") + f"#activity-{activity.pk}",
    )


def announce_call_closing(
    call: Call, *, reminder: int, days_left: int, students: list[User]
) -> None:
    """`reminder` is which reminder this is (7 or 1 days before); `days_left` what the message
    says, fewer when a missed run is caught up. The key names the deadline: a call whose
    deadline moves gets the reminders of its new date, and a deadline never the same one twice."""
    deadline = f"call:{call.pk}:{call.closes_on.isoformat()}:{reminder}d"
    queue_each(
        CALL_CLOSING,
        keyed=[
            (
                f"{deadline}:{student.pk}",
                Recipient.of(student),
                awaits_submission(call.pk, student.pk),
            )
            for student in students
        ],
        context={"call": call.pk, "days": days_left},
        link=reverse("applications:application_list"),
    )


def announce_call_deadline_moved(change: CallDeadlineChange, *, students: list[User]) -> None:
    """To each of `students` (those whose draft waits to be submitted), in their language: one
    write for all of them, whatever their number. The key names the change (its audit row),
    so a student hears of each change once, however many times the call is saved after it."""
    if not students:
        return
    queue(
        CALL_DEADLINE_MOVED,
        key=f"call:{change.call_id}:deadline:{change.pk}",
        recipients=[Recipient.of(student) for student in students],
        context={"call_deadline_change": change.pk},
        link=reverse("applications:application_list"),
        objects={"call_deadline_change": change},
    )


def course_plans_waiting_announcement(
    advisor: User, waiting: list[tuple[CoursePlan, int]], *, reminded_on: date
) -> Announcement:
    """The digest of the course plans waiting for `advisor`, each with how many days it has
    waited. The key names the day: the runs of one day write it once; reminders.py keeps the
    advisor's reminders apart by its interval.

    It asks for the decision on each plan it lists (`awaits_all`, their `awaits_review`), and
    is settled with the last of them: once every plan it listed is decided, replaced by the
    student's next version, or left out of the advisor's queue by a nomination (the same
    actions that settle the advisor's notice of each plan, in their transaction, see
    `outbox.settle`). A plan done once stays done for the digest: one that comes back before
    the advisor (a nomination undone) asks again through its own notice, and the next digest
    lists it."""
    from .rendering import WaitingPlan

    return Announcement(
        COURSE_PLANS_WAITING,
        key=f"advisor:{advisor.pk}:{reminded_on.isoformat()}",
        recipients=[Recipient.of(advisor)],
        context={
            "waiting_plans": [
                {"course_plan": course_plan.pk, "days": days} for course_plan, days in waiting
            ]
        },
        link=reverse("reviews:advisor_queue"),
        objects={
            "waiting_plans": [WaitingPlan(course_plan, days) for course_plan, days in waiting]
        },
        awaits_all=tuple(awaits_review(course_plan.pk) for course_plan, _days in waiting),
    )


def announce_plans_now_failing(*, version: str, students: list[User]) -> None:
    """To each student whose plan, moved to the newly published `version`, met the rules and no
    longer does under it. One write for all of them (a re-check chunk's worth), whatever their
    number; the key names the version, so a student hears of each publication once, however
    many times their plan is checked under it. Each notice asks until the plan meets the rules
    again (`announce_plans_passing_again`)."""
    if not students:
        return
    queue_each(
        PLAN_NOW_FAILING,
        keyed=[
            (f"regulation:{version}", Recipient.of(student), awaits_passing_plan(student.pk))
            for student in students
        ],
        context={"regulation": version},
        link=reverse("applications:plan"),
    )


def announce_plans_passing_again(student_pks: Iterable[int]) -> None:
    """The plans of these students failed the rules at their last check and meet them now
    (the student's save, a re-check): their notices that the plan no longer met them are done
    with, in one UPDATE for them all."""
    settle(awaits_passing_plan(pk) for pk in student_pks)


def announce_erasure_requested(request: ErasureRequest) -> None:
    """To those who handle erasure requests: the administrators (and superusers)."""
    queue(
        ERASURE_REQUESTED,
        key=f"erasure:{request.pk}:asked",
        recipients=administrators(),
        context={"erasure_request": request.pk},
        link=reverse("reviews:erasure_request", args=[request.pk]),
        awaits=awaits_erasure(request.pk),
    )


def announce_erasure_cancelled(request: ErasureRequest) -> None:
    """The student took the request back: the administrators have nothing left to do."""
    settle([awaits_erasure(request.pk)])


def announce_erasure_refused(request: ErasureRequest, transition: ErasureTransition) -> None:
    """To the student, with the reason (the audit row's comment)."""
    settle([awaits_erasure(request.pk)])
    queue(
        ERASURE_REFUSED,
        key=f"erasure:{request.pk}:refused",
        recipients=[Recipient.of(request.student)],
        context={"erasure_request": request.pk, "erasure_transition": transition.pk},
        link=reverse("applications:privacy_export"),
    )


def announce_erasure_done(request: ErasureRequest, *, email: str, language: str) -> None:
    """By e-mail only, to `email`: the address the student had before erasure overwrote it,
    captured by the caller. No user on the row: the account is closed, and the row is not one
    of theirs that anonymisation forgets."""
    settle([awaits_erasure(request.pk)])
    queue(
        ERASURE_DONE,
        key=f"erasure:{request.pk}:done",
        recipients=[Recipient(user=None, email=email, language=language)],
        context={"erasure_request": request.pk},
        link="",
    )


# --- nominations to partners (reviews.services.nominations) ------------------------------

# The list of the students the school nominates to a partner for a call, to its incoming
# mobility office: an address, no account. Rendered from the audit row (NominationNotice),
# which holds the list as sent and what changed since the one before.
NOMINATIONS_TO_PARTNER = Event(
    "nominations_to_partner",
    _("Students nominated to your institution: %(call)s"),
    "nominations_to_partner",
    replies_to_office=True,
)
EVENTS[NOMINATIONS_TO_PARTNER.name] = NOMINATIONS_TO_PARTNER


def nominations_to_partner_key_prefix(notice_pk: int) -> str:
    """The start of the key of the e-mail of a list (the address follows): the row is found
    through the keys' index, where a filter on its context read every notification."""
    return key_prefix(NOMINATIONS_TO_PARTNER, f"nomination_notice:{notice_pk}")


def announce_nominations_to_partner(notice) -> None:
    """To the partner's address, in the notice's language; keyed by the notice, so each list
    is one message, never two."""
    queue(
        NOMINATIONS_TO_PARTNER,
        key=f"nomination_notice:{notice.pk}",
        recipients=[Recipient(user=None, email=notice.email, language=notice.language)],
        context={"call": notice.call_id, "nomination_notice": notice.pk},
        link="",
    )
