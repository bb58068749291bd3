from decimal import Decimal

import pytest

from apps.applications import services
from apps.applications.models import CoursePlan, CoursePlanStatus, LineDecision
from apps.notifications.models import Notification
from tests.applications.plan_helpers import add_activity

LINES = [
    {
        "code": "IN101",
        "title": "Networks",
        "ects": Decimal("6"),
        "semester": "Fall",
        "home_requirement": "RES",
    },
    {
        "code": "IN102",
        "title": "Signals",
        "ects": Decimal("6"),
        "semester": "Fall",
        "home_requirement": "SIG",
    },
]


def sent_and_decided(student, advisor, decisions):
    """A course plan of a stay a submitted application chooses (the advisor is told only of
    those), sent and decided line by line."""
    from apps.applications.models import ApplicationState
    from tests.applications.factories import ApplicationFactory, ChoiceFactory

    activity = add_activity(student)
    application = ApplicationFactory(student=student, state=ApplicationState.SUBMITTED)
    ChoiceFactory(application=application, rank=1, activity=activity)
    course_plan = services.course_plan_replace_lines(actor=student, activity=activity, lines=LINES)
    services.course_plan_send(course_plan)
    for line, decision in zip(course_plan.lines.order_by("code"), decisions, strict=True):
        line.decision, line.decided_by = decision, advisor
        line.save()
    services.course_plan_settle_status(course_plan)
    return activity, course_plan


@pytest.mark.django_db
def test_a_draft_is_edited_in_place(student):
    activity = add_activity(student)
    first = services.course_plan_replace_lines(actor=student, activity=activity, lines=LINES)
    again = services.course_plan_replace_lines(actor=student, activity=activity, lines=LINES[:1])
    assert again.pk == first.pk and again.lines.count() == 1


@pytest.mark.django_db
def test_a_decided_version_is_never_changed_a_new_one_goes_to_the_advisor(student, advisor):
    approved = [LineDecision.APPROVED, LineDecision.APPROVED]
    activity, first = sent_and_decided(student, advisor, approved)
    assert first.status == CoursePlanStatus.APPROVED
    changed = [LINES[0], {**LINES[1], "ects": Decimal("5")}]
    second = services.course_plan_replace_lines(actor=student, activity=activity, lines=changed)
    assert second.version == 2 and second.status == CoursePlanStatus.PENDING
    decisions = dict(second.lines.values_list("code", "decision"))
    assert decisions == {"IN101": LineDecision.APPROVED, "IN102": LineDecision.PENDING}
    first.refresh_from_db()
    assert [line.ects for line in first.lines.order_by("code")] == [6, 6]
    assert Notification.objects.filter(event="course_plan_to_review").count() == 2


@pytest.mark.django_db
def test_dropping_the_rejected_course_settles_at_once(student, advisor):
    """The advisor approved every course left, knowing the one dropped was out."""
    activity, _ = sent_and_decided(student, advisor, [LineDecision.APPROVED, LineDecision.REJECTED])
    second = services.course_plan_replace_lines(actor=student, activity=activity, lines=LINES[:1])
    assert second.status == CoursePlanStatus.APPROVED
    assert CoursePlan.objects.filter(activity=activity).count() == 2


@pytest.mark.django_db
def test_dropping_an_approved_course_goes_back_to_the_advisor(student, advisor):
    """Carried as they were, the approvals would settle the version at once: approved in the
    advisor's name, whatever it now adds up to, without the advisor ever seeing it."""
    activity, _ = sent_and_decided(student, advisor, [LineDecision.APPROVED] * 2)
    second = services.course_plan_replace_lines(actor=student, activity=activity, lines=LINES[:1])
    assert (second.version, second.status) == (2, CoursePlanStatus.PENDING)
    assert list(second.lines.values_list("code", "decision")) == [("IN101", LineDecision.PENDING)]
    assert Notification.objects.filter(event="course_plan_to_review").count() == 2


@pytest.mark.django_db
def test_lines_written_after_the_application_was_submitted_go_to_the_advisor(student, advisor):
    from tests.applications.factories import complete_application

    application = complete_application(student)
    services.application_submit(actor=student, application=application)
    activity = application.choices.get(rank=1).activity
    CoursePlan.objects.filter(activity=activity).delete()  # submitted before any course plan
    course_plan = services.course_plan_replace_lines(actor=student, activity=activity, lines=LINES)
    course_plan.refresh_from_db()
    assert course_plan.status == CoursePlanStatus.PENDING
    assert course_plan.sent_at is not None
    assert Notification.objects.filter(event="course_plan_to_review", email=advisor.email).exists()


