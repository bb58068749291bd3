"""Recipient rules: who hears of each event, and only they."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from apps.applications.models import (
    ActivityValidation,
    ApplicationState,
    CourseLine,
    CoursePlanStatus,
    Transition,
)
from apps.applications.services import course_plan_send
from apps.notifications import events
from apps.notifications.models import Notification
from tests.applications.factories import CoursePlanFactory
from tests.applications.plan_helpers import add_activity
from tests.factories import CallFactory, UserFactory


def addresses(event_name: str) -> set[str]:
    return set(Notification.objects.filter(event=event_name).values_list("email", flat=True))


@pytest.fixture
def application(student):
    from apps.applications.models import Application

    add_activity(student)
    return Application.objects.create(student=student, call=CallFactory())


def transition_to(application, state, actor):
    return Transition.objects.create(
        application=application, actor=actor, from_state="draft", to_state=state
    )


@pytest.mark.django_db
def test_submission_reaches_the_dri_mailbox_and_opted_in_dri_users(application, student, settings):
    settings.DRI_MAILBOX = "dri-box@school.example"
    UserFactory(email="keen@school.example", role="dri", notify_new_applications=True)
    UserFactory(email="quiet@school.example", role="dri", notify_new_applications=False)
    UserFactory(email="dfi@school.example", role="dfi", notify_new_applications=True)
    events.announce_transition(transition_to(application, ApplicationState.SUBMITTED, student))
    assert addresses("application_submitted") == {"dri-box@school.example", "keen@school.example"}


@pytest.mark.django_db
def test_submission_without_mailbox_or_opt_in_reaches_every_dri_user(
    application, student, settings
):
    """A fresh installation (no DRI_MAILBOX, nobody opted in yet) told nobody at all."""
    settings.DRI_MAILBOX = ""
    UserFactory(email="one@school.example", role="dri", notify_new_applications=False)
    UserFactory(email="two@school.example", role="dri", notify_new_applications=False)
    UserFactory(email="gone@school.example", role="dri", is_active=False)
    UserFactory(email="dfi@school.example", role="dfi")
    events.announce_transition(transition_to(application, ApplicationState.SUBMITTED, student))
    assert addresses("application_submitted") == {"one@school.example", "two@school.example"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [
        ApplicationState.CHANGES_REQUESTED,
        ApplicationState.NOMINATED,
        ApplicationState.REFUSED,
        ApplicationState.ACCEPTED,
        ApplicationState.HOST_REFUSED,
        ApplicationState.COMPLETED,
    ],
)
def test_every_decision_reaches_the_student_only(application, student, dri, state):
    events.announce_transition(transition_to(application, state, dri))
    assert addresses("application_decision") == {student.email}
    assert Notification.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [ApplicationState.UNDER_REVIEW, ApplicationState.IN_MOBILITY],
)
def test_moves_that_ask_nothing_of_anyone_are_silent(application, dri, state):
    events.announce_transition(transition_to(application, state, dri))
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_a_student_withdrawing_a_submitted_application_tells_nobody(application, student):
    events.announce_transition(transition_to(application, ApplicationState.WITHDRAWN, student))
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_a_withdrawal_the_office_records_reaches_the_student(application, student, dri):
    from apps.notifications.rendering import render_message

    events.announce_transition(transition_to(application, ApplicationState.WITHDRAWN, dri))
    assert addresses("application_decision") == {student.email}
    assert Notification.objects.count() == 1
    # Not 'There is a decision on your application: Withdrawn': the student gave up.
    message = render_message(Notification.objects.get(), "en")
    said = (
        "The international relations office recorded that you withdrew your application "
        f"to {application.call}."
    )
    assert said in message.text
    assert "There is a decision" not in message.text


@pytest.mark.django_db
def test_a_recorded_return_asks_the_student_for_their_transcript_and_credits(
    application, student, dri
):
    from django.urls import reverse

    from apps.notifications.rendering import render_message

    events.announce_transition(transition_to(application, ApplicationState.RETURNED, dri))
    (notification,) = Notification.objects.all()
    assert (notification.event, notification.email) == ("return_recorded", student.email)
    assert notification.link == reverse("reviews:return_page", args=[application.pk])
    message = render_message(notification, "en")
    assert (
        message.subject == f"Back from mobility: your transcript and credits ({application.call})"
    )
    assert "Upload the host's transcript of records" in message.text


@pytest.mark.django_db
def test_course_plan_sent_reaches_the_students_advisor(student, advisor, other_advisor):
    activity = add_activity(student)
    course_plan = CoursePlanFactory(activity=activity)
    CourseLine.objects.create(
        course_plan=course_plan,
        code="C1",
        title="Networks",
        ects=6,
        semester="S1",
        home_requirement="RES101",
    )
    course_plan_send(course_plan)
    assert course_plan.status == CoursePlanStatus.PENDING
    assert addresses("course_plan_to_review") == {advisor.email}


@pytest.mark.django_db
@pytest.mark.parametrize("advisor_state", ["none", "closed"])
def test_a_course_plan_with_no_advisor_to_read_it_reaches_those_who_assign_one(
    student, advisor, dri, admin_user, settings, advisor_state
):
    """It waited for nobody: no advisor's queue listed it and no one was told."""
    from apps.notifications.rendering import render_message

    settings.DRI_MAILBOX = "dri-box@school.example"
    profile = student.student_profile
    if advisor_state == "none":
        profile.advisor = None
        profile.save()
    else:
        advisor.is_active = False  # the advisor left the school
        advisor.save(update_fields=["is_active"])
        profile.advisor = advisor
    course_plan = CoursePlanFactory(activity=add_activity(student), status="pending")
    events.announce_course_plan_sent(course_plan)
    assert addresses("course_plan_to_review") == set()
    assert addresses("course_plan_without_advisor") == {admin_user.email}
    notification = Notification.objects.filter(email=admin_user.email).get()
    assert notification.link == reverse("admin:accounts_studentprofile_change", args=[profile.pk])
    message = render_message(notification, "en")
    assert message.subject == f"No study advisor for {student}: their course plan waits"
    assert "has no active study advisor" in message.text


