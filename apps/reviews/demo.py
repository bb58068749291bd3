"""A few demo dossiers, built through the services as students would, so that the staff
demo accounts have work waiting: a submitted exchange with a course plan for the advisor, a
double degree application, and a summer stay awaiting the DFI and the DRI."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.applications import services
from apps.applications.models import Application
from apps.programmes.models import Agreement, AgreementKind, Call
from apps.rules.measures import add_months

from .services.validations import activity_request_validation

DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
COURSES = [
    {
        "code": "DD2395",
        "title": "Computer Security",
        "ects": Decimal("7.5"),
        "semester": "Fall",
        "home_requirement": "SR2I",
    },
    {
        "code": "EQ2415",
        "title": "Machine Learning and Data Science",
        "ects": Decimal("7.5"),
        "semester": "Fall",
        "home_requirement": "SD210",
    },
    {
        "code": "ID2203",
        "title": "Distributed Systems",
        "ects": Decimal("7.5"),
        "semester": "Fall",
        "home_requirement": "INF224",
    },
    {
        "code": "LS1414",
        "title": "Swedish for beginners",
        "ects": Decimal("7.5"),
        "semester": "Fall",
        "home_requirement": "LV2",
    },
]


def next_autumn() -> int:
    today = timezone.localdate()
    return today.year + 1 if today.month >= 3 else today.year


def seed_demo_dossiers() -> int:
    """Create the demo dossiers that do not exist yet; returns how many were created."""
    call = Call.objects.order_by("-academic_year").first()
    if call is None or not call.is_open_on(timezone.localdate()):
        return 0
    created = 0
    year = next_autumn()
    exchange = _agreement("KTH", AgreementKind.EXCHANGE)
    double = _agreement("Politecnico di Milano", AgreementKind.DOUBLE_DEGREE)
    if exchange and _start("lea.petit@demo.mobility.example", call):
        created += _exchange_dossier("lea.petit@demo.mobility.example", call, exchange, year)
    if double and _start("hugo.leroy@demo.mobility.example", call):
        created += _double_degree_dossier("hugo.leroy@demo.mobility.example", call, double, year)
    created += _summer_stay_request("ines.chevalier@demo.mobility.example", year)
    return created


def _agreement(partner_name: str, kind: str) -> Agreement | None:
    return (
        Agreement.objects.select_related("partner")
        .filter(partner__name__icontains=partner_name, kind=kind)
        .first()
    )


def _start(email: str, call: Call) -> bool:
    student = User.objects.filter(email=email).first()
    return (
        student is not None and not Application.objects.filter(student=student, call=call).exists()
    )


@transaction.atomic
def _apply(student: User, call: Call, activity, agreement: Agreement, motivation: str) -> None:
    application = services.application_start(actor=student, call=call)
    services.application_update(
        actor=student,
        application=application,
        motivation=motivation,
        choices=[services.ChoiceInput(activity, agreement)],
    )
    for kind in services.required_documents(application):
        upload = SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF, content_type="application/pdf")
        services.document_upload(actor=student, application=application, kind=kind, upload=upload)
    services.application_submit(actor=student, application=application)


def _exchange_dossier(email: str, call: Call, agreement: Agreement, year: int) -> int:
    student = User.objects.get(email=email)
    plan = services.plan_for_student(student)
    services.plan_update_student_facts(
        actor=student,
        plan=plan,
        engineering_internship_validated=True,
        full_year_internship_before_departure=False,
    )
    activity = services.activity_create(
        actor=student,
        plan=plan,
        fields={
            "kind": "exchange_semester",
            "start": date(year, 8, 25),
            "end": date(year + 1, 1, 15),
            "partner": agreement.partner,
            "ects": 30,
        },
    )
    services.course_plan_replace_lines(actor=student, activity=activity, lines=COURSES)
    _apply(student, call, activity, agreement, "Security and data science courses at KTH.")
    return 1


def _double_degree_dossier(email: str, call: Call, agreement: Agreement, year: int) -> int:
    student = User.objects.get(email=email)
    plan = services.plan_for_student(student)
    activity = services.activity_create(
        actor=student,
        plan=plan,
        fields={
            "kind": "double_degree",
            "start": date(year, 9, 1),
            "end": add_months(date(year, 9, 1), 18) - timedelta(days=1),
            "partner": agreement.partner,
            "ects": 120,
        },
    )
    _apply(student, call, activity, agreement, "Telecommunications engineering in Milan.")
    return 1


def _summer_stay_request(email: str, year: int) -> int:
    student = User.objects.filter(email=email).first()
    if student is None or services.plan_for_student(student).activities.exists():
        return 0
    plan = services.plan_for_student(student)
    with transaction.atomic():
        stay = services.activity_create(
            actor=student,
            plan=plan,
            fields={
                "kind": "summer_stay",
                "start": date(year, 7, 1),
                "end": date(year, 8, 20),
                "host_name": "Tohoku University, summer research programme",
                "country": "JP",
                "summer_type": "lab_internship",
            },
        )
        activity_request_validation(actor=student, activity=stay)
    return 1
