"""What a notification says: its subject and e-mail bodies in the recipient's language,
rendered at delivery time from the objects it names (so it always shows their current names)."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from apps.applications.models import (
    Activity,
    ActivityValidation,
    Application,
    ApplicationState,
    CoursePlan,
    ErasureRequest,
    ErasureTransition,
    LineDecision,
    LineDecisionChange,
    Transition,
)
from apps.applications.undoable import UNDOABLE_MOVES
from apps.programmes.models import Call, CallDeadlineChange
from apps.reviews.models import NominationNotice
from apps.rules.models import PublishedRegulation
from mobility_portal.dates import long_date

from .events import EVENTS, Event
from .models import Notification


@dataclass(frozen=True)
class WaitingPlan:
    """A course plan listed in an advisor's reminder, and for how many days it had waited."""

    course_plan: CoursePlan
    days: int


def waiting_plans(entries: list[dict]) -> list[WaitingPlan]:
    """The reminder's course plans, loaded in one query, in the reminder's order (oldest sent
    first); one deleted since is left out."""
    course_plans = CoursePlan.objects.select_related("activity__plan__student", "partner").in_bulk(
        [entry["course_plan"] for entry in entries]
    )
    return [
        WaitingPlan(course_plans[entry["course_plan"]], entry["days"])
        for entry in entries
        if entry["course_plan"] in course_plans
    ]


@dataclass(frozen=True)
class ChangedCourse:
    """A course whose decision the advisor changed: the decision the student could read
    before the first of the changes told together, and the line as it stands now."""

    line: object  # CourseLine
    before: str  # LineDecision value

    @property
    def before_display(self) -> str:
        return LineDecision(self.before).label

    @property
    def changed_back(self) -> bool:
        return self.before == self.line.decision


def changed_courses(change_pks: list[int]) -> list[ChangedCourse]:
    """The courses of a notice of changed decisions, in one query, each once, in the order
    of their first change."""
    firsts: dict[int, LineDecisionChange] = {}
    for change in (
        LineDecisionChange.objects.filter(pk__in=change_pks).select_related("line").order_by("pk")
    ):
        firsts.setdefault(change.line_id, change)
    return [ChangedCourse(change.line, change.from_decision) for change in firsts.values()]


LOADERS = {
    "application": lambda pk: Application.objects.select_related("student", "call").get(pk=pk),
    "transition": lambda pk: Transition.objects.select_related("actor").get(pk=pk),
    "course_plan": lambda pk: CoursePlan.objects.select_related(
        "activity__plan__student", "partner"
    ).get(pk=pk),
    "activity": lambda pk: Activity.objects.select_related("plan__student", "partner").get(pk=pk),
    "validation": lambda pk: ActivityValidation.objects.select_related("decided_by").get(pk=pk),
    "call": lambda pk: Call.objects.get(pk=pk),
    "call_deadline_change": lambda pk: CallDeadlineChange.objects.select_related("call").get(pk=pk),
    "regulation": lambda name: PublishedRegulation.objects.get(name=name),
    "erasure_request": lambda pk: ErasureRequest.objects.select_related("student").get(pk=pk),
    "erasure_transition": lambda pk: ErasureTransition.objects.get(pk=pk),
    "waiting_plans": waiting_plans,
    "decision_changes": changed_courses,
    "nomination_notice": lambda pk: NominationNotice.objects.select_related(
        "call", "partner", "previous"
    ).get(pk=pk),
}


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def objects_of(context: dict) -> dict:
    objects = {}
    for name, value in context.items():
        loader = LOADERS.get(name)
        objects[name] = loader(value) if loader else value
    return objects


def within_sentence(label) -> str:
    """A label as it reads inside a sentence: its first letter in lower case only, so that
    "Summer stay (between 2A and 3A)" keeps its "2A"."""
    text = str(label)
    return text[:1].lower() + text[1:]


def undone_step(transition) -> str | None:
    """What an undo took back, for its subject line: the state it returns to ("submitted")
    read as a new submission in the student's inbox."""
    if transition.undoes_id is None:
        return None
    move = UNDOABLE_MOVES.get(transition.from_state)
    return str(move.step_undone) if move is not None else None


def subject_values(objects: dict) -> dict[str, str | int]:
    """Everything a subject line may name, as text in the active language (a count stays a
    number, so that it chooses the subject's singular or plural form)."""
    values: dict[str, str | int] = {}
    if application := objects.get("application"):
        values.update(student=str(application.student), call=str(application.call))
    if transition := objects.get("transition"):
        values["state"] = undone_step(transition) or within_sentence(
            ApplicationState(transition.to_state).label
        )
    if course_plan := objects.get("course_plan"):
        student = course_plan.activity.plan.student
        values.update(
            student=str(student),
            version=str(course_plan.version),
            host=course_plan.host_display,
            status=within_sentence(course_plan.get_status_display()),
        )
    if activity := objects.get("activity"):
        values.update(
            student=str(activity.plan.student), kind=within_sentence(activity.get_kind_display())
        )
    if validation := objects.get("validation"):
        values.update(body=validation.body, approved=validation.approved)
    if regulation := objects.get("regulation"):
        values["version"] = regulation.name
    if erasure_request := objects.get("erasure_request"):
        values["student"] = str(erasure_request.student)
    if call := objects.get("call"):
        values["call"] = str(call)
    if change := objects.get("call_deadline_change"):
        values.update(
            call=str(change.call),
            closes=long_date(change.to_date),
            moved="later"
            if not change.moved_earlier
            else "closed"
            if change.closed_by_the_move
            else "earlier",
        )
    if "days" in objects:
        values["days"] = int(objects["days"])
    if "waiting_plans" in objects:
        values["count"] = len(objects["waiting_plans"])
    if "decision_changes" in objects:
        changed = objects["decision_changes"]
        values["count"] = len(changed)
        if changed:
            line = changed[0].line
            values.update(
                course=f"{line.code} {line.title}".strip(),
                decision=within_sentence(line.get_decision_display()),
            )
    return values


# Line breaks and other control characters, with the spaces around them: a name holding one
# would make the Subject header invalid (BadHeaderError) and the message undeliverable.
BREAKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def subject_line(event: Event, objects: dict) -> str:
    return BREAKS.sub(" ", event.subject_for(subject_values(objects))).strip()


def render_message(notification: Notification, language: str | None = None) -> Message:
    event = EVENTS[notification.event]
    with translation.override(language or notification.language):
        objects = objects_of(notification.context)
        subject = subject_line(event, objects)
        context = {
            **objects,
            "notification": notification,
            "subject": subject,
            "url": settings.SITE_URL + notification.link,
            "LANGUAGE_CODE": translation.get_language(),
        }
        text = render_to_string(f"emails/{event.template}.txt", context)
        html = render_to_string(f"emails/{event.template}.html", context)
    return Message(subject=subject, text=text, html=html)


def subjects_in_every_language(
    event: Event, context: dict, *, objects: dict | None = None
) -> dict[str, str]:
    """The subject line in each of the portal's languages, its objects loaded once (or
    `objects`, the context's objects the caller holds)."""
    objects = objects_of(context) if objects is None else objects
    subjects = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            subjects[code] = subject_line(event, objects)
    return subjects


def subject_in(event: Event, context: dict, language: str, *, objects: dict | None = None) -> str:
    """The subject line in `language`, kept on the row for the in-portal list."""
    with translation.override(language):
        return subject_line(event, objects_of(context) if objects is None else objects)
