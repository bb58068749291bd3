"""An application withdrawn (by the student, or by the office for them), refused, or refused by
the host takes the course plans of its stays out of the advisor's queue, unless another live
application still wants them: the advisor's notices of them ask nothing more, as after a
nomination elsewhere. The application back (a withdrawal undone, a nomination after the host's
refusal) makes the same notices ask again; a nomination after the host's refusal undone leaves
them out again."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.applications import services
from apps.applications.models import Activity, ApplicationState
from apps.programmes.models import academic_year_of
from apps.reviews.selectors_advisor import course_plans_to_review
from apps.reviews.services.decisions import (
    application_nominate,
    application_record_host_decision,
    application_refuse,
    application_reinstate,
    application_withdraw_for_student,
)
from apps.reviews.services.undo import application_undo_nomination
from tests.applications.factories import ApplicationFactory, ChoiceFactory
from tests.factories import CallFactory
from tests.notifications.test_settling import (
    rows,
    seen_now,
    settled,
    two_stays_before_the_advisor,
)
from tests.reviews.advisor.builders import sent_course_plan

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def two_stays_of_the_calls_year(student):
    """`two_stays_before_the_advisor`, the second stay starting in the call's academic year
    (before the first when it would start after it), as undoing a withdrawal requires."""
    application, first, second = two_stays_before_the_advisor(student)
    stay = second.activity
    if academic_year_of(stay.start) != application.call.academic_year:
        start = first.activity.start - timedelta(days=(stay.end - stay.start).days + 1)
        Activity.objects.filter(pk=stay.pk).update(
            start=start, end=first.activity.start - timedelta(1)
        )
        assert academic_year_of(start) == application.call.academic_year
    return application, first, second


def notices_settled(*course_plans) -> list[list[bool]]:
    return [
        settled("course_plan_to_review", context__course_plan=course_plan.pk)
        for course_plan in course_plans
    ]


def student_withdraws(student, dri, application):
    services.application_withdraw(actor=student, application=application)


def office_withdraws(student, dri, application):
    application_withdraw_for_student(
        actor=dri, application=seen_now(application), reason="By e-mail."
    )


def office_refuses(student, dri, application):
    application_refuse(actor=dri, application=seen_now(application), reason="No seat left.")


def host_letter():
    return SimpleUploadedFile("letter.pdf", PDF_BYTES, content_type="application/pdf")


def host_refuses(dri, application):
    return application_record_host_decision(
        actor=dri, application=seen_now(application), accepted=False, letter=host_letter()
    )


@pytest.mark.parametrize("end", [student_withdraws, office_withdraws, office_refuses])
def test_an_ended_application_settles_the_advisors_notices_of_its_stays(
    student, other_student, advisor, dri, end
):
    application, first, second = two_stays_before_the_advisor(student)
    theirs = sent_course_plan(other_student, lines=1)
    services.course_plans_before_the_advisor([theirs.activity])

    end(student, dri, application)

    assert notices_settled(first, second, theirs) == [[True], [True], [False]]
    queue = list(course_plans_to_review(advisor))
    assert first not in queue and second not in queue


@pytest.mark.parametrize("end", [student_withdraws, office_withdraws, office_refuses])
def test_a_stay_another_live_application_wants_keeps_asking(student, advisor, dri, end):
    application, first, second = two_stays_before_the_advisor(student)
    elsewhere = ApplicationFactory(
        student=student, state=ApplicationState.SUBMITTED, call=CallFactory()
    )
    ChoiceFactory(application=elsewhere, rank=1, activity=second.activity)

    end(student, dri, application)

    assert notices_settled(first, second) == [[True], [False]]


@pytest.mark.parametrize("end", [student_withdraws, office_withdraws])
def test_a_withdrawal_undone_makes_the_same_notices_ask_again(student, advisor, dri, end):
    application, first, second = two_stays_of_the_calls_year(student)
    end(student, dri, application)
    assert notices_settled(first, second) == [[True], [True]]

    application_reinstate(actor=dri, application=seen_now(application), reason="Changed mind.")

    assert [
        (row.settled_at, row.read_at) for row in rows("course_plan_to_review").order_by("pk")
    ] == [(None, None), (None, None)]  # the same two notices, new again
    queue = list(course_plans_to_review(advisor))
    assert first in queue and second in queue


def test_a_withdrawal_after_a_nomination_settles_the_nominated_stay_and_undone_it_asks_again(
    student, advisor, dri
):
    application, nominated_stay, left_out = two_stays_of_the_calls_year(student)
    application = application_nominate(
        actor=dri, application=application, choice=application.choices.get(rank=1)
    )
    assert notices_settled(nominated_stay, left_out) == [[False], [True]]

    office_withdraws(student, dri, application)
    assert notices_settled(nominated_stay, left_out) == [[True], [True]]

    application_reinstate(actor=dri, application=seen_now(application), reason="Changed mind.")
    # Back to nominated: only the nominated stay is the advisor's again.
    assert notices_settled(nominated_stay, left_out) == [[False], [True]]


def test_the_hosts_refusal_settles_the_notice_of_the_nominated_stay(student, advisor, dri):
    application, nominated_stay, left_out = two_stays_before_the_advisor(student)
    application = application_nominate(
        actor=dri, application=application, choice=application.choices.get(rank=1)
    )

    host_refuses(dri, application)

    assert notices_settled(nominated_stay, left_out) == [[True], [True]]
    assert not {nominated_stay, left_out} & set(course_plans_to_review(advisor))


def test_the_hosts_acceptance_settles_nothing(student, advisor, dri):
    application, nominated_stay, left_out = two_stays_before_the_advisor(student)
    application = application_nominate(
        actor=dri, application=application, choice=application.choices.get(rank=1)
    )

    application_record_host_decision(
        actor=dri, application=seen_now(application), accepted=True, letter=host_letter()
    )

    assert notices_settled(nominated_stay, left_out) == [[False], [True]]


def test_a_nomination_after_the_hosts_refusal_brings_its_stay_back_and_undone_leaves_it_out(
    student, advisor, dri
):
    application, refused_stay, other_stay = two_stays_before_the_advisor(student)
    # The second stay at the partner of its choice: nominated there, it stays where it is.
    second = application.choices.get(rank=2)
    Activity.objects.filter(pk=second.activity_id).update(partner=second.agreement.partner)
    application = application_nominate(
        actor=dri, application=application, choice=application.choices.get(rank=1)
    )
    host_refuses(dri, application)

    application = application_nominate(
        actor=dri, application=seen_now(application), choice=application.choices.get(rank=2)
    )

    assert notices_settled(refused_stay, other_stay) == [[True], [False]]
    assert other_stay in course_plans_to_review(advisor)
    assert rows("course_plan_to_review").count() == 2  # the same notice, asking again

    application_undo_nomination(actor=dri, application=seen_now(application), reason="Wrong one.")

    assert seen_now(application).state == ApplicationState.HOST_REFUSED
    assert notices_settled(refused_stay, other_stay) == [[True], [True]]
    assert other_stay not in course_plans_to_review(advisor)
