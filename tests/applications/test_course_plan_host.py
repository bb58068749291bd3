"""A course plan lists the courses of one host. A stay chosen at two hosts moves to the one the
student is nominated to, and the course plan written for the other host used to follow it: the
learning agreement named the new host with the old host's courses, already approved, and the
credits were recognised against them. Now the versions of the host left stay in the history,
the stay's course plan starts again empty for its new host, and comes back, as the advisor
decided it, if the stay goes back to the first host."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from apps.applications import services
from apps.applications.models import (
    Activity,
    AgreementKind,
    CoursePlan,
    CoursePlanStatus,
    LineDecision,
)
from apps.applications.services import ACTIVITY_FIELDS
from apps.notifications import events
from apps.notifications.models import Notification
from apps.notifications.rendering import render_message
from apps.reviews.exports.learning_agreement import learning_agreement_for
from apps.reviews.selectors_advisor import recognition_course_plan
from apps.reviews.selectors_queue import approved_activities
from apps.reviews.services.decisions import application_nominate
from tests.applications.factories import (
    ChoiceFactory,
    complete_application,
    draft_with_choice,
    login,
    messages_of,
)
from tests.factories import AgreementFactory, PartnerFactory
from tests.migrations import back_to_latest, migrate_to  # noqa: F401 (a fixture)
from tests.reviews.advisor.builders import approve_all

pytestmark = pytest.mark.django_db

COURSES = [
    {
        "code": "IN201",
        "title": "Distributed systems",
        "ects": Decimal(6),
        "semester": "Fall",
        "home_requirement": "Electives",
    }
]
AALTO_COURSES = [{**COURSES[0], "code": "CS-E4110", "title": "Concurrent programming"}]


def at_munich() -> dict:
    """A semester at a partner of the school."""
    return {"partner": PartnerFactory(name="TU Munich", country="DE"), "host_name": ""}


def versions(activity: Activity) -> list[tuple]:
    return list(
        CoursePlan.objects.filter(activity=activity)
        .order_by("version")
        .values_list("version", "partner__name", "status")
    )


@pytest.fixture
def two_hosts(student):
    """A submitted application choosing one semester at its own partner first, then at Aalto;
    the course plan written for the first host and approved by the advisor."""
    application = complete_application(student, **at_munich())
    first = application.choices.select_related("activity__partner").get()
    semester = first.activity
    first.agreement = AgreementFactory(partner=semester.partner, kind=AgreementKind.EXCHANGE)
    first.save()
    aalto = PartnerFactory(name="Aalto University", country="FI")
    second = ChoiceFactory(
        application=application,
        rank=2,
        activity=semester,
        agreement=AgreementFactory(partner=aalto, kind=AgreementKind.EXCHANGE),
    )
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    course_plan = services.course_plan_replace_lines(
        actor=student, activity=semester, lines=COURSES
    )
    return application, first, second, course_plan


@pytest.fixture
def nominated_to_aalto(two_hosts, dri, advisor):
    application, first, second, course_plan = two_hosts
    approve_all(course_plan, advisor)
    application = application_nominate(actor=dri, application=application, choice=second)
    return application, first, second, Activity.objects.get(pk=second.activity_id)


def test_the_course_plan_of_the_host_left_stays_behind(nominated_to_aalto):
    _application, first, _second, semester = nominated_to_aalto
    first_host = first.agreement.partner.name
    assert versions(semester) == [
        (1, first_host, CoursePlanStatus.APPROVED),
        (2, "Aalto University", CoursePlanStatus.DRAFT),
    ]
    assert not CoursePlan.objects.get(activity=semester, version=2).lines.exists()
    # Nothing approved at Aalto: no credits recognised against the first host's courses,
    # and the queue's "course plans approved" filter no longer counts the stay.
    assert recognition_course_plan(semester) is None
    assert semester.pk not in set(approved_activities().values_list("activity", flat=True))


def test_the_student_is_told_to_list_the_new_hosts_courses(client, student, nominated_to_aalto):
    _application, first, _second, semester = nominated_to_aalto
    page = login(client, student).get(reverse("applications:course_plan_edit", args=[semester.pk]))
    assert page.context["left_behind"].version == 1
    assert (
        f"Version 1 of this course plan listed courses at {first.agreement.partner.name}. Your "
        "stay is now at Aalto University: list the courses you will follow there."
    ) in page.content.decode()


def test_the_learning_agreement_lists_only_the_new_hosts_courses(student, dri, nominated_to_aalto):
    application, _first, _second, semester = nominated_to_aalto
    services.course_plan_replace_lines(actor=student, activity=semester, lines=AALTO_COURSES)

    agreement = learning_agreement_for(dri, application_pk=application.pk, activity_pk=semester.pk)

    assert agreement.receiving.name == "Aalto University"
    assert [version.number for version in agreement.versions] == [2]
    assert [course.code for course in agreement.version.courses] == ["CS-E4110"]
    assert agreement.nomination is not None


def test_an_earlier_version_prints_with_its_own_host(dri, nominated_to_aalto):
    application, first, _second, semester = nominated_to_aalto
    agreement = learning_agreement_for(
        dri, application_pk=application.pk, activity_pk=semester.pk, version=1
    )
    assert agreement.receiving.name == first.agreement.partner.name
    assert [course.code for course in agreement.version.courses] == ["IN201"]
    assert agreement.nomination is None  # the nomination is to Aalto, not to this host


def test_back_at_the_first_host_its_course_plan_comes_back_as_decided(
    student, advisor, nominated_to_aalto
):
    _application, first, _second, semester = nominated_to_aalto
    services.course_plan_replace_lines(actor=student, activity=semester, lines=AALTO_COURSES)
    Notification.objects.all().delete()

    with transaction.atomic():
        services.activity_follow_nomination(first)

    semester.refresh_from_db()
    back = CoursePlan.objects.get(activity=semester, version=3)
    assert back.is_for_host_of(semester)
    assert back.status == CoursePlanStatus.APPROVED
    assert list(back.lines.values_list("code", "decision", "decided_by")) == [
        ("IN201", LineDecision.APPROVED, advisor.pk)
    ]
    assert recognition_course_plan(semester) == back
    assert not Notification.objects.exists()  # nothing new for the advisor to decide


def test_credits_do_not_carry_over_from_another_hosts_courses(student, advisor, nominated_to_aalto):
    _application, _first, _second, semester = nominated_to_aalto
    CoursePlan.objects.get(activity=semester, version=1).lines.update(ects_obtained=6)
    # The same course code and title at Aalto, approved there.
    aalto = services.course_plan_replace_lines(actor=student, activity=semester, lines=COURSES)
    approve_all(aalto, advisor)
    aalto.status = CoursePlanStatus.PENDING
    aalto.save()

    services.course_plan_settle_status(aalto)

    assert list(aalto.lines.values_list("ects_obtained", flat=True)) == [None]


def test_the_advisor_reads_which_host_a_version_was_for(client, advisor, nominated_to_aalto):
    _application, first, _second, semester = nominated_to_aalto
    old = CoursePlan.objects.get(activity=semester, version=1)
    page = login(client, advisor).get(reverse("reviews:advisor_course_plan", args=[old.pk]))
    assert page.context["stay_moved_to"] == "Aalto University"
    assert (
        f"This version lists courses at {first.agreement.partner.name}. The stay has moved to "
        "Aalto University since"
    ) in page.content.decode()


def test_the_dossier_labels_the_version_of_the_host_left(client, dri, student, nominated_to_aalto):
    application, first, _second, semester = nominated_to_aalto
    services.course_plan_replace_lines(actor=student, activity=semester, lines=AALTO_COURSES)
    page = login(client, dri).get(reverse("reviews:dossier", args=[application.pk]))
    content = page.content.decode()
    assert f"courses at {first.agreement.partner.name}" in content
    assert "courses at Aalto University" not in content  # the stay's own host needs no label


def test_a_draft_stay_moved_by_the_student_starts_its_course_plan_again(student):
    application = draft_with_choice(student, **at_munich())
    semester = application.choices.get().activity
    first_host = semester.partner.name
    services.course_plan_replace_lines(actor=student, activity=semester, lines=COURSES)
    fields = {name: getattr(semester, name) for name in ACTIVITY_FIELDS}

    services.activity_update(
        actor=student,
        activity=semester,
        fields={**fields, "partner": PartnerFactory(name="Aalto University", country="FI")},
    )

    assert versions(semester) == [
        (1, first_host, CoursePlanStatus.DRAFT),
        (2, "Aalto University", CoursePlanStatus.DRAFT),
    ]


def test_an_empty_course_plan_just_follows_the_stay(student):
    semester = draft_with_choice(student, **at_munich()).choices.get().activity
    with transaction.atomic():
        services.course_plan_for(semester)
    fields = {name: getattr(semester, name) for name in ACTIVITY_FIELDS}

    services.activity_update(
        actor=student,
        activity=semester,
        fields={**fields, "partner": PartnerFactory(name="Aalto University", country="FI")},
    )

    assert versions(semester) == [(1, "Aalto University", CoursePlanStatus.DRAFT)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_the_migration_gives_existing_versions_the_host_of_their_stay():
    apps = migrate_to(("applications", "0009_recheck_newly_failing"))
    User = apps.get_model("accounts", "User")
    Partner = apps.get_model("programmes", "Partner")
    Plan = apps.get_model("applications", "MobilityPlan")
    Activity = apps.get_model("applications", "Activity")
    CoursePlan = apps.get_model("applications", "CoursePlan")
    partner = Partner.objects.create(name="TU Berlin", country="DE", city="Berlin")
    stays = {}
    for name, host in (("partner", partner), ("outside", None)):
        stays[name] = Activity.objects.create(
            plan=Plan.objects.create(student=User.objects.create(email=f"{name}@example.org")),
            kind="exchange_semester",
            start=date(2027, 9, 1),
            end=date(2028, 1, 31),
            country="DE" if host else "CA",
            host_name="" if host else "University of Toronto",
            partner=host,
        )
        CoursePlan.objects.create(activity=stays[name], version=1)

    apps = migrate_to(("applications", "0010_course_plan_host"))
    CoursePlan = apps.get_model("applications", "CoursePlan")
    hosts = {
        name: CoursePlan.objects.values_list("partner", "host_name").get(activity_id=stay.pk)
        for name, stay in stays.items()
    }
    assert hosts == {"partner": (partner.pk, ""), "outside": (None, "University of Toronto")}


def test_an_e_mail_about_a_version_names_its_own_host(student, nominated_to_aalto):
    """Rendered when it is delivered, after the stay moved: it names the version's host."""
    _application, first, _second, semester = nominated_to_aalto
    Notification.objects.all().delete()
    events.announce_course_plan_decided(CoursePlan.objects.get(activity=semester, version=1))
    message = render_message(Notification.objects.get(), "en")
    assert f"your course plan for {first.agreement.partner.name}" in message.text
    assert "Aalto" not in message.subject + message.text


