"""A notification that asks its recipient to act stops asking once the thing is done, by them
or by someone else: it is no longer new (the bell's count drops), the list shows it done, and
nothing else is settled with it (another student's, another course plan's)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import StudentProfile
from apps.applications import services
from apps.applications.erasure import (
    erasure_request_cancel,
    erasure_request_refuse,
    erasure_request_submit,
)
from apps.applications.models import Activity, Application, ApplicationState
from apps.applications.workflow import as_seen, last_transition_id
from apps.notifications.delivery import deliver
from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.reminders import remind_closing_calls
from apps.programmes.models import AgreementKind
from apps.reviews.selectors_advisor import course_plans_to_review
from apps.reviews.services.course_plans import (
    course_line_decide,
    course_plans_announce_to_new_advisor,
)
from apps.reviews.services.decisions import (
    application_nominate,
    application_request_changes,
    application_take_for_review,
)
from apps.reviews.services.returns import (
    announce_when_recognition_is_due,
    course_plan_confirm_recognition,
)
from apps.reviews.services.undo import application_undo_nomination
from apps.reviews.services.validations import activity_request_validation, activity_validate
from tests.applications.factories import (
    ApplicationFactory,
    ChoiceFactory,
    CourseLineFactory,
    CoursePlanFactory,
    complete_application,
    login,
    semester_for,
)
from tests.factories import AgreementFactory, CallFactory, StudentProfileFactory, UserFactory
from tests.reviews.advisor.builders import (
    dossier_abroad,
    record_all,
    sent_course_plan,
    summer_stay,
    with_transcript,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def mailbox(settings):
    settings.DRI_MAILBOX = "dri-box@school.example"
    return UserFactory(email="keen@school.example", role="dri", notify_new_applications=True)


def rows(event, **filters):
    return Notification.objects.filter(event=event, **filters)


def settled(event, **filters) -> list[bool]:
    return [
        row.settled_at is not None and row.read_at is not None
        for row in rows(event, **filters).order_by("pk")
    ]


def submitted(student):
    return services.application_submit(actor=student, application=complete_application(student))


# --- the office: a submission ------------------------------------------------------------


def test_taking_a_submission_for_review_settles_it_for_the_whole_office(
    student, other_student, dri, mailbox
):
    mine, theirs = submitted(student), submitted(other_student)
    assert settled("application_submitted") == [False] * 4

    application_take_for_review(actor=dri, application=mine)

    assert settled("application_submitted", context__application=mine.pk) == [True, True]
    assert settled("application_submitted", context__application=theirs.pk) == [False, False]


def test_a_decision_straight_from_submitted_settles_it_too(student, dri, mailbox):
    application = submitted(student)
    application_request_changes(actor=dri, application=application, message="Add your B2.")
    assert settled("application_submitted") == [True, True]


def test_a_resubmission_is_settled_when_the_office_decides_again(student, dri, mailbox):
    application = submitted(student)
    application = application_request_changes(actor=dri, application=application, message="B2")
    application = services.application_submit(
        actor=student, application=application, message="Added."
    )
    assert settled("application_resubmitted") == [False] * 3
    application_take_for_review(actor=dri, application=application)
    assert settled("application_resubmitted") == [True] * 3


# --- the student: a request for changes ------------------------------------------------


def test_a_request_for_changes_is_settled_once_the_student_submits_again(
    student, other_student, dri
):
    mine = application_request_changes(actor=dri, application=submitted(student), message="B2")
    theirs = application_request_changes(
        actor=dri, application=submitted(other_student), message="B2"
    )
    assert settled("application_decision", recipient=student) == [False]

    services.application_submit(actor=student, application=mine, message="Added.")

    assert settled("application_decision", recipient=student) == [True]
    assert settled("application_decision", recipient=other_student) == [False]
    assert theirs.state == ApplicationState.CHANGES_REQUESTED


def test_a_decision_that_asks_nothing_is_never_settled(student, dri):
    application = application_take_for_review(actor=dri, application=submitted(student))
    application = application_nominate(
        actor=dri, application=application, choice=application.choices.get()
    )
    row = rows("application_decision", recipient=student).get()
    assert row.awaits == ""
    assert row.settled_at is None and row.read_at is None


# --- the advisor: a course plan to review, credits to recognise -----------------------------


def test_a_course_plan_is_settled_for_its_advisor_once_every_course_is_decided(
    student, other_student, advisor, other_advisor
):
    course_plan = sent_course_plan(student, lines=2)
    other = sent_course_plan(student, lines=1)
    theirs = sent_course_plan(other_student, lines=1)
    services.course_plans_before_the_advisor([course_plan.activity, other.activity])
    services.course_plans_before_the_advisor([theirs.activity])
    first, second = course_plan.lines.order_by("pk")

    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    assert settled("course_plan_to_review", context__course_plan=course_plan.pk) == [False]

    course_line_decide(actor=advisor, line=second, approve=False, comment="Syllabus?")
    assert settled("course_plan_to_review", context__course_plan=course_plan.pk) == [True]
    assert settled("course_plan_to_review", context__course_plan=other.pk) == [False]
    assert settled("course_plan_to_review", context__course_plan=theirs.pk) == [False]


def test_a_version_replaced_before_a_decision_asks_its_advisor_nothing_more(student, advisor):
    course_plan = sent_course_plan(student, lines=1)
    services.course_plans_before_the_advisor([course_plan.activity])
    services.course_plan_replace_lines(
        actor=student,
        activity=course_plan.activity,
        lines=[
            {
                "code": "NEW1",
                "title": "New course",
                "ects": 6,
                "semester": "Fall",
                "home_requirement": "Electives",
            }
        ],
    )
    old, new = rows("course_plan_to_review").order_by("pk")
    assert old.context["course_plan"] == course_plan.pk and old.settled_at is not None
    assert new.settled_at is None and new.read_at is None


def test_rejected_courses_are_settled_for_the_student_once_they_send_the_next_version(
    student, advisor
):
    course_plan = sent_course_plan(student, lines=2)
    first, second = course_plan.lines.order_by("pk")
    course_line_decide(actor=advisor, line=first, approve=True, comment="")
    course_line_decide(actor=advisor, line=second, approve=False, comment="Syllabus?")
    assert settled("course_plan_decided", recipient=student) == [False]

    services.course_plan_ask_again(actor=student, activity=course_plan.activity)

    assert settled("course_plan_decided", recipient=student) == [True]


def test_an_approved_course_plan_asks_the_student_nothing(student, advisor):
    course_plan = sent_course_plan(student, lines=1)
    course_line_decide(actor=advisor, line=course_plan.lines.get(), approve=True, comment="")
    row = rows("course_plan_decided", recipient=student).get()
    assert (row.awaits, row.settled_at) == ("", None)


def test_the_return_and_the_recognition_are_settled_as_each_side_acts(
    student, other_student, advisor, other_advisor
):
    application, course_plan = dossier_abroad(student, advisor)
    other_application, _other_plan = dossier_abroad(other_student, other_advisor)
    for dossier in (application, other_application):
        Notification.objects.create(
            key=f"return:{dossier.pk}",
            event="return_recorded",
            recipient=dossier.student,
            email=dossier.student.email,
            language="en",
            awaits=f"application:{dossier.pk}:return",
        )
    with_transcript(application)
    record_all(course_plan, obtained=4)
    announce_when_recognition_is_due(application)

    assert settled("return_recorded", recipient=student) == [True]
    assert settled("return_recorded", recipient=other_student) == [False]
    assert settled("credits_to_recognise", recipient=advisor) == [False]

    course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)
    assert settled("credits_to_recognise", recipient=advisor) == [True]


def test_a_completed_dossier_settles_its_return_notice_whatever_settled_it_before(student, advisor):
    """A notice of the return still asking once the recognition was announced (one written
    before notifications settled: the announcement that settles it had gone) is done once
    the dossier is completed."""
    application, course_plan = dossier_abroad(student, advisor)
    with_transcript(application)
    record_all(course_plan, obtained=4)
    announce_when_recognition_is_due(application)
    Notification.objects.create(
        key=f"return:{application.pk}",
        event="return_recorded",
        recipient=student,
        email=student.email,
        language="en",
        awaits=f"application:{application.pk}:return",
    )

    course_plan_confirm_recognition(actor=advisor, course_plan=course_plan)

    assert settled("return_recorded", recipient=student) == [True]


def test_a_course_plan_without_advisor_is_settled_once_one_is_assigned(
    student, advisor, admin_user
):
    StudentProfile.objects.filter(user=student).update(advisor=None)
    student.refresh_from_db()
    course_plan = sent_course_plan(student, lines=1)
    services.course_plans_before_the_advisor([course_plan.activity])
    assert settled("course_plan_without_advisor", recipient=admin_user) == [False]

    StudentProfile.objects.filter(user=student).update(advisor=advisor)
    student.refresh_from_db()
    course_plans_announce_to_new_advisor(student=student)

    assert settled("course_plan_without_advisor", recipient=admin_user) == [True]
    assert settled("course_plan_to_review", recipient=advisor) == [False]


# --- validation of a stay, erasure --------------------------------------------------------


def test_a_bodys_decision_settles_its_own_staffs_request_only(student, dfi, dri):
    stay = summer_stay(student)
    activity_request_validation(actor=student, activity=stay)
    activity_validate(actor=dfi, activity=stay, approved=True, comment="")
    assert settled("validation_requested", recipient=dfi) == [True]
    assert settled("validation_requested", recipient=dri) == [False]
    activity_validate(actor=dri, activity=stay, approved=True, comment="")
    assert settled("validation_requested", recipient=dri) == [True]


def test_an_erasure_request_is_settled_once_refused(student, other_student, admin_user):
    mine = erasure_request_submit(actor=student)
    erasure_request_submit(actor=other_student)
    erasure_request_refuse(actor=admin_user, request=mine, reason="Diploma being issued.")
    assert settled("erasure_requested", context__erasure_request=mine.pk) == [True]
    assert settled("erasure_requested", recipient=admin_user) == [True, False]


def test_an_erasure_request_the_student_cancels_is_settled(student, admin_user):
    request = erasure_request_submit(actor=student)
    erasure_request_cancel(actor=student, request=request)
    assert settled("erasure_requested", recipient=admin_user) == [True]


# --- a deadline reminder ------------------------------------------------------------------


def test_a_reminder_for_a_draft_submitted_since_is_settled_and_never_sent(
    student, other_student, mailoutbox
):
    today = timezone.localdate()
    call = CallFactory(closes_on=today + timedelta(days=7))
    mine = complete_application(student, call=call)
    Application.objects.create(student=other_student, call=call)
    remind_closing_calls(today)
    mine_row = rows("call_closing", recipient=student).get()
    theirs_row = rows("call_closing", recipient=other_student).get()

    services.application_submit(actor=student, application=mine)

    mine_row.refresh_from_db()
    theirs_row.refresh_from_db()
    assert mine_row.settled_at is not None and mine_row.status == DeliveryStatus.SKIPPED
    assert theirs_row.settled_at is None and theirs_row.status == DeliveryStatus.PENDING
    assert deliver(mine_row.pk) == "skipped"
    assert deliver(theirs_row.pk) == "sent"
    assert [message.to for message in mailoutbox] == [[other_student.email]]


def test_an_e_mail_that_tells_what_happened_still_goes_once_settled(student, dri, mailoutbox):
    application = submitted(student)
    application_take_for_review(actor=dri, application=application)
    row = rows("application_submitted", recipient=dri).get()
    assert row.status == DeliveryStatus.PENDING
    assert deliver(row.pk) == "sent"


# --- what the recipient sees ---------------------------------------------------------------


def test_the_bell_and_the_list_show_a_settled_notification_as_done(
    client, student, dri, django_assert_max_num_queries
):
    for _number in range(3):
        submitted(StudentProfileFactory().user)
    application = submitted(student)
    page = login(client, dri).get(reverse("notifications:list"))
    assert 'data-unread="4"' in page.content.decode()

    application_take_for_review(actor=dri, application=application)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("notifications:list"))
    content = page.content.decode()
    assert 'data-unread="3"' in content
    assert content.count(">Done</span>") == 1
    assert content.count(">New</span>") == 3
    row = rows("application_submitted", recipient=dri, context__application=application.pk).get()
    response = client.post(reverse("notifications:open", args=[row.pk]))
    assert response.url == reverse("reviews:dossier", args=[application.pk])


def test_settling_leaves_a_notification_already_read_as_read_then(student, dri):
    application = submitted(student)
    row = rows("application_submitted", recipient=dri).get()
    read_at = timezone.now() - timedelta(days=1)
    Notification.objects.filter(pk=row.pk).update(read_at=read_at)
    application_take_for_review(actor=dri, application=application)
    row.refresh_from_db()
    assert row.read_at == read_at and row.settled_at is not None


# --- a nomination: the other stays' course plans leave the advisor's queue ---------------------


def two_stays_before_the_advisor(student):
    """A submitted application choosing two stays, each with a course plan (one course) before
    the advisor, who was told of each; the first stay at the partner of its choice (nominated
    there, it stays where it is)."""
    application = complete_application(student)
    choice = application.choices.get()
    Activity.objects.filter(pk=choice.activity_id).update(partner=choice.agreement.partner)
    application = services.application_submit(actor=student, application=application)
    first = Activity.objects.get(pk=choice.activity_id)
    other = semester_for(student, start=first.end + timedelta(1))
    ChoiceFactory(application=application, rank=2, activity=other)
    CourseLineFactory(course_plan=first.course_plans.get())
    CourseLineFactory(course_plan=CoursePlanFactory(activity=other, version=1))
    services.course_plans_before_the_advisor([first, other])
    assert rows("course_plan_to_review").count() == 2
    return application, first.course_plans.get(), other.course_plans.get()


def seen_now(application):
    application.refresh_from_db()
    return as_seen(
        application, state=application.state, transition_id=last_transition_id(application)
    )


def test_a_nomination_settles_the_advisors_notices_of_the_stays_it_leaves_out(
    student, other_student, advisor, dri
):
    application, nominated_stay, left_out = two_stays_before_the_advisor(student)
    theirs = sent_course_plan(other_student, lines=1)
    services.course_plans_before_the_advisor([theirs.activity])

    application_nominate(actor=dri, application=application, choice=application.choices.get(rank=1))

    assert settled("course_plan_to_review", context__course_plan=left_out.pk) == [True]
    assert settled("course_plan_to_review", context__course_plan=nominated_stay.pk) == [False]
    assert settled("course_plan_to_review", context__course_plan=theirs.pk) == [False]
    # As the advisor's queue reads it now.
    queue = list(course_plans_to_review(advisor))
    assert nominated_stay in queue and left_out not in queue


def test_a_stay_another_application_still_wants_keeps_asking(student, advisor, dri):
    application, _nominated_stay, left_out = two_stays_before_the_advisor(student)
    elsewhere = ApplicationFactory(
        student=student, state=ApplicationState.SUBMITTED, call=CallFactory()
    )
    ChoiceFactory(application=elsewhere, rank=1, activity=left_out.activity)

    application_nominate(actor=dri, application=application, choice=application.choices.get(rank=1))

    assert settled("course_plan_to_review", context__course_plan=left_out.pk) == [False]


def test_an_undone_nomination_makes_the_notices_ask_again(student, advisor, dri):
    application, nominated_stay, left_out = two_stays_before_the_advisor(student)
    read_before = timezone.now() - timedelta(days=1)
    rows("course_plan_to_review", context__course_plan=nominated_stay.pk).update(
        read_at=read_before
    )
    application = application_nominate(
        actor=dri, application=application, choice=application.choices.get(rank=1)
    )
    assert settled("course_plan_to_review", context__course_plan=left_out.pk) == [True]

    application_undo_nomination(actor=dri, application=seen_now(application), reason="Wrong one.")

    row = rows("course_plan_to_review", context__course_plan=left_out.pk).get()
    # Before the advisor again: it asks, and is new again (settling had marked it read).
    assert (row.settled_at, row.read_at) == (None, None)
    assert left_out in course_plans_to_review(advisor)
    # Never settled, it keeps what the advisor read.
    kept = rows("course_plan_to_review", context__course_plan=nominated_stay.pk).get()
    assert (kept.settled_at, kept.read_at) == (None, read_before)
    assert rows("course_plan_to_review").count() == 2  # no second notice of the same version


def test_a_notice_read_before_it_was_settled_asks_again_as_read(student, advisor, dri):
    application, _nominated_stay, left_out = two_stays_before_the_advisor(student)
    read_before = timezone.now() - timedelta(days=1)
    notice = rows("course_plan_to_review", context__course_plan=left_out.pk)
    notice.update(read_at=read_before)
    application = application_nominate(
        actor=dri, application=application, choice=application.choices.get(rank=1)
    )
    assert [(row.settled_at is not None, row.read_at) for row in notice.all()] == [
        (True, read_before)
    ]
    application_undo_nomination(actor=dri, application=seen_now(application), reason="Wrong one.")
    assert [(row.settled_at, row.read_at) for row in notice.all()] == [(None, read_before)]


def test_a_nomination_that_moves_the_stay_settles_the_version_of_the_host_it_left(
    student, advisor, dri
):
    """Nominated to another partner for the same stay: the stay's course plan starts again
    for that host, and the version written for the host it left asks nothing more; undone,
    the version comes back for its host, before the advisor, who is told of it."""
    application = submitted(student)
    first = application.choices.get(rank=1)
    ChoiceFactory(
        application=application,
        rank=2,
        activity=first.activity,
        agreement=AgreementFactory(kind=AgreementKind.EXCHANGE),
    )
    version = first.activity.course_plans.get()
    CourseLineFactory(course_plan=version)
    services.course_plans_before_the_advisor([first.activity])
    assert settled("course_plan_to_review", context__course_plan=version.pk) == [False]

    application = application_nominate(
        actor=dri, application=application, choice=application.choices.get(rank=2)
    )

    assert settled("course_plan_to_review", context__course_plan=version.pk) == [True]

    application_undo_nomination(actor=dri, application=seen_now(application), reason="Wrong one.")

    back = first.activity.course_plans.order_by("-version").first()
    assert back.pk != version.pk and back.is_for_host_of(Activity.objects.get(pk=back.activity_id))
    assert settled("course_plan_to_review", context__course_plan=back.pk) == [False]
