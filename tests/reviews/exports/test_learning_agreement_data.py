"""Gathering a learning agreement: who may read it, which host, which versions, who signed."""

from decimal import Decimal

import pytest
from django.http import Http404

from apps.accounts.roles import Role
from apps.applications.models import CoursePlanStatus, LineDecision
from apps.applications.workflow import lock_as_seen, move_back_from_withdrawal
from apps.reviews.exports.learning_agreement import (
    DEFAULT_SCHOOL_HEI_ID,
    DEFAULT_SCHOOL_NAME,
    learning_agreement_for,
)
from apps.reviews.services.decisions import (
    application_nominate,
    application_withdraw_for_student,
)
from tests.applications.factories import ActivityFactory, ChoiceFactory, CourseLineFactory
from tests.factories import AgreementFactory, PartnerFactory, UserFactory
from tests.reviews.exports.builders import (
    HOST_COURSES,
    application_to,
    days_ago,
    host,
    host_accepts,
    host_decides,
    nominate,
    version,
)

pytestmark = pytest.mark.django_db


def gather(user, application, activity, number=None):
    return learning_agreement_for(
        user, application_pk=application.pk, activity_pk=activity.pk, version=number
    )


def test_student_host_period_and_courses(student, advisor):
    application, activity = application_to(student, host())
    version(activity, 1, advisor=advisor, decided=days_ago(10))

    agreement = gather(student, application, activity)

    assert agreement.student.person.email == "student@example.org"
    assert agreement.student.filiere == "Informatique"
    assert agreement.sending.name == DEFAULT_SCHOOL_NAME
    assert agreement.sending.hei_id == DEFAULT_SCHOOL_HEI_ID
    assert (agreement.receiving.name, agreement.receiving.hei_id) == (
        "Technische Universität Berlin",
        "tu-berlin.de",
    )
    assert agreement.receiving.country_code == "DE"
    assert set(agreement.host_languages) == {"de", "en"}
    assert agreement.language_requirement == "English B2"
    assert (agreement.start, agreement.end) == (activity.start, activity.end)
    assert [course.title for course in agreement.version.courses] == [
        course["title"] for course in HOST_COURSES
    ]
    assert agreement.version.total_ects == Decimal("18.5")
    assert agreement.version.total_obtained is None


def test_school_comes_from_the_settings(settings, student):
    settings.SCHOOL_NAME = "Télécom Paris"
    settings.SCHOOL_HEI_ID = "telecom-paris.fr"
    application, activity = application_to(student, host())
    version(activity, 1)

    agreement = gather(student, application, activity)

    assert (agreement.sending.name, agreement.sending.hei_id) == (
        "Télécom Paris",
        "telecom-paris.fr",
    )


def test_obtained_credits_are_totalled_once_known(student, advisor):
    application, activity = application_to(student, host())
    course_plan = version(activity, 1, advisor=advisor, decided=days_ago(10))
    course_plan.lines.filter(code="IN2010").update(ects_obtained=6)
    course_plan.lines.filter(code="MA1001").update(ects_obtained=Decimal("4.5"))

    assert gather(student, application, activity).version.total_obtained == Decimal("10.5")


def test_signatures_of_student_advisors_dri_and_host(student, advisor, other_advisor, dri):
    application, activity = application_to(student, host())
    course_plan = version(activity, 1, advisor=advisor, decided=days_ago(12), sent=days_ago(20))
    course_plan.lines.filter(code="EI3000").update(decided_by=other_advisor, decided_at=days_ago(9))
    nominate(application, dri, at=days_ago(5))
    host_accepts(application, dri, at=days_ago(2))

    agreement = gather(student, application, activity)

    v1 = agreement.version
    assert v1.student_signature.person.email == student.email
    assert v1.student_signature.at == course_plan.sent_at
    assert [s.person.email for s in v1.advisor_signatures] == [advisor.email, other_advisor.email]
    assert v1.sending_signature.person.email == other_advisor.email
    assert agreement.nomination.person.email == dri.email
    assert agreement.nomination.at.date() == days_ago(5).date()
    assert agreement.host_acceptance.at.date() == days_ago(2).date()


def test_a_version_awaiting_the_advisor_has_no_school_signature(student, advisor):
    application, activity = application_to(student, host())
    course_plan = version(activity, 1, advisor=advisor, decided=days_ago(3))
    course_plan.status = CoursePlanStatus.PENDING
    course_plan.save(update_fields=["status"])

    agreement = gather(student, application, activity)

    assert agreement.version.advisor_signatures
    assert agreement.version.sending_signature is None


def test_rejected_lines_are_printed_but_not_agreed(student, advisor):
    application, activity = application_to(student, host())
    course_plan = version(activity, 1, advisor=advisor, decided=days_ago(3))
    course_plan.lines.filter(code="EI3000").update(decision=LineDecision.REJECTED)

    v1 = gather(student, application, activity).version

    assert len(v1.courses) == 3
    assert [course.code for course in v1.agreed_courses] == ["IN2010", "MA1001"]


def test_versions_up_to_the_one_asked_for(student, advisor):
    application, activity = application_to(student, host())
    version(activity, 1, advisor=advisor, decided=days_ago(30))
    version(activity, 2, advisor=advisor, decided=days_ago(20))
    version(activity, 3)

    latest = gather(student, application, activity)
    second = gather(student, application, activity, 2)

    assert [v.number for v in latest.versions] == [1, 2, 3]
    assert latest.version.number == 3
    assert [v.number for v in second.versions] == [1, 2]
    assert second.version.number == 2


