"""Factories and builders for plans, applications and their documents."""

from datetime import date, timedelta

import factory
from django.contrib.messages import get_messages

from apps.accounts.models import User
from apps.applications.models import (
    Activity,
    ActivityKind,
    Application,
    Choice,
    CourseLine,
    CoursePlan,
    Document,
    DocumentKind,
    MobilityPlan,
)
from apps.programmes.models import AgreementKind, academic_year_of
from tests.factories import AgreementFactory, CallFactory, StudentProfileFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
FIRST_START = date(2027, 9, 1)


class MobilityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MobilityPlan

    student = factory.LazyFunction(lambda: StudentProfileFactory().user)
    engineering_internship_validated = True


class ActivityFactory(factory.django.DjangoModelFactory):
    """A compliant exchange semester abroad by default; the n-th one starts 200·n days after
    the first, so that up to 120 of them never overlap."""

    class Meta:
        model = Activity

    plan = factory.SubFactory(MobilityPlanFactory)
    kind = ActivityKind.EXCHANGE_SEMESTER
    # Within the years the plan's forms accept (until 2100), however many tests ran before.
    start = factory.Sequence(lambda n: FIRST_START + timedelta(days=200 * (n % 120)))
    end = factory.LazyAttribute(lambda activity: activity.start + timedelta(days=150))
    host_name = factory.Sequence(lambda n: f"Host University {n}")
    country = "DE"
    ects = 30


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    student = factory.LazyFunction(lambda: StudentProfileFactory().user)
    call = factory.SubFactory(CallFactory)
    motivation = "I want to study robotics where it is invented."

    @factory.post_generation
    def plan(application, create, extracted, **kwargs):
        """Starting an application creates the student's plan: so does the factory."""
        if create:
            plan_for(application.student)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    application = factory.SubFactory(ApplicationFactory)
    rank = factory.Sequence(lambda n: n + 1)
    activity = factory.SubFactory(ActivityFactory)
    agreement = factory.SubFactory(AgreementFactory, kind=AgreementKind.EXCHANGE)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    application = factory.SubFactory(ApplicationFactory)
    kind = DocumentKind.CV
    file = factory.django.FileField(data=PDF_BYTES, filename="document.pdf")
    original_name = "my cv.pdf"
    size = len(PDF_BYTES)
    uploaded_by = factory.LazyAttribute(lambda document: document.application.student)


class CoursePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoursePlan

    activity = factory.SubFactory(ActivityFactory)
    # Written for the host the activity names, as the services write it.
    partner = factory.LazyAttribute(lambda course_plan: course_plan.activity.partner)
    host_name = factory.LazyAttribute(lambda course_plan: course_plan.activity.host_name)


class CourseLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseLine

    course_plan = factory.SubFactory(CoursePlanFactory)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    title = factory.Sequence(lambda n: f"Course {n}")
    ects = 6
    semester = "Fall 2027"
    home_requirement = "Electives"


def login(client, user):
    """Sign `user` in, reading the pages in English (the site's default is French)."""
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def plan_for(student: User, **fields) -> MobilityPlan:
    """The student's plan (one per student), created clean: internship already validated."""
    plan, _created = MobilityPlan.objects.get_or_create(
        student=student, defaults={"engineering_internship_validated": True, **fields}
    )
    return plan


def semester_for(student: User, **fields) -> Activity:
    return ActivityFactory(plan=plan_for(student), **fields)


def draft_with_choice(student: User, *, call=None, **activity_fields) -> Application:
    """A draft with motivation and one exchange choice, no document yet. The semester starts
    in the call's academic year (when the call is given and no start is); without a call, the
    call is for the semester's academic year."""
    if call is not None and "start" not in activity_fields:
        activity_fields["start"] = free_start_in(student, call.academic_year)
    activity = semester_for(student, **activity_fields)
    call = call or CallFactory(academic_year=academic_year_of(activity.start))
    application = ApplicationFactory(student=student, call=call)
    ChoiceFactory(application=application, rank=1, activity=activity)
    return application


def free_start_in(student: User, academic_year: int) -> date:
    """A start in `academic_year` after the student's activities of that year, so that a
    150-day semester from there overlaps none of them."""
    taken = [
        activity.end
        for activity in Activity.objects.filter(plan__student=student)
        if academic_year_of(activity.start) == academic_year
    ]
    return max(taken, default=date(academic_year, 9, 1) - timedelta(days=1)) + timedelta(days=1)


def complete_application(student: User, *, call=None, **activity_fields) -> Application:
    """A draft that can be submitted: one compliant semester and every required document."""
    application = draft_with_choice(student, call=call, **activity_fields)
    for kind in (
        DocumentKind.CV,
        DocumentKind.TRANSCRIPT,
        DocumentKind.LANGUAGE_CERTIFICATE,
        DocumentKind.LEARNING_AGREEMENT,
    ):
        DocumentFactory(application=application, kind=kind)
    return application
