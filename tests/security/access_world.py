"""A realistic world for the access matrix: the suite's personas, and a student whose dossier
has an object behind every page of the portal.

The personas are those of tests/conftest.py (same e-mails, roles and advisor links), built
once per module here because the matrix reuses one world for some two thousand requests.
The student's steps go through the services, so snapshots, histories, notifications and
course plan versions exist as the pages meet them.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.applications import services
from apps.applications.models import (
    Activity,
    ActivityKind,
    Application,
    CourseLine,
    CoursePlan,
    Document,
    DocumentKind,
    ErasureRequest,
)
from apps.notifications.models import Notification
from apps.programmes.models import Agreement, AgreementKind, Call, Partner
from apps.reviews.models import NominationNotice, QueueExport, QueueExportStatus
from apps.reviews.services import decisions
from apps.reviews.services.course_plans import course_line_decide
from apps.reviews.services.validations import activity_request_validation
from tests.applications.factories import PDF_BYTES, ActivityFactory, plan_for
from tests.factories import (
    AgreementFactory,
    CallFactory,
    FiliereFactory,
    LanguageFactory,
    PartnerFactory,
    StudentProfileFactory,
    StudyFieldFactory,
    UserFactory,
)

ANONYMOUS = "anonymous"
OWNER = "owner"
OTHER_STUDENT = "other_student"
ADVISOR = "advisor"
OTHER_ADVISOR = "other_advisor"
DRI = "dri"
DFI = "dfi"
ADMIN = "admin"
PERSONAS = (ANONYMOUS, OWNER, OTHER_STUDENT, ADVISOR, OTHER_ADVISOR, DRI, DFI, ADMIN)

HOST_COURSES = [
    {"code": "IN2010", "title": "Distributed Systems", "ects": Decimal(6), "semester": "Fall"},
    {"code": "MA1001", "title": "Linear Algebra", "ects": Decimal(6), "semester": "Fall"},
]


@dataclass(frozen=True)
class World:
    users: dict[str, User]
    # Session cookies opened once per persona, so each request needs no login of its own.
    sessions: dict[str, str]
    partner: Partner
    agreement: Agreement
    call: Call
    exchange: Activity  # the exchange semester of the submitted application
    summer: Activity  # a summer stay abroad awaiting the DFI's and the DRI's validation
    submitted: Application  # submitted through the services: snapshot and history
    draft: Application  # started for a later call, still being written
    document: Document  # the CV of the submitted application
    pending_course_plan: CoursePlan  # the exchange's course plan, before the advisor
    abroad: Application  # nominated, accepted, departed and back: the return pages
    abroad_activity: Activity
    approved_course_plan: CoursePlan  # the abroad stay's, approved line by line
    notification: Notification  # one of the student's in-portal notifications
    # The student's pending request that their data be erased. Written directly: the service
    # refuses it while their dossiers are under way, as they are here.
    erasure_request: ErasureRequest
    # A large queue export the DRI officer asked for, written: its page and file are theirs.
    queue_export: QueueExport
    # One object per model the Django admin manages, by "app_label.model_name".
    admin_objects: dict[str, models.Model]

    @property
    def student(self) -> User:
        return self.users[OWNER]


def personas() -> dict[str, User]:
    """The suite's personas (tests/conftest.py), without anonymous."""
    advisor = UserFactory(email="advisor@example.org", role=Role.ADVISOR)
    other_advisor = UserFactory(email="other.advisor@example.org", role=Role.ADVISOR)
    student = StudentProfileFactory(
        user__email="student@example.org",
        filiere=FiliereFactory(code="info", name="Informatique"),
        advisor=advisor,
    ).user
    other_student = StudentProfileFactory(
        user__email="other.student@example.org", advisor=other_advisor
    ).user
    return {
        OWNER: student,
        OTHER_STUDENT: other_student,
        ADVISOR: advisor,
        OTHER_ADVISOR: other_advisor,
        DRI: UserFactory(email="dri@example.org", role=Role.DRI),
        DFI: UserFactory(email="dfi@example.org", role=Role.DFI),
        ADMIN: UserFactory(email="admin@example.org", role=Role.ADMIN, is_superuser=True),
    }


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def applied(student: User, call: Call, activity: Activity, agreement: Agreement) -> Application:
    """A submitted application with every document, the way the student makes one."""
    application = services.application_start(actor=student, call=call)
    services.application_update(
        actor=student,
        application=application,
        motivation="Distributed systems are taught best where they are built.",
        choices=[services.ChoiceInput(activity=activity, agreement=agreement)],
    )
    for kind in services.REQUIRED_DOCUMENTS[activity.kind]:
        services.document_upload(
            actor=student, application=application, kind=kind, upload=pdf(f"{kind}.pdf")
        )
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    return application


def exchange_semester(student: User, partner: Partner, start: date, end: date) -> Activity:
    """A study activity at `partner` whose course plan lines the student has written."""
    activity = ActivityFactory(
        plan=plan_for(student),
        kind=ActivityKind.EXCHANGE_SEMESTER,
        partner=partner,
        host_name="",
        country=partner.country,
        start=start,
        end=end,
        ects=30,
    )
    lines = [{**course, "home_requirement": "Electives"} for course in HOST_COURSES]
    services.course_plan_replace_lines(actor=student, activity=activity, lines=lines)
    return activity


