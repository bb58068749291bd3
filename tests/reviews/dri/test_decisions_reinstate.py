"""The office undoes a withdrawal, recorded by mistake or given up by a student who changed
their mind: without it, a withdrawal was for good, and a nominated student lost the seat."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from apps.accounts.models import User
from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import (
    Activity,
    ActivityKind,
    ApplicationState,
    CoursePlanStatus,
    MobilityPlan,
)
from apps.applications.workflow import TransitionRefused
from apps.notifications.events import (
    APPLICATION_DECISION,
    APPLICATION_SUBMITTED,
    COURSE_PLAN_TO_REVIEW,
)
from apps.notifications.models import Notification
from apps.notifications.rendering import render_message
from apps.programmes.models import AgreementKind, Call
from apps.reviews.services.decisions import (
    application_nominate,
    application_reinstate,
    application_withdraw_for_student,
)
from apps.reviews.services.regulations import regulation_publish
from apps.reviews.services.seats import seat_counts
from tests.applications.factories import (
    ApplicationFactory,
    ChoiceFactory,
    draft_with_choice,
    messages_of,
)
from tests.factories import AgreementFactory, CallFactory
from tests.reviews.dri.builders import (
    decision_url,
    dossier_url,
    in_state,
    nominated,
    post_as,
    seen,
    state_of,
    submitted,
)
from tests.reviews.regulations.test_publish_races import figures

S = ApplicationState
WITHDRAWAL = "Her e-mail of 12 March: she stays in France."
REASON = "Recorded on the wrong dossier."

pytestmark = pytest.mark.django_db


def withdrawn_from(state, student, dri):
    application = in_state(submitted(student), state)
    if state in (S.NOMINATED, S.ACCEPTED, S.HOST_REFUSED):
        choice = application.choices.get()
        in_state(application, state, nominated_choice=choice)
        with transaction.atomic():
            services.activity_follow_nomination(choice)  # the stay moved there, as nominating does
    return application_withdraw_for_student(actor=dri, application=application, reason=WITHDRAWAL)


def data(application, reason=REASON):
    return seen(application, "reinstate", reason=reason)


def test_a_nominated_student_gets_the_seat_back_and_is_told(client, dri, student):
    application = application_withdraw_for_student(
        actor=dri, application=nominated(student), reason=WITHDRAWAL
    )
    agreement = application.nominated_choice.agreement
    free = seat_counts(application.call, [agreement.pk])[agreement.pk].available

    response = post_as(client, dri, decision_url("reinstate", application), data(application))

    assert response.status_code == 302 and response.url == dossier_url(application)
    assert state_of(application) == S.NOMINATED
    transition = application.history.last()
    assert (transition.actor, transition.from_state, transition.to_state, transition.comment) == (
        dri,
        S.WITHDRAWN,
        S.NOMINATED,
        REASON,
    )
    assert seat_counts(application.call, [agreement.pk])[agreement.pk].available == free - 1
    told = Notification.objects.get(
        event=APPLICATION_DECISION.name, recipient=student, key__contains=f":{transition.pk}:"
    )
    text = render_message(told, "en").text
    assert "undid the withdrawal" in text and "it is nominated again" in text and REASON in text
    assert "nominated" in messages_of(response)[-1]


@pytest.mark.parametrize(
    "state", [S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.ACCEPTED, S.HOST_REFUSED]
)
def test_back_to_the_state_it_was_withdrawn_from(client, dri, student, state):
    application = withdrawn_from(state, student, dri)
    client.force_login(dri)
    form = client.get(dossier_url(application)).context["decisions"]["reinstate"]
    assert form.back_to == state
    assert form.takes_a_seat_again == (state == S.ACCEPTED)
    application_reinstate(actor=dri, application=application, reason=REASON)
    assert state_of(application) == state


def test_a_student_who_withdrew_themselves_can_be_taken_back(dri, student):
    application = submitted(student)
    services.application_withdraw(actor=student, application=application)
    application.refresh_from_db()
    application_reinstate(actor=dri, application=application, reason="She changed her mind.")
    assert state_of(application) == S.SUBMITTED


def test_back_to_submitted_is_no_news_for_the_office(dri, student):
    application = withdrawn_from(S.SUBMITTED, student, dri)
    Notification.objects.all().delete()
    application_reinstate(actor=dri, application=application, reason=REASON)
    assert not Notification.objects.filter(event=APPLICATION_SUBMITTED.name).exists()
    assert Notification.objects.filter(event=APPLICATION_DECISION.name, recipient=student)


def test_not_while_the_seat_went_to_someone_else(dri, student, other_student, english):
    full = AgreementFactory(seats_per_year=1, kind=AgreementKind.EXCHANGE)
    application = submitted(student)
    choice = application.choices.get()
    choice.agreement = full
    choice.save()
    application = in_state(application, S.NOMINATED, nominated_choice=choice)
    application = application_withdraw_for_student(
        actor=dri, application=application, reason=WITHDRAWAL
    )
    rival = submitted(other_student, call=application.call)
    rival_choice = ChoiceFactory(application=rival, rank=2, agreement=full)
    application_nominate(actor=dri, application=rival, choice=rival_choice)

    with pytest.raises(ServiceError, match="no seat left"):
        application_reinstate(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.WITHDRAWN


def test_not_while_the_student_holds_another_seat_that_year(dri, student, english):
    application = application_withdraw_for_student(
        actor=dri, application=nominated(student), reason=WITHDRAWAL
    )
    # A nomination through a second call of the same academic year, for the same stay.
    later = ApplicationFactory(
        student=student, call=CallFactory(academic_year=application.call.academic_year)
    )
    choice = ChoiceFactory(application=later, rank=1, activity=application.choices.get().activity)
    in_state(later, S.NOMINATED, nominated_choice=choice)

    with pytest.raises(ServiceError, match="already nominated for this academic year"):
        application_reinstate(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.WITHDRAWN


def test_the_stay_follows_the_seat_again(dri, student):
    application = application_withdraw_for_student(
        actor=dri, application=nominated(student), reason=WITHDRAWAL
    )
    activity = application.nominated_choice.activity
    partner = application.nominated_choice.agreement.partner
    elsewhere = AgreementFactory(kind=AgreementKind.EXCHANGE).partner
    activity.partner = elsewhere
    activity.save()

    application_reinstate(actor=dri, application=application, reason=REASON)
    activity.refresh_from_db()
    assert activity.partner == partner


def test_not_once_the_student_removed_the_stay(dri, student, english):
    application = withdrawn_from(S.SUBMITTED, student, dri)
    for choice in application.choices.all():
        services.activity_delete(actor=student, activity=choice.activity)

    with pytest.raises(ServiceError, match="removed the stays"):
        application_reinstate(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.WITHDRAWN


def test_not_once_the_student_removed_the_stay_they_were_nominated_to(dri, student, english):
    application = application_withdraw_for_student(
        actor=dri, application=nominated(student), reason=WITHDRAWAL
    )
    services.activity_delete(actor=student, activity=application.nominated_choice.activity)
    application.refresh_from_db()

    with pytest.raises(ServiceError, match="removed the stay they were nominated to"):
        application_reinstate(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.WITHDRAWN


def test_a_draft_the_student_withdrew_is_theirs_to_start_again(client, dri, student):
    application = draft_with_choice(student)
    services.application_withdraw(actor=student, application=application)
    application.refresh_from_db()
    client.force_login(dri)
    assert "reinstate" not in client.get(dossier_url(application)).context["decisions"]
    with pytest.raises(TransitionRefused):
        application_reinstate(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.WITHDRAWN


@pytest.mark.parametrize("state", [S.SUBMITTED, S.NOMINATED, S.REFUSED, S.COMPLETED])
def test_only_a_withdrawn_application(client, dri, student, state):
    application = in_state(submitted(student), state)
    client.force_login(dri)
    assert "reinstate" not in client.get(dossier_url(application)).context["decisions"]
    with pytest.raises(TransitionRefused):
        application_reinstate(actor=dri, application=application, reason=REASON)
    assert state_of(application) == state


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_student_is_told_why(client, dri, student, reason):
    application = withdrawn_from(S.SUBMITTED, student, dri)
    response = post_as(
        client, dri, decision_url("reinstate", application), data(application, reason)
    )
    assert response.status_code == 400
    assert response.context["decisions"]["reinstate"].errors
    assert state_of(application) == S.WITHDRAWN


def test_a_page_from_before_the_last_change_is_read_first(client, dri, student):
    application = withdrawn_from(S.SUBMITTED, student, dri)
    stale = data(application)
    application_reinstate(actor=dri, application=application, reason=REASON)
    response = post_as(client, dri, decision_url("reinstate", application), stale)
    assert response.status_code == 409
    assert state_of(application) == S.SUBMITTED
    assert application.history.filter(from_state=S.WITHDRAWN).count() == 1


@pytest.mark.parametrize("persona", ["dfi", "advisor", "student"])
def test_only_the_office_undoes_a_withdrawal(request, dri, persona, student):
    application = withdrawn_from(S.SUBMITTED, student, dri)
    with pytest.raises(ServiceError):
        application_reinstate(
            actor=request.getfixturevalue(persona), application=application, reason=REASON
        )
    assert state_of(application) == S.WITHDRAWN


def test_not_once_the_calls_academic_year_is_over(client, dri, student, english):
    application = withdrawn_from(S.SUBMITTED, student, dri)
    # Withdrawn long ago: the call, and its stay, were for an academic year now over.
    Call.objects.filter(pk=application.call_id).update(academic_year=2020)
    Activity.objects.filter(choices__application=application).update(
        start=date(2020, 9, 1), end=date(2021, 1, 31)
    )
    application.refresh_from_db()

    response = post_as(client, dri, decision_url("reinstate", application), data(application))

    assert response.status_code == 400
    assert "2020–2021) is over" in " ".join(messages_of(response))
    assert state_of(application) == S.WITHDRAWN


def test_not_for_a_student_whose_account_is_closed(dri, student, english):
    application = application_withdraw_for_student(
        actor=dri, application=nominated(student), reason=WITHDRAWAL
    )
    User.objects.filter(pk=student.pk).update(is_active=False)

    with pytest.raises(ServiceError, match="account is closed"):
        application_reinstate(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.WITHDRAWN
    agreement_id = application.nominated_choice.agreement_id
    assert seat_counts(application.call, [agreement_id])[agreement_id].taken_earlier == 0


def test_not_once_the_student_moved_the_stay_to_another_year(dri, student, english):
    application = application_withdraw_for_student(
        actor=dri, application=nominated(student), reason=WITHDRAWAL
    )
    activity = application.nominated_choice.activity
    # Free to change once withdrawn: the stay is now a year later.
    services.activity_update(
        actor=student,
        activity=activity,
        fields={
            **{name: getattr(activity, name) for name in services.ACTIVITY_FIELDS},
            "start": activity.start.replace(year=activity.start.year + 1),
            "end": activity.end.replace(year=activity.end.year + 1),
        },
    )

    with pytest.raises(ServiceError, match="moved this stay to"):
        application_reinstate(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.WITHDRAWN


def test_not_once_the_student_made_the_stay_another_kind(dri, student, english):
    application = withdrawn_from(S.SUBMITTED, student, dri)
    choice = application.choices.get()
    choice.agreement = AgreementFactory(kind=AgreementKind.EXCHANGE)
    choice.save()
    Activity.objects.filter(pk=choice.activity_id).update(kind=ActivityKind.SUMMER_STAY)

    with pytest.raises(ServiceError, match="only study stays"):
        application_reinstate(actor=dri, application=application, reason=REASON)
    assert state_of(application) == S.WITHDRAWN


COURSES = [
    {
        "code": "IN201",
        "title": "Distributed systems",
        "ects": Decimal(6),
        "semester": "Fall",
        "home_requirement": "Electives",
    }
]


@pytest.mark.parametrize("back_to", [S.SUBMITTED, S.NOMINATED])
def test_the_course_plan_written_meanwhile_reaches_the_advisor(dri, student, advisor, back_to):
    application = withdrawn_from(back_to, student, dri)
    activity = application.choices.get().activity
    # Written while no application wanted the stay: kept as the student's draft, unannounced.
    services.course_plan_replace_lines(actor=student, activity=activity, lines=COURSES)
    Notification.objects.all().delete()

    application_reinstate(actor=dri, application=application, reason=REASON)

    course_plan = activity.course_plans.order_by("-version").first()
    assert course_plan.status == CoursePlanStatus.PENDING
    assert (
        Notification.objects.filter(event=COURSE_PLAN_TO_REVIEW.name, recipient=advisor).count()
        == 1
    )


def test_a_version_sent_meanwhile_is_announced_once(dri, student, advisor):
    application = submitted(student)
    activity = application.choices.get().activity
    services.course_plan_replace_lines(actor=student, activity=activity, lines=COURSES)
    application = application_withdraw_for_student(
        actor=dri, application=application, reason=WITHDRAWAL
    )
    # A new version of a plan the advisor had: sent, but nobody told while withdrawn.
    services.course_plan_replace_lines(
        actor=student, activity=activity, lines=[{**COURSES[0], "code": "IN202"}]
    )
    Notification.objects.all().delete()

    application_reinstate(actor=dri, application=application, reason=REASON)

    latest = activity.course_plans.order_by("-version").first()
    told = Notification.objects.filter(event=COURSE_PLAN_TO_REVIEW.name, recipient=advisor)
    assert [notification.key.split(":")[2] for notification in told] == [str(latest.pk)]


def test_the_plan_goes_back_to_the_version_it_was_submitted_under(dri, student):
    application = withdrawn_from(S.SUBMITTED, student, dri)
    assert application.snapshot["plan"]["regulation"] == "2024"
    # Published while withdrawn: the plan, with nothing under way, followed it.
    regulation_publish(
        actor=dri, name="2025", figures=figures(semester_minimum_ects=35), note="x", based_on="2024"
    )
    plan = MobilityPlan.objects.get(student=student)
    assert plan.regulation == "2025"
    # Its 30 ECTS fall short of 2025's 35 (as the re-check after the publication stores it).
    services.plan_recheck(plan)
    assert MobilityPlan.objects.get(pk=plan.pk).error_count

    application_reinstate(actor=dri, application=application, reason=REASON)

    plan.refresh_from_db()
    assert plan.regulation == "2024"
    assert plan.error_count == 0  # checked anew under it


def test_another_application_under_way_keeps_the_plan_at_its_version(dri, student):
    application = withdrawn_from(S.SUBMITTED, student, dri)
    regulation_publish(
        actor=dri, name="2025", figures=figures(semester_minimum_ects=30), note="x", based_on="2024"
    )
    # Under way through another call since: it holds the plan at 2025.
    later = ApplicationFactory(
        student=student, call=CallFactory(academic_year=application.call.academic_year)
    )
    ChoiceFactory(application=later, rank=1, activity=application.choices.get().activity)
    in_state(later, S.UNDER_REVIEW)

    application_reinstate(actor=dri, application=application, reason=REASON)

    assert MobilityPlan.objects.get(student=student).regulation == "2025"