def test_courses_listed_on_the_page_of_the_host_left_are_not_saved(client, student, two_hosts, dri):
    """The student opened the course plan page at the first host; the office nominated them to
    Aalto before they saved: those courses are not Aalto's."""
    application, _first, second, _course_plan = two_hosts
    semester = Activity.objects.get(pk=second.activity_id)
    url = reverse("applications:course_plan_edit", args=[semester.pk])
    page = login(client, student).get(url)
    host_seen = page.context["activity"].host_token
    application_nominate(actor=dri, application=application, choice=second)
    before = versions(semester)
    line = {f"form-0-{name}": str(value) for name, value in AALTO_COURSES[0].items()}
    management = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"}

    response = client.post(url, {"host": host_seen, **management, **line})

    assert response.status_code == 400
    assert messages_of(response) == [
        "Your stay has moved to Aalto University since you opened this page: your courses "
        "were not saved. List the courses you will follow there."
    ]
    assert versions(semester) == before
    content = response.content.decode()
    assert 'name="host" value="partner:' in content
    assert response.context["activity"].host_display == "Aalto University"
    assert "CS-E4110" in content  # what they typed, to keep
    # Sent again from the page as it now stands, the courses are saved for Aalto.
    again = client.post(
        url, {"host": response.context["activity"].host_token, **management, **line}
    )
    assert again.status_code == 302
    assert versions(semester)[-1][1] == "Aalto University"