def back_from_mobility(application: Application, dri: User) -> Application:
    """Every DRI decision from the submission to the return, through the services."""
    decisions.application_take_for_review(actor=dri, application=application)
    application.refresh_from_db()
    decisions.application_nominate(
        actor=dri, application=application, choice=application.choices.get()
    )
    application.refresh_from_db()
    decisions.application_record_host_decision(
        actor=dri, application=application, accepted=True, letter=pdf("acceptance.pdf")
    )
    application.refresh_from_db()
    decisions.application_mark_departed(actor=dri, application=application)
    application.refresh_from_db()
    decisions.application_mark_returned(actor=dri, application=application)
    application.refresh_from_db()
    return application


def approved_by(advisor: User, activity: Activity) -> CoursePlan:
    course_plan = CoursePlan.objects.get(activity=activity)
    for line in CourseLine.objects.filter(course_plan=course_plan):
        course_line_decide(actor=advisor, line=line, approve=True, comment="")
    course_plan.refresh_from_db()
    return course_plan


def summer_stay_requested(student: User) -> Activity:
    summer = ActivityFactory(
        plan=plan_for(student),
        kind=ActivityKind.SUMMER_STAY,
        summer_type="lab_internship",
        start=date(2028, 6, 15),
        end=date(2028, 8, 31),
        country="DE",
        host_name="Max Planck Institute",
        ects=None,
    )
    return activity_request_validation(actor=student, activity=summer)


def login_attempts() -> list[models.Model]:
    """What django-axes records, from an address and an account none of the personas use."""
    seen = {
        "user_agent": "curl/8",
        "ip_address": "192.0.2.10",
        "username": "intruder@example.org",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    return [
        AccessAttempt.objects.create(
            **seen, get_data="", post_data="username=intruder", failures_since_start=1
        ),
        AccessLog.objects.create(**seen),
        AccessFailureLog.objects.create(**seen),
    ]


def admin_objects(world_objects: list[models.Model]) -> dict[str, models.Model]:
    by_label = {}
    for instance in world_objects:
        by_label.setdefault(instance._meta.label_lower, instance)
    return by_label


def session_of(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.session.session_key


def build_world() -> World:
    users = personas()
    student = users[OWNER]
    partner = PartnerFactory(name="Technische Universität Berlin", country="DE", hei_id="tu.de")
    partner.languages.add(LanguageFactory(code="de", name="German"))
    partner.fields.add(StudyFieldFactory(slug="computing", name="Computing"))
    agreement = AgreementFactory(partner=partner, kind=AgreementKind.EXCHANGE)
    call = CallFactory(name="Exchanges 2027-2028")
    earlier_call = CallFactory(name="Exchanges 2026-2027", academic_year=2026)
    later_call = CallFactory(name="Exchanges 2028-2029", academic_year=2028)

    abroad_activity = exchange_semester(student, partner, date(2026, 9, 1), date(2027, 1, 31))
    abroad = applied(student, earlier_call, abroad_activity, agreement)
    approved_course_plan = approved_by(users[ADVISOR], abroad_activity)
    abroad = back_from_mobility(abroad, users[DRI])

    exchange = exchange_semester(student, partner, date(2027, 9, 1), date(2028, 1, 31))
    submitted = applied(student, call, exchange, agreement)
    summer = summer_stay_requested(student)
    # Started before an application needed a study stay of its call's year (the plan has
    # none in 2028-2029): application_start now refuses it, the empty draft stays the student's.
    draft = Application.objects.create(student=student, call=later_call)

    # A list of nominations sent to the partner for the earlier call: the nominations pages
    # of (that call, partner) exist.
    nomination_notice = NominationNotice.objects.create(
        call=earlier_call,
        partner=partner,
        actor=users[DRI],
        email="incoming@tu.example",
        language="en",
        application_ids=[abroad.pk],
    )

    group = Group.objects.create(name="Catalogue editors")
    notification = Notification.objects.filter(recipient=student).first()
    erasure_request = ErasureRequest.objects.create(student=student, reason="Moving on.")
    queue_export = QueueExport.objects.create(
        requested_by=users[DRI], language="en", status=QueueExportStatus.DONE, total=1, written=1
    )
    queue_export.file.save("applications.xlsx", ContentFile(b"PK workbook"), save=True)
    profile = student.student_profile
    objects = [
        group,
        *login_attempts(),
        student,
        profile.filiere,
        profile,
        partner,
        agreement,
        *partner.languages.all(),
        *partner.fields.all(),
        call,
        student.mobility_plan,
        submitted,
        approved_course_plan,
        notification,
        erasure_request,
        nomination_notice,
        queue_export,
    ]
    return World(
        users=users,
        sessions={persona: session_of(user) for persona, user in users.items()},
        partner=partner,
        agreement=agreement,
        call=call,
        exchange=exchange,
        summer=summer,
        submitted=submitted,
        draft=draft,
        document=submitted.documents.get(kind=DocumentKind.CV),
        pending_course_plan=CoursePlan.objects.get(activity=exchange),
        abroad=abroad,
        abroad_activity=abroad_activity,
        approved_course_plan=approved_course_plan,
        notification=notification,
        erasure_request=erasure_request,
        queue_export=queue_export,
        admin_objects=admin_objects(objects),
    )