@pytest.mark.django_db
def test_course_plan_decided_reaches_the_student(student):
    course_plan = CoursePlanFactory(activity=add_activity(student))
    events.announce_course_plan_decided(course_plan)
    assert addresses("course_plan_decided") == {student.email}


@pytest.mark.django_db
def test_validation_request_reaches_dfi_and_dri(student, dri, dfi, advisor):
    activity = add_activity(
        student,
        kind="summer_stay",
        summer_type="summer_school",
        ects=None,
        start=date(2027, 7, 1),
        end=date(2027, 8, 15),
    )
    activity.validation_requested_at = timezone.now()
    events.announce_validation_requested(activity)
    assert addresses("validation_requested") == {dri.email, dfi.email}


@pytest.mark.django_db
def test_a_validation_request_links_to_the_stay_to_validate(client, student, dri, dfi, settings):
    """Every other request to act opens its own dossier; this one opened the whole queue, where
    the validator had to find the student again."""
    from apps.notifications.rendering import render_message
    from tests.applications.factories import login

    activity = add_activity(
        student,
        kind="summer_stay",
        summer_type="summer_school",
        ects=None,
        start=date(2027, 7, 1),
        end=date(2027, 8, 15),
    )
    activity.validation_requested_at = timezone.now()
    activity.save()
    events.announce_validation_requested(activity)
    page = reverse("reviews:validation_detail", args=[activity.pk])
    for notification in Notification.objects.filter(event="validation_requested"):
        assert notification.link == page
        message = render_message(notification, "en")
        assert f"Review the stay: {settings.SITE_URL}{page}" in message.text
        assert f'href="{settings.SITE_URL}{page}"' in message.html
        assert login(client, notification.recipient).get(page).status_code == 200