@pytest.mark.django_db
def test_a_draft_application_keeps_its_course_plan_a_draft(student):
    from tests.applications.factories import complete_application

    activity = complete_application(student).choices.get(rank=1).activity
    course_plan = services.course_plan_replace_lines(actor=student, activity=activity, lines=LINES)
    assert course_plan.status == CoursePlanStatus.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize("decision", [LineDecision.PENDING, LineDecision.APPROVED])
def test_a_sent_course_plan_cannot_become_an_empty_version(student, advisor, english, decision):
    """The advisor would be sent a version with nothing to approve, which never settles."""
    from apps.applications.errors import ServiceError

    activity, sent = sent_and_decided(student, advisor, [decision] * 2)
    with pytest.raises(ServiceError) as refused:
        services.course_plan_replace_lines(actor=student, activity=activity, lines=[])
    assert refused.value.reasons[0].startswith("Your advisor has this course plan")
    assert list(CoursePlan.objects.filter(activity=activity)) == [sent]


@pytest.mark.django_db
def test_a_draft_may_be_emptied(student):
    activity = add_activity(student)
    services.course_plan_replace_lines(actor=student, activity=activity, lines=LINES)
    emptied = services.course_plan_replace_lines(actor=student, activity=activity, lines=[])
    assert emptied.status == CoursePlanStatus.DRAFT and not emptied.lines.exists()


@pytest.mark.django_db
def test_the_dashboard_sends_the_student_to_the_courses_their_advisor_rejected(
    client, student, advisor, english
):
    from django.urls import reverse

    from apps.applications.selectors import rejected_courses
    from tests.applications.factories import login

    activity, course_plan = sent_and_decided(
        student, advisor, [LineDecision.APPROVED, LineDecision.REJECTED]
    )
    assert course_plan.status == CoursePlanStatus.CHANGES_REQUESTED
    named_by_a_submitted_application(student, activity)
    services.plan_update_student_facts(  # a plan without errors, which would come first
        actor=student,
        plan=activity.plan,
        engineering_internship_validated=True,
        full_year_internship_before_departure=False,
    )
    step = login(client, student).get(reverse("applications:dashboard")).context["step"]
    assert step.url == reverse("applications:course_plan_edit", args=[activity.pk])
    assert "rejected 1 course of your course plan" in step.text
    # Once a new version is saved, the latest version no longer has rejected lines.
    services.course_plan_replace_lines(
        actor=student, activity=activity, lines=[LINES[0], {**LINES[1], "code": "IN103"}]
    )
    assert rejected_courses(student) is None


def named_by_a_submitted_application(student, activity):
    from apps.applications.models import ApplicationState, Choice
    from tests.factories import CallFactory

    application = services.application_start(actor=student, call=CallFactory())
    Choice.objects.create(application=application, rank=1, activity=activity)
    type(application).objects.filter(pk=application.pk).update(state=ApplicationState.SUBMITTED)
    return application


@pytest.mark.django_db
def test_a_withdrawn_stay_s_rejected_courses_ask_nothing_more(student, advisor):
    from apps.applications.models import ApplicationState
    from apps.applications.selectors import rejected_courses

    activity, _course_plan = sent_and_decided(
        student, advisor, [LineDecision.APPROVED, LineDecision.REJECTED]
    )
    application = named_by_a_submitted_application(student, activity)
    assert rejected_courses(student).activity_pk == activity.pk
    # Every application naming the stay withdrawn (sent_and_decided's and this one).
    type(application).objects.filter(student=student).update(state=ApplicationState.WITHDRAWN)
    assert rejected_courses(student) is None


@pytest.mark.django_db
def test_the_rejected_courses_of_a_stay_nominated_elsewhere_ask_nothing_more(student, advisor):
    """Nominated to another of the application's choices: the advisor's queue leaves the
    first stay's course plan out, and so does the student's dashboard (it came before the
    nomination's own advice, sending the student to a course plan nobody reads)."""
    from apps.applications.models import ApplicationState
    from apps.applications.selectors import rejected_courses
    from tests.applications.factories import ChoiceFactory, semester_for

    activity, _course_plan = sent_and_decided(
        student, advisor, [LineDecision.APPROVED, LineDecision.REJECTED]
    )
    application = named_by_a_submitted_application(student, activity)
    type(application).objects.filter(student=student).exclude(pk=application.pk).update(
        state=ApplicationState.WITHDRAWN
    )
    other = ChoiceFactory(application=application, rank=2, activity=semester_for(student))
    type(application).objects.filter(pk=application.pk).update(
        state=ApplicationState.NOMINATED, nominated_choice=other
    )
    assert rejected_courses(student) is None