def test_before_nomination_the_host_is_the_best_ranked_choice(student):
    application, activity = application_to(student, host())
    second = AgreementFactory(partner=PartnerFactory(name="Second choice"))
    ChoiceFactory(application=application, rank=2, activity=activity, agreement=second)
    version(activity, 1)

    agreement = gather(student, application, activity)

    assert agreement.receiving.name == "Technische Universität Berlin"
    assert agreement.nomination is None


def test_after_nomination_the_host_is_the_nominated_one(student, dri):
    application, activity = application_to(student, host())
    second = AgreementFactory(partner=PartnerFactory(name="Second choice", hei_id="second.eu"))
    choice = ChoiceFactory(application=application, rank=2, activity=activity, agreement=second)
    version(activity, 1)

    application_nominate(actor=dri, application=application, choice=choice)

    agreement = gather(student, application, activity)

    assert (agreement.receiving.name, agreement.receiving.hei_id) == ("Second choice", "second.eu")
    assert agreement.nomination.person.email == dri.email


def test_nomination_to_another_activity_is_not_this_agreements(student, dri):
    application, activity = application_to(student, host())
    version(activity, 1)
    elsewhere = ChoiceFactory(
        application=application, rank=2, activity=ActivityFactory(plan=activity.plan)
    )

    application_nominate(actor=dri, application=application, choice=elsewhere)

    assert gather(student, application, activity).nomination is None


def test_a_host_refusal_ends_the_nomination(student, dri):
    application, activity = application_to(student, host())
    version(activity, 1)
    nominate(application, dri, at=days_ago(5))
    host_decides(application, dri, accepted=False)

    agreement = gather(student, application, activity)

    assert agreement.nomination is None
    assert agreement.host_acceptance is None


def test_host_outside_partnerships(student):
    application, activity = application_to(student, host())
    activity.partner = None
    activity.host_name = "Free Mover University"
    activity.country = "CA"
    activity.save()
    application.choices.update(agreement=None)
    version(activity, 1)

    agreement = gather(student, application, activity)

    assert (agreement.receiving.name, agreement.receiving.hei_id) == ("Free Mover University", "")
    assert agreement.receiving.country_code == "CA"
    assert agreement.host_languages == ()
    assert agreement.language_requirement == ""


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi", "admin_user"])
def test_advisor_and_staff_may_read_it(request, student, persona):
    application, activity = application_to(student, host())
    version(activity, 1)

    agreement = gather(request.getfixturevalue(persona), application, activity)

    assert agreement.student.person.email == student.email


@pytest.mark.parametrize("persona", ["other_student", "other_advisor"])
def test_others_get_404(request, student, persona):
    application, activity = application_to(student, host())
    version(activity, 1)

    with pytest.raises(Http404):
        gather(request.getfixturevalue(persona), application, activity)


def test_an_activity_the_application_did_not_choose_is_404(student):
    application, _activity = application_to(student, host())
    unchosen = ActivityFactory(plan=_activity.plan)
    version(unchosen, 1)

    with pytest.raises(Http404):
        gather(student, application, unchosen)


def test_another_students_activity_through_ones_own_application_is_404(student, other_student):
    application, activity = application_to(student, host())
    version(activity, 1)
    _theirs, their_activity = application_to(
        other_student, host(name="Universität Hamburg", hei_id="uni-hamburg.de")
    )
    version(their_activity, 1)

    with pytest.raises(Http404):
        gather(student, application, their_activity)


@pytest.mark.parametrize("number", [None, 2])
def test_missing_course_plan_or_version_is_404(student, number):
    application, activity = application_to(student, host())
    if number:
        version(activity, 1)

    with pytest.raises(Http404):
        gather(student, application, activity, number)


def test_query_count_does_not_grow_with_lines_versions_or_deciders(
    student, dri, django_assert_max_num_queries
):
    application, activity = application_to(student, host())
    for number in range(1, 6):
        advisor = UserFactory(role="advisor")
        course_plan = version(activity, number, advisor=advisor, decided=days_ago(40 - number))
        CourseLineFactory.create_batch(
            20, course_plan=course_plan, decided_by=UserFactory(role="advisor")
        )
    nominate(application, dri, at=days_ago(20))
    host_accepts(application, dri, at=days_ago(10))

    with django_assert_max_num_queries(7):
        agreement = gather(student, application, activity)

    assert len(agreement.versions) == 5
    assert len(agreement.version.courses) == 23


def test_an_undone_withdrawal_keeps_who_nominated_and_when_the_host_accepted(student, dri):
    application, activity = application_to(student, host())
    version(activity, 1)
    nominate(application, dri, at=days_ago(5))
    host_accepts(application, dri, at=days_ago(2))
    application = application_withdraw_for_student(
        actor=dri, application=application, reason="Her e-mail."
    )
    colleague = UserFactory(role=Role.DRI)
    # The office takes the application back to where it was: the host signed nothing new.
    move_back_from_withdrawal(
        lock_as_seen(application), actor=colleague, comment="Recorded on the wrong dossier."
    )

    agreement = gather(student, application, activity)

    assert agreement.nomination.person.email == dri.email
    assert agreement.nomination.at.date() == days_ago(5).date()
    assert agreement.host_acceptance.at.date() == days_ago(2).date()
    assert not agreement.withdrawn


def test_an_undone_withdrawal_keeps_who_nominated(student, dri):
    application, activity = application_to(student, host())
    version(activity, 1)
    nominate(application, dri, at=days_ago(5))
    application = application_withdraw_for_student(
        actor=dri, application=application, reason="Her e-mail."
    )
    move_back_from_withdrawal(
        lock_as_seen(application), actor=UserFactory(role=Role.DRI), comment="By mistake."
    )

    nomination = gather(student, application, activity).nomination

    assert (nomination.person.email, nomination.at.date()) == (dri.email, days_ago(5).date())
