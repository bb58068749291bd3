"""Learning agreements as the exports meet them: an application whose study activity has a
course plan, versions decided line by line by the advisor, a nomination and a host decision.
The DRI's steps go through their services; the advisor's decisions are written as the
advisor's review leaves them."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.applications.models import (
    Activity,
    Application,
    ApplicationState,
    CoursePlan,
    CoursePlanStatus,
    LineDecision,
    Transition,
)
from apps.programmes.models import Partner
from apps.reviews.services.decisions import (
    application_nominate,
    application_record_host_decision,
)
from tests.applications.factories import (
    PDF_BYTES,
    ActivityFactory,
    ApplicationFactory,
    ChoiceFactory,
    CourseLineFactory,
    CoursePlanFactory,
    plan_for,
)
from tests.factories import AgreementFactory, LanguageFactory, PartnerFactory

HOST_COURSES = [
    {"code": "IN2010", "title": "Distributed Systems", "ects": Decimal(6), "semester": "Fall"},
    {"code": "MA1001", "title": "Linear Algebra", "ects": Decimal("7.5"), "semester": "Fall"},
    {"code": "EI3000", "title": "Robotics Lab", "ects": Decimal(5), "semester": "Winter 27"},
]


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def host(*, name: str = "Technische Universität Berlin", hei_id: str = "tu-berlin.de") -> Partner:
    partner = PartnerFactory(name=name, country="DE", hei_id=hei_id)
    partner.languages.add(LanguageFactory(code="de", name="German"))
    partner.languages.add(LanguageFactory(code="en", name="English"))
    return partner


def application_to(student, partner: Partner, *, requirement: str = "English B2"):
    """A submitted application whose first choice is an exchange semester at `partner`."""
    application = ApplicationFactory(student=student, state=ApplicationState.SUBMITTED)
    activity = ActivityFactory(
        plan=plan_for(student), partner=partner, host_name="", country=partner.country
    )
    agreement = AgreementFactory(partner=partner, language_requirement=requirement)
    ChoiceFactory(application=application, rank=1, activity=activity, agreement=agreement)
    return application, activity


def version(
    activity: Activity,
    number: int,
    *,
    courses: list[dict] = HOST_COURSES,
    advisor=None,
    sent: datetime | None = None,
    decided: datetime | None = None,
) -> CoursePlan:
    """Version `number`, sent by the student; approved line by line when `advisor` decided."""
    course_plan = CoursePlanFactory(
        activity=activity,
        version=number,
        status=CoursePlanStatus.APPROVED if advisor else CoursePlanStatus.PENDING,
        sent_at=sent or days_ago(60),
        decided_at=decided if advisor else None,
    )
    for course in courses:
        CourseLineFactory(
            course_plan=course_plan,
            home_requirement=f"Elective {course['code'][:2]}",
            **course,
            **(
                {"decision": LineDecision.APPROVED, "decided_by": advisor, "decided_at": decided}
                if advisor
                else {}
            ),
        )
    return course_plan


def nominate(application: Application, dri, *, at: datetime) -> None:
    application_nominate(actor=dri, application=application, choice=application.choices.first())
    application.refresh_from_db()
    _backdate(application, ApplicationState.NOMINATED, at)


def host_accepts(application: Application, dri, *, at: datetime) -> None:
    host_decides(application, dri, accepted=True)
    _backdate(application, ApplicationState.ACCEPTED, at)


def host_decides(application: Application, dri, *, accepted: bool) -> None:
    letter = SimpleUploadedFile("letter.pdf", PDF_BYTES, content_type="application/pdf")
    application_record_host_decision(
        actor=dri, application=application, accepted=accepted, letter=letter
    )
    application.refresh_from_db()


def _backdate(application: Application, to_state: str, at: datetime) -> None:
    Transition.objects.filter(application=application, to_state=to_state).update(at=at)
