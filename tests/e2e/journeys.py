"""Shared steps of the browser journeys: logging in as a demo account, choosing an option, and
the demo students' own actions taken through the services (what they would do in their
pages) to set the scene for the staff."""

import re
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from apps.accounts.demo_data import DEMO_PASSWORD
from apps.accounts.models import User
from apps.applications import services
from apps.applications.models import Activity, ActivityKind, Application, CoursePlan
from apps.programmes.models import Agreement, AgreementKind, Call, Partner
from tests.applications.factories import PDF_BYTES


def log_in(page, email: str, lands_on: str = "/dashboard/") -> None:
    """Log in through the form; students land on their dashboard, staff on the home page."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("#main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(lands_on)}$"))


def main_menu(page):
    """The main navigation, opened first when the window is too narrow to show it."""
    page.wait_for_load_state()  # the toggler shows only once the stylesheets apply
    menu = page.get_by_role("navigation", name="Main navigation")
    toggler = menu.get_by_role("button", name="Toggle navigation")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
    return menu


def choose_option(page, select: str, text: str) -> None:
    """Select the first option whose label contains `text`."""
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.locator(select).select_option(value)


def demo_call() -> Call:
    """The one call seed_demo opens."""
    return Call.objects.get()


def exchange_agreement(partner: str) -> Agreement:
    return Agreement.objects.get(partner__name=partner, kind=AgreementKind.EXCHANGE)


def exchange_semester(email: str, partner: str) -> Activity:
    """A compliant exchange semester at `partner` in the demo call's academic year, added to
    the student's plan with the engineering internship already validated."""
    student = User.objects.get(email=email)
    plan = services.plan_for_student(student)
    services.plan_update_student_facts(
        actor=student,
        plan=plan,
        engineering_internship_validated=True,
        full_year_internship_before_departure=False,
    )
    year = demo_call().academic_year
    return services.activity_create(
        actor=student,
        plan=plan,
        fields={
            "kind": ActivityKind.EXCHANGE_SEMESTER,
            "start": date(year, 9, 1),
            "end": date(year + 1, 1, 31),
            "partner": Partner.objects.get(name=partner),
            "ects": 30,
        },
    )


def course_plan_sent(activity: Activity, lines: list[dict]) -> CoursePlan:
    """The student writes the course plan of `activity` and sends it to their advisor; after
    a decision the same call sends the next version."""
    student = activity.plan.student
    course_plan = services.course_plan_replace_lines(actor=student, activity=activity, lines=lines)
    return services.course_plan_send(course_plan)


def submitted_application(email: str, partners: list[str]) -> Application:
    """The student applies to the demo call for an exchange semester, ranking the exchange
    agreements of `partners` in that order, uploads every required document and submits."""
    activity = exchange_semester(email, partners[0])
    student = activity.plan.student
    application = services.application_start(actor=student, call=demo_call())
    services.application_update(
        actor=student,
        application=application,
        motivation="A semester of engineering abroad.",
        choices=[services.ChoiceInput(activity, exchange_agreement(name)) for name in partners],
    )
    for kind in services.required_documents(application):
        upload = SimpleUploadedFile(f"{kind}.pdf", PDF_BYTES, content_type="application/pdf")
        services.document_upload(actor=student, application=application, kind=kind, upload=upload)
    return services.application_submit(actor=student, application=application)
