"""Course plans sent to the advisor, dossiers abroad or back, and activities to validate."""

from datetime import date

from django.utils import timezone

from apps.accounts.models import User
from apps.applications.models import (
    Activity,
    ActivityKind,
    Application,
    ApplicationState,
    CourseLine,
    CoursePlan,
    CoursePlanStatus,
    DocumentKind,
    LineDecision,
)
from tests.applications.factories import (
    ActivityFactory,
    ApplicationFactory,
    ChoiceFactory,
    CourseLineFactory,
    CoursePlanFactory,
    DocumentFactory,
    plan_for,
    semester_for,
)


def sent_course_plan(
    student: User, *, lines: int = 2, activity: Activity | None = None, **fields
) -> CoursePlan:
    """A version before the advisor (pending unless `status` says otherwise), 6 ECTS a line.
    Without `activity`, a semester that a submitted application chooses."""
    if activity is None:
        activity = semester_for(student)
        application = ApplicationFactory(student=student, state=ApplicationState.SUBMITTED)
        ChoiceFactory(application=application, rank=1, activity=activity)
    course_plan = CoursePlanFactory(
        activity=activity,
        status=fields.pop("status", CoursePlanStatus.PENDING),
        sent_at=timezone.now(),
        **fields,
    )
    for _index in range(lines):
        CourseLineFactory(course_plan=course_plan)
    return course_plan


def approve_all(course_plan: CoursePlan, advisor: User) -> CoursePlan:
    course_plan.lines.update(
        decision=LineDecision.APPROVED, decided_by=advisor, decided_at=timezone.now()
    )
    course_plan.status = CoursePlanStatus.APPROVED
    course_plan.decided_at = timezone.now()
    course_plan.save()
    return course_plan


def dossier_abroad(
    student: User, advisor: User, *, state: str = ApplicationState.RETURNED, lines: int = 2
) -> tuple[Application, CoursePlan]:
    """An application nominated to a semester whose course plan the advisor approved, in
    `state` (set directly: the workflow that leads there is tested elsewhere)."""
    application = ApplicationFactory(student=student)
    choice = ChoiceFactory(application=application, rank=1, activity=semester_for(student))
    course_plan = approve_all(
        sent_course_plan(student, activity=choice.activity, lines=lines), advisor
    )
    application.nominated_choice = choice
    application.state = state
    application.save()
    return application, course_plan


def with_transcript(application: Application) -> Application:
    DocumentFactory(
        application=application, kind=DocumentKind.HOST_TRANSCRIPT, original_name="tor.pdf"
    )
    return application


def record_all(course_plan: CoursePlan, obtained: int = 6) -> None:
    CourseLine.objects.filter(course_plan=course_plan).update(ects_obtained=obtained)


def summer_stay(student: User, **fields) -> Activity:
    """A summer stay abroad, long enough to be compliant (SUMMER_DURATION)."""
    defaults = {
        "kind": ActivityKind.SUMMER_STAY,
        "summer_type": "lab_internship",
        "start": date(2028, 6, 15),
        "end": date(2028, 8, 31),
        "country": "DE",
        "host_name": "Max Planck Institute",
        "ects": None,
    }
    return ActivityFactory(plan=plan_for(student), **{**defaults, **fields})


def requested(activity: Activity) -> Activity:
    activity.validation_requested_at = timezone.now()
    activity.save(update_fields=["validation_requested_at"])
    return activity
