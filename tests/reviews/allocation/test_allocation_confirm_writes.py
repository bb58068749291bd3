"""Confirming an allocation writes its nominations together; what it writes is what nominating
each student from their dossier writes (`application_nominate`): the same history, the same
notifications, queued after the commit only, the stays moving to the host of their nomination
and their course plans following them, the plans checked again."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.applications import services
from apps.applications.models import (
    Activity,
    Application,
    CoursePlan,
    MobilityPlan,
    Transition,
)
from apps.applications.services import ACTIVITY_FIELDS
from apps.notifications import outbox
from apps.notifications.events import EVENTS
from apps.notifications.models import DeliveryStatus, Notification
from apps.notifications.rendering import subjects_in_every_language
from apps.reviews.services.allocation import allocation_confirm
from apps.reviews.services.decisions import application_nominate
from tests.applications.factories import ChoiceFactory, complete_application
from tests.applications.test_course_plan_host import COURSES
from tests.factories import (
    AgreementFactory,
    CallFactory,
    FiliereFactory,
    PartnerFactory,
    StudentProfileFactory,
)
from tests.reviews.allocation.builders import S, versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosts():
    munich = PartnerFactory(name="TU Munich", country="DE")
    aalto = PartnerFactory(name="Aalto University", country="FI")
    return {
        "call": CallFactory(academic_year=2027),
        "munich": munich,
        "aalto": aalto,
        "at_munich": AgreementFactory(partner=munich, seats_per_year=10),
        "at_aalto": AgreementFactory(partner=aalto, seats_per_year=10),
    }


def new_student(name: str, advisor):
    return StudentProfileFactory(
        user__email=f"{name}@example.org",
        filiere=FiliereFactory(code="info"),
        advisor=advisor,
    ).user


def moved_back_to_munich(hosts, student):
    """A submitted application whose semester, planned at Munich with courses written for it,
    moved to Aalto while a draft; it chooses Aalto first, then Munich. Returns the application
    and its Munich choice: nominated there, the stay goes back to Munich and the courses
    written for it come back, before the advisor."""
    application = complete_application(
        student, call=hosts["call"], partner=hosts["munich"], host_name=""
    )
    first = application.choices.get()
    semester = first.activity
    services.course_plan_replace_lines(actor=student, activity=semester, lines=COURSES)
    fields = {name: getattr(semester, name) for name in ACTIVITY_FIELDS}
    services.activity_update(
        actor=student, activity=semester, fields={**fields, "partner": hosts["aalto"]}
    )
    first.agreement = hosts["at_aalto"]
    first.save()
    second = ChoiceFactory(
        application=application, rank=2, activity=semester, agreement=hosts["at_munich"]
    )
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    return application, second


def moving_to_aalto(hosts, student):
    """A submitted application choosing its semester at Munich (courses written), then at
    Aalto; its Aalto choice: nominated there, the stay moves and its course plan starts again,
    empty, for Aalto."""
    application = complete_application(
        student, call=hosts["call"], partner=hosts["munich"], host_name=""
    )
    first = application.choices.get()
    first.agreement = hosts["at_munich"]
    first.save()
    second = ChoiceFactory(
        application=application, rank=2, activity=first.activity, agreement=hosts["at_aalto"]
    )
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    services.course_plan_replace_lines(actor=student, activity=first.activity, lines=COURSES)
    return application, second


def staying_at_munich(hosts, student):
    """A submitted application choosing its semester at Munich: nominated, nothing moves."""
    application = complete_application(
        student, call=hosts["call"], partner=hosts["munich"], host_name=""
    )
    choice = application.choices.get()
    choice.agreement = hosts["at_munich"]
    choice.save()
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    return application, choice


WORLDS = {
    "moved back to munich": moved_back_to_munich,
    "moving to aalto": moving_to_aalto,
    "staying at munich": staying_at_munich,
}


def outcome(application: Application, since: int) -> dict:
    """What a nomination left of the application, its stay, course plans, plan and the
    notifications written since the notification id `since`, without ids or names."""
    application = Application.objects.get(pk=application.pk)
    activity = Activity.objects.select_related("partner").get(
        pk=application.nominated_choice.activity_id
    )
    plan = MobilityPlan.objects.get(pk=activity.plan_id)
    notifications = Notification.objects.filter(pk__gt=since, context__isnull=False).order_by("pk")
    student = application.student
    mine = [
        notification
        for notification in notifications
        if notification.context.get("application") == application.pk
        or CoursePlan.objects.filter(
            pk=notification.context.get("course_plan"), activity=activity
        ).exists()
    ]
    return {
        "state": application.state,
        "nominated rank": application.nominated_choice.rank,
        "history": [
            (transition.actor.email, transition.from_state, transition.to_state)
            for transition in Transition.objects.filter(application=application)
            .filter(to_state=S.NOMINATED)
            .order_by("pk")
        ],
        "stay": (activity.partner.name if activity.partner else None, activity.host_name),
        "stay country": str(activity.country),
        "course plans": [
            (
                version.version,
                version.partner.name if version.partner else version.host_name,
                version.status,
                version.sent_at is not None,
                list(version.lines.order_by("code").values_list("code", "decision")),
            )
            for version in CoursePlan.objects.filter(activity=activity)
            .select_related("partner")
            .order_by("version")
        ],
        "verdict": (plan.compliant, plan.error_count, plan.qualifying_days),
        "notifications": [
            (
                notification.event,
                "student" if notification.recipient_id == student.pk else notification.email,
                notification.status,
                notification.queued_at,
            )
            for notification in mine
        ],
    }


def latest_notification_id() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("world", WORLDS)
def test_a_confirmation_writes_what_nominating_from_the_dossier_writes(hosts, dri, advisor, world):
    build = WORLDS[world]
    one, one_choice = build(hosts, new_student("one", advisor))
    other, other_choice = build(hosts, new_student("other", advisor))

    since = latest_notification_id()
    application_nominate(actor=dri, application=one, choice=one_choice)
    from_dossier = outcome(one, since)
    since = latest_notification_id()
    decisions = {other.pk: other_choice.pk}
    allocation_confirm(actor=dri, call=hosts["call"], decisions=decisions, seen=versions(decisions))
    confirmed = outcome(other, since)

    assert confirmed == from_dossier
    assert confirmed["history"] == [("dri@example.org", S.SUBMITTED, S.NOMINATED)]
    assert ("application_decision", "student", DeliveryStatus.PENDING, None) in (
        confirmed["notifications"]
    )


def test_the_stays_and_course_plans_follow_as_from_the_dossier(hosts, dri, advisor):
    back, back_choice = moved_back_to_munich(hosts, new_student("back", advisor))
    away, away_choice = moving_to_aalto(hosts, new_student("away", advisor))
    still, still_choice = staying_at_munich(hosts, new_student("still", advisor))
    since = latest_notification_id()

    decisions = {back.pk: back_choice.pk, away.pk: away_choice.pk, still.pk: still_choice.pk}
    allocation_confirm(actor=dri, call=hosts["call"], decisions=decisions, seen=versions(decisions))

    moved_back = outcome(back, since)
    assert moved_back["stay"] == ("TU Munich", "")
    assert moved_back["stay country"] == "DE"
    # The empty draft written for Aalto now holds the courses written for Munich, sent again.
    assert moved_back["course plans"] == [
        (1, "TU Munich", "draft", False, [("IN201", "pending")]),
        (2, "TU Munich", "pending", True, [("IN201", "pending")]),
    ]
    assert ("course_plan_to_review", "advisor@example.org", DeliveryStatus.PENDING, None) in (
        moved_back["notifications"]
    )
    moved_away = outcome(away, since)
    assert moved_away["stay"] == ("Aalto University", "")
    assert [version[:3] for version in moved_away["course plans"]] == [
        (1, "TU Munich", "pending"),
        (2, "Aalto University", "draft"),
    ]
    stayed = outcome(still, since)
    assert stayed["stay"] == ("TU Munich", "")
    assert stayed["course plans"] == [(1, "TU Munich", "draft", False, [])]


def test_the_notifications_name_what_they_would_name_loaded_afresh(hosts, dri, advisor):
    nominated = [
        build(hosts, new_student(name, advisor))
        for name, build in zip(("a", "b", "c"), WORLDS.values(), strict=True)
    ]
    nominated[1][0].student.language = "en"
    nominated[1][0].student.save()
    since = latest_notification_id()

    chosen = {application.pk: choice.pk for application, choice in nominated}
    allocation_confirm(actor=dri, call=hosts["call"], decisions=chosen, seen=versions(chosen))

    decisions = Notification.objects.filter(pk__gt=since, event="application_decision")
    assert sorted(notification.recipient_id for notification in decisions) == sorted(
        application.student_id for application, _choice in nominated
    )
    for notification in decisions:
        subjects = subjects_in_every_language(EVENTS[notification.event], notification.context)
        assert notification.subjects == subjects
        assert notification.subject == subjects[notification.language]
        transition = Transition.objects.get(pk=notification.context["transition"])
        assert notification.key == (
            f"application_decision:transition:{transition.pk}:{notification.email}"
        )
        assert transition.application_id == notification.context["application"]
        assert notification.link == f"/applications/{transition.application_id}/"


def test_nothing_is_handed_to_the_workers_before_the_commit(
    hosts, dri, advisor, monkeypatch, django_capture_on_commit_callbacks
):
    nominated = [
        build(hosts, new_student(name, advisor))
        for name, build in zip(("a", "b", "c"), WORLDS.values(), strict=True)
    ]
    since = latest_notification_id()
    mail.outbox.clear()
    handed = []
    dispatch = outbox.dispatch
    monkeypatch.setattr(outbox, "dispatch", lambda ids: handed.append(ids) or dispatch(ids))

    decisions = {application.pk: choice.pk for application, choice in nominated}
    seen = versions(decisions)
    with django_capture_on_commit_callbacks(execute=True):
        allocation_confirm(actor=dri, call=hosts["call"], decisions=decisions, seen=seen)
        written = Notification.objects.filter(pk__gt=since)
        assert written.count() >= 3
        assert not written.exclude(status=DeliveryStatus.PENDING).exists()
        assert not written.filter(queued_at__isnull=False).exists()
        assert (handed, mail.outbox) == ([], [])

    # Every row handed over after the commit; the decisions in one hand-over (the course plan
    # that came back before the advisor is queued with its own).
    assert sorted(pk for ids in handed for pk in ids) == sorted(
        written.values_list("pk", flat=True)
    )
    decisions = set(written.filter(event="application_decision").values_list("pk", flat=True))
    assert len(decisions) == 3
    assert decisions in [set(ids) for ids in handed]
    assert not written.exclude(status=DeliveryStatus.SENT).exists()
    students = {application.student.email for application, _choice in nominated}
    assert students <= {address for message in mail.outbox for address in message.to}


def test_a_refused_nomination_writes_nothing_at_all(hosts, dri, advisor):
    fine, fine_choice = moving_to_aalto(hosts, new_student("fine", advisor))
    gone, gone_choice = staying_at_munich(hosts, new_student("gone", advisor))
    services.application_withdraw(actor=gone.student, application=gone)
    semester = Activity.objects.get(pk=fine_choice.activity_id)
    since = latest_notification_id()

    decisions = {fine.pk: fine_choice.pk, gone.pk: gone_choice.pk}
    seen = versions(decisions)
    with pytest.raises(services.ServiceError):
        allocation_confirm(actor=dri, call=hosts["call"], decisions=decisions, seen=seen)

    assert Activity.objects.get(pk=semester.pk).partner_id == hosts["munich"].pk
    assert list(CoursePlan.objects.filter(activity=semester).values_list("version")) == [(1,)]
    assert not Notification.objects.filter(pk__gt=since).exists()
    assert not Transition.objects.filter(to_state=S.NOMINATED).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_the_rows_are_locked_in_the_one_order(hosts, dri, advisor):
    """The agreements, then the students' applications of the year, then the plans of the stays
    that move (each set in id order): the order `application_nominate` takes them in."""
    placed = [
        build(hosts, new_student(name, advisor))
        for name, build in zip(("a", "b", "c"), WORLDS.values(), strict=True)
    ]
    decisions = {application.pk: choice.pk for application, choice in placed}
    seen = versions(decisions)
    with CaptureQueriesContext(connection) as queries:
        allocation_confirm(actor=dri, call=hosts["call"], decisions=decisions, seen=seen)
    locks = [
        query["sql"].split("FOR UPDATE OF ")[1].strip('"')
        for query in queries.captured_queries
        if "FOR UPDATE" in query["sql"]
    ]
    assert locks == [
        "programmes_agreement",
        "applications_application",
        "applications_mobilityplan",
    ]
    plans = next(
        query["sql"]
        for query in queries.captured_queries
        if 'FOR UPDATE OF "applications_mobilityplan"' in query["sql"]
    )
    assert 'ORDER BY "applications_mobilityplan"."id" ASC' in plans
