"""Dossiers in the DRI's queue, built through the student's services or set directly."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import StudentProfile, User
from apps.accounts.roles import Role
from apps.applications import services
from apps.applications.models import (
    Activity,
    ActivityKind,
    Application,
    ApplicationState,
    Choice,
    MobilityPlan,
)
from apps.applications.workflow import last_transition_id
from mobility_portal.caching import everything_changed
from tests.applications.factories import PDF_BYTES, complete_application, login
from tests.factories import AgreementFactory, CallFactory, StudentProfileFactory

S = ApplicationState


def submitted(student: User | None = None, *, call=None, **activity_fields) -> Application:
    """An application the student really submitted: with its snapshot and history."""
    student = student or StudentProfileFactory().user
    application = complete_application(student, call=call, **activity_fields)
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    return application


def in_state(application: Application, state: str, **fields) -> Application:
    """Put an application in `state` directly: the workflow leading there is tested elsewhere."""
    Application.objects.filter(pk=application.pk).update(state=state, **fields)
    application.refresh_from_db()
    return application


def nominated(student: User | None = None) -> Application:
    application = submitted(student)
    return in_state(application, S.NOMINATED, nominated_choice=application.choices.get())


def stay_dated(application: Application, *, start: date, end: date) -> Application:
    """Move the nominated stay's dates (a departure or a return asks for a confirmation before
    the stay's own day)."""
    Activity.objects.filter(pk=application.nominated_choice.activity_id).update(
        start=start, end=end
    )
    return application


def dossier_url(application: Application) -> str:
    return reverse("reviews:dossier", args=[application.pk])


def decision_url(name: str, application: Application) -> str:
    return reverse(f"reviews:dossier_{name}", args=[application.pk])


def seen(application: Application, prefix: str, **fields) -> dict[str, object]:
    """POST data of a decision form as the dossier page shows it now (prefixed names): with
    the state and the latest transition the reviewer sees."""
    seen_transition = last_transition_id(application)
    data = {
        f"{prefix}-seen_state": application.state,
        f"{prefix}-seen_transition": "" if seen_transition is None else seen_transition,
    }
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return data


def pdf_upload(name: str = "letter.pdf", content: bytes = PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def bulk_applications(count: int, *, call=None) -> list[Application]:
    """`count` students, each with a plan, a semester, an application past the draft stage and
    two choices, through bulk_create: thousands in a few seconds."""
    call = call or CallFactory()
    agreements = [AgreementFactory() for _index in range(5)]
    states = [state for state in ApplicationState if state != S.DRAFT]
    first = User.objects.count()
    users = User.objects.bulk_create(
        User(
            email=f"bulk{first + n}@example.org",
            first_name=f"First{n}",
            last_name=f"Last{n:05d}",
            role=Role.STUDENT,
            password="!",
        )
        for n in range(count)
    )
    StudentProfile.objects.bulk_create(
        StudentProfile(user=user, student_number=f"B{first + n:07d}", year=2)
        for n, user in enumerate(users)
    )
    plans = MobilityPlan.objects.bulk_create(MobilityPlan(student=user) for user in users)
    activities = Activity.objects.bulk_create(
        Activity(
            plan=plan,
            kind=ActivityKind.EXCHANGE_SEMESTER,
            start=date(2027, 9, 1),
            end=date(2028, 1, 31),
            country="DE",
            host_name="Host",
            ects=30,
        )
        for plan in plans
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            student=user,
            call=call,
            state=states[n % len(states)],
            submitted_at=now - timedelta(minutes=n),
            snapshot_has_errors=n % 3 == 0,
            ranking_score=n % 17 or None,
        )
        for n, user in enumerate(users)
    )
    Choice.objects.bulk_create(
        Choice(
            application=application,
            rank=rank,
            activity=activity,
            agreement=agreements[(n + rank) % len(agreements)],
        )
        for n, (application, activity) in enumerate(zip(applications, activities, strict=True))
        for rank in (1, 2)
    )
    everything_changed()  # as every bulk load must: memoized menus and counts are stale
    return applications


def post_as(client, user, url: str, data: dict | None = None):
    """POST as `user` (anonymous when None), reading the pages in English."""
    if user is not None:
        login(client, user)
    return client.post(url, data or {})


def state_of(application: Application) -> str:
    return Application.objects.values_list("state", flat=True).get(pk=application.pk)