@pytest.mark.django_db
def test_validation_decision_reaches_the_student(student, dfi):
    activity = add_activity(student)
    validation = ActivityValidation.objects.create(
        activity=activity, body="DFI", approved=True, decided_by=dfi
    )
    events.announce_activity_validated(validation.pk, activity)
    assert addresses("activity_validated") == {student.email}


@pytest.mark.django_db
def test_inactive_advisor_is_not_written_to(student, advisor):
    advisor.is_active = False
    advisor.save()
    assert events.advisor_of(student) == []


@pytest.mark.django_db
def test_a_deactivated_user_gets_no_notification_at_all(application, student, dri, settings):
    settings.DRI_MAILBOX = "dri-box@school.example"
    student.is_active = False
    student.save()
    events.announce_transition(transition_to(application, ApplicationState.REFUSED, dri))
    events.announce_course_plan_decided(
        CoursePlanFactory(activity=student.mobility_plan.activities.get())
    )
    assert not Notification.objects.filter(recipient=student).exists()
    events.announce_transition(transition_to(application, ApplicationState.SUBMITTED, student))
    assert addresses("application_submitted") == {"dri-box@school.example"}


@pytest.mark.django_db
def test_a_nominated_student_withdrawing_tells_the_whole_office(student, dri, settings):
    from apps.applications.services import application_withdraw
    from tests.reviews.dri.builders import nominated

    settings.DRI_MAILBOX = "dri@school.example"
    busy = UserFactory(role="dri", email="busy@school.example", notify_new_applications=False)
    application = nominated(student)
    application_withdraw(actor=student, application=application)
    assert addresses("seat_given_up") == {"dri@school.example", dri.email, busy.email}
    subject = Notification.objects.filter(event="seat_given_up").first().subject
    assert str(student) in subject


@pytest.mark.django_db
def test_withdrawing_a_draft_tells_nobody(student, dri):
    from apps.applications.services import application_withdraw
    from tests.applications.factories import complete_application

    application_withdraw(actor=student, application=complete_application(student))
    assert not Notification.objects.filter(event="seat_given_up").exists()


@pytest.mark.django_db
def test_the_submissions_option_says_it_also_feeds_the_notifications_page(client, dri):
    client.force_login(dri)
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    assert "tell me of every submitted application (by e-mail and on my notifications page)" in (
        page.content.decode().lower()
    )


@pytest.mark.django_db
def test_without_any_administrator_the_office_hears_of_a_course_plan_without_advisor(
    student, dri, settings
):
    settings.DRI_MAILBOX = "dri-box@school.example"
    profile = student.student_profile
    profile.advisor = None
    profile.save()
    course_plan = CoursePlanFactory(activity=add_activity(student), status="pending")
    events.announce_course_plan_sent(course_plan)
    assert addresses("course_plan_without_advisor") == {"dri-box@school.example", dri.email}


@pytest.mark.django_db
def test_a_decision_names_its_state_inside_the_sentence(application, student, dri, advisor):
    """ "… : nominée." as the subject writes it, not "… : Nominée." after a colon."""
    from apps.notifications.rendering import render_message

    events.announce_transition(transition_to(application, ApplicationState.NOMINATED, dri))
    course_plan = CoursePlanFactory(
        activity=add_activity(student, host_name="Elsewhere"), status="approved"
    )
    events.announce_course_plan_decided(course_plan)
    decision, decided = Notification.objects.order_by("pk")
    with translation.override("fr"):
        nominated = str(ApplicationState.NOMINATED.label)
        approved = str(CoursePlanStatus.APPROVED.label)
    assert f": {nominated[0].lower()}{nominated[1:]}." in render_message(decision, "fr").text
    assert f": {approved[0].lower()}{approved[1:]}." in render_message(decided, "fr").text
