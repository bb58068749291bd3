# ruff: noqa: F811  (the fixtures are imported from test_course_plan_host)
"""A course plan through its stay's moves between hosts: back and forth, a version left
pending before the advisor, the totals the office reads, and a save racing a nomination."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from apps.applications import selectors, services
from apps.applications.models import (
    Activity,
    AgreementKind,
    CoursePlan,
    CoursePlanStatus,
    LineDecision,
)
from apps.applications.services import ACTIVITY_FIELDS
from apps.reviews.selectors_advisor import course_plans_to_review
from apps.reviews.services.decisions import application_nominate
from tests.applications.factories import (
    ChoiceFactory,
    complete_application,
    draft_with_choice,
    login,
)
from tests.applications.test_course_plan_host import (  # noqa: F401 (fixtures)
    AALTO_COURSES,
    COURSES,
    at_munich,
    nominated_to_aalto,
    two_hosts,
    versions,
)
from tests.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def latest(activity: Activity) -> CoursePlan:
    return CoursePlan.objects.filter(activity=activity).order_by("-version").first()


# 1. Back at the first host with nothing written for the second one yet (the usual case: the
#    second host refused at once, the DRI nominates the first choice): the empty draft of the
#    second host is relabelled, and the first host's approved courses do not come back.
def test_back_at_the_first_host_before_any_course_for_the_second_brings_its_plan_back(
    student, advisor, nominated_to_aalto
):
    _application, first, _second, semester = nominated_to_aalto

    with transaction.atomic():
        services.activity_follow_nomination(first)

    semester.refresh_from_db()
    back = latest(semester)
    assert back.is_for_host_of(semester)
    assert back.status == CoursePlanStatus.APPROVED
    assert list(back.lines.values_list("code", "decision")) == [("IN201", LineDecision.APPROVED)]


def test_a_draft_stay_moved_away_and_back_keeps_the_courses_written_for_it(student):
    application = draft_with_choice(student, **at_munich())
    semester = application.choices.get().activity
    munich = semester.partner
    services.course_plan_replace_lines(actor=student, activity=semester, lines=COURSES)
    fields = {name: getattr(semester, name) for name in ACTIVITY_FIELDS}
    services.activity_update(
        actor=student,
        activity=semester,
        fields={**fields, "partner": PartnerFactory(name="Aalto University", country="FI")},
    )
    services.activity_update(actor=student, activity=semester, fields={**fields, "partner": munich})

    page_lines = selectors.course_lines(selectors.latest_course_plan(semester))
    assert [line.code for line in page_lines] == ["IN201"]


# 2. The advisor's page of the host left's version, still pending, offers to decide its lines
#    (the empty draft of the new host is not a "sent" version, so the page thinks it is the
#    latest); every decision is then refused as "replaced by a newer one".
def test_the_advisor_is_not_offered_to_decide_the_version_of_a_host_left(
    client, dri, advisor, two_hosts
):
    application, _first, second, pending = two_hosts  # v1 pending before the advisor
    application_nominate(actor=dri, application=application, choice=second)
    assert pending.pk not in set(course_plans_to_review(advisor).values_list("pk", flat=True))

    page = login(client, advisor).get(reverse("reviews:advisor_course_plan", args=[pending.pk]))

    assert page.context["is_latest"] is False
    assert page.context["can_decide"] is False


# 3. The application page (course_totals, by_student=False: the office, the advisor) shows the
#    stay's new host next to the ECTS total of the host left's courses, and so the learning
#    agreement link of a host with no course plan.
def test_the_office_reads_no_course_total_for_a_host_with_no_course_plan(dri, nominated_to_aalto):
    _application, _first, _second, semester = nominated_to_aalto
    semester = Activity.objects.select_related("plan", "partner").get(pk=semester.pk)

    [total] = selectors.course_totals([semester], by_student=False)

    assert total.activity.host_display == "Aalto University"
    assert total.total == Decimal(0)


# 4. Race: the student's save loads the activity before it takes the plan's lock; a
#    nomination that moves the stay meanwhile (holding that lock) leaves the save writing the
#    next version for the host the activity named before: the latest version is no longer the
#    one of the stay's host, with the other host's decisions carried onto it.
def test_a_save_racing_a_nomination_writes_its_version_for_the_stays_host(
    student, advisor, nominated_to_aalto
):
    _application, first, _second, semester = nominated_to_aalto
    services.course_plan_replace_lines(actor=student, activity=semester, lines=AALTO_COURSES)
    seen_by_the_save = Activity.objects.get(pk=semester.pk)  # loaded at Aalto by the view
    with transaction.atomic():  # the nomination to TU Munich commits first
        services.activity_follow_nomination(first)

    services.course_plan_replace_lines(
        actor=student,
        activity=seen_by_the_save,
        lines=[*COURSES, {**AALTO_COURSES[0], "code": "EXTRA1"}],
    )

    semester.refresh_from_db()
    assert latest(semester).is_for_host_of(semester)


# 5. Back at a host whose last version was a draft with courses (written while the application
#    was a draft), under an application that wants the stay: the restored draft is never sent
#    to the advisor, and saving it as it is changes nothing ("Nothing changed").
def test_a_draft_brought_back_under_a_live_application_reaches_the_advisor(student, dri, advisor):
    application = complete_application(student, **at_munich())
    first = application.choices.select_related("activity__partner").get()
    semester = first.activity
    munich = semester.partner
    first.agreement = AgreementFactory(partner=munich, kind=AgreementKind.EXCHANGE)
    first.save()
    aalto = PartnerFactory(name="Aalto University", country="FI")
    ChoiceFactory(
        application=application,
        rank=2,
        activity=semester,
        agreement=AgreementFactory(partner=aalto, kind=AgreementKind.EXCHANGE),
    )
    services.course_plan_replace_lines(actor=student, activity=semester, lines=COURSES)
    fields = {name: getattr(semester, name) for name in ACTIVITY_FIELDS}
    services.activity_update(actor=student, activity=semester, fields={**fields, "partner": aalto})
    services.course_plan_replace_lines(actor=student, activity=semester, lines=AALTO_COURSES)
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()

    application_nominate(actor=dri, application=application, choice=first)

    semester.refresh_from_db()
    back = latest(semester)
    assert back.is_for_host_of(semester) and back.lines.exists()
    assert back.status == CoursePlanStatus.PENDING
    assert back.pk in set(course_plans_to_review(advisor).values_list("pk", flat=True))
