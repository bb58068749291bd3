"""A publication that makes a student's plan fail the rules tells the student: once per
version, only those whose plan moved and met the rules, in their language, and at a constant
number of queries per re-check chunk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.applications import tasks
from apps.applications.models import ApplicationState, MobilityPlan, PlanRecheck
from apps.applications.services import plan_recheck
from apps.notifications.events import PLAN_NOW_FAILING
from apps.notifications.models import Notification
from tests.applications.factories import draft_with_choice, login, plan_for, semester_for
from tests.factories import StudentProfileFactory
from tests.reviews.regulations.test_publish import publish

pytestmark = pytest.mark.django_db

# Version 2025 asks 32 ECTS of an exchange semester, where 2024 asked 30.
STRICTER = {"semester_minimum_ects": 32, "note": "Semesters need 32 ECTS from 2025."}


def student_with_semester(ects: int, *, language: str = "fr", email: str | None = None):
    """A student whose plan (internship already validated) holds one semester, its verdict
    recorded as a save records it."""
    extra = {"user__email": email} if email else {}
    student = StudentProfileFactory(user__language=language, **extra).user
    semester_for(student, ects=ects)
    plan_recheck(MobilityPlan.objects.get(student=student))
    return student


def told() -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(event=PLAN_NOW_FAILING.name).values_list(
            "recipient__email", "language"
        )
    )


@pytest.fixture
def publish_2025(client, dri, django_capture_on_commit_callbacks):
    """The DRI publishes the stricter 2025; the re-check runs once it commits (eager Celery)."""

    def publish_it():
        with django_capture_on_commit_callbacks(execute=True):
            publish(login(client, dri), **STRICTER)

    return publish_it


@pytest.fixture
def cohort():
    """Who meets 2024 and who would meet 2025; one student keeps 2024 (an application under
    review)."""
    passing_fr = student_with_semester(30, email="fr@example.org")
    passing_en = student_with_semester(30, language="en", email="en@example.org")
    already_failing = student_with_semester(25, email="failing@example.org")
    still_passing = student_with_semester(32, email="still@example.org")
    keeper = StudentProfileFactory(user__email="keeper@example.org").user
    plan_for(keeper)
    application = draft_with_choice(keeper, ects=30)
    application.state = ApplicationState.UNDER_REVIEW
    application.save()
    plan_recheck(MobilityPlan.objects.get(student=keeper))
    verdicts = dict(MobilityPlan.objects.values_list("student__email", "compliant"))
    assert verdicts == {
        "fr@example.org": True,
        "en@example.org": True,
        "failing@example.org": False,
        "still@example.org": True,
        "keeper@example.org": True,
    }
    return {
        "passing_fr": passing_fr,
        "passing_en": passing_en,
        "already_failing": already_failing,
        "still_passing": still_passing,
        "keeper": keeper,
    }


def test_only_students_whose_moved_plan_started_failing_are_told(cohort, mailoutbox, publish_2025):
    publish_2025()

    assert told() == [("en@example.org", "en"), ("fr@example.org", "fr")]
    regulations = dict(MobilityPlan.objects.values_list("student__email", "regulation"))
    assert regulations["keeper@example.org"] == "2024"
    notification = Notification.objects.get(recipient=cohort["passing_en"])
    assert notification.link == reverse("applications:plan")
    assert notification.context == {"regulation": "2025"}
    assert notification.subject == "Regulations 2025: your mobility plan no longer meets them"
    assert PlanRecheck.objects.get().newly_failing == 2
    # Delivered by the outbox's own relay (eager Celery here), each in its reader's language.
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(mails) == ["en@example.org", "fr@example.org"]
    english = mails["en@example.org"]
    assert "published version 2025 of the mobility regulations" in english.body
    assert "What changes in this version: Semesters need 32 ECTS from 2025." in english.body
    assert "See your plan" in english.body
    assert reverse("applications:plan") in english.body
    french = mails["fr@example.org"]
    assert "Voir votre plan" in french.body and "See your plan" not in french.body
    assert '<html lang="fr">' in french.alternatives[0][0]


def test_the_in_portal_entry_leads_to_the_plan(client, cohort, publish_2025):
    publish_2025()
    student = cohort["passing_en"]
    notification = Notification.objects.get(recipient=student)
    login(client, student)
    content = client.get(reverse("notifications:list")).content.decode()
    assert "Regulations 2025: your mobility plan no longer meets them" in content
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302 and opened.url == reverse("applications:plan")


def test_checking_again_under_the_same_version_tells_nobody_twice(dri, cohort, publish_2025):
    publish_2025()
    assert len(told()) == 2
    PlanRecheck.objects.update(status="done")

    # A second run under 2025: the plans that started failing are failing now.
    again = PlanRecheck.objects.create(started_by=dri)
    tasks.plan_recheck_run(recheck_id=again.pk)
    again.refresh_from_db()
    assert (again.checked, again.newly_failing) == (5, 0)

    # A chunk checked again as if its verdicts had not been kept (a retried chunk): the
    # plans count again as starting to fail, but each student still has one notification.
    MobilityPlan.objects.filter(student__email__in=["fr@example.org", "en@example.org"]).update(
        compliant=True, error_count=0
    )
    retried = PlanRecheck.objects.create(started_by=dri)
    tasks.plan_recheck_run(recheck_id=retried.pk)
    retried.refresh_from_db()
    assert retried.newly_failing == 2
    assert told() == [("en@example.org", "en"), ("fr@example.org", "fr")]


def test_a_plan_under_a_built_in_version_tells_nobody(dri, cohort):
    """A re-check with no version published from the portal (a verdict gone stale under 2024):
    no publication to speak of."""
    MobilityPlan.objects.update(compliant=True, error_count=0)
    MobilityPlan.objects.filter(student=cohort["passing_fr"]).update(regulation="2024")
    run = PlanRecheck.objects.create(started_by=dri)
    tasks.plan_recheck_run(recheck_id=run.pk)
    run.refresh_from_db()
    assert run.newly_failing == 0
    assert told() == []


def test_a_plan_never_checked_has_no_verdict_to_lose(cohort, publish_2025):
    MobilityPlan.objects.filter(student=cohort["passing_fr"]).update(checked_at=None)
    publish_2025()
    assert told() == [("en@example.org", "en")]


def test_a_deactivated_student_is_not_told(cohort, publish_2025):
    cohort["passing_fr"].is_active = False
    cohort["passing_fr"].save()
    publish_2025()
    assert told() == [("en@example.org", "en")]


def run_queries(dri) -> int:
    run = PlanRecheck.objects.create(started_by=dri)
    with CaptureQueriesContext(connection) as queries:
        tasks.plan_recheck_run(recheck_id=run.pk)
    return len(queries)


def moved_to_2025(count: int) -> None:
    """`count` students whose plans met 2024 and were moved to a stricter 2025, unchecked."""
    from apps.rules.models import PublishedRegulation
    from apps.rules.versions import PARAMETERS, VERSIONS

    figures = {parameter: getattr(VERSIONS["2024"], parameter) for parameter in PARAMETERS}
    for _ in range(count):
        student_with_semester(30)
    PublishedRegulation.objects.get_or_create(
        name="2025",
        defaults={
            "figures": figures | {"semester_minimum_ects": 32},
            "note": "x",
            "published_by": StudentProfileFactory().user,
        },
    )
    MobilityPlan.objects.update(regulation="2025")


# Ids, start, the versions (once per run); per chunk: its savepoint, the plans with their
# profiles, their activities, the verdicts, the version told of, the notifications written and
# read back, the progress, the savepoint's release; done.
CHUNK_QUERIES = 9


@pytest.mark.parametrize("students", [1, 4])
def test_telling_costs_the_same_queries_for_one_student_or_many(dri, students):
    moved_to_2025(students)
    queries = run_queries(dri)
    assert Notification.objects.filter(event=PLAN_NOW_FAILING.name).count() == students
    assert queries == 3 + CHUNK_QUERIES + 1


def test_a_chunk_where_nobody_is_told_writes_no_notification(dri, monkeypatch):
    moved_to_2025(2)
    MobilityPlan.objects.update(compliant=False)  # already failing
    monkeypatch.setattr(tasks, "RECHECK_CHUNK", 1)
    assert run_queries(dri) == 3 + 2 * 6 + 1
    assert not Notification.objects.exists()


# --- the notice is done once the plan meets the rules again ---------------------------------


def notice_of(student) -> Notification:
    return Notification.objects.get(event=PLAN_NOW_FAILING.name, recipient=student)


def with_ects(student, ects: int) -> None:
    """The student's own save of their semester with `ects`, as the plan page saves it."""
    from apps.applications.services import ACTIVITY_FIELDS, activity_update

    activity = MobilityPlan.objects.get(student=student).activities.get()
    fields = {name: getattr(activity, name) for name in ACTIVITY_FIELDS} | {"ects": ects}
    activity_update(actor=student, activity=activity, fields=fields)


def test_a_save_that_makes_the_plan_meet_the_rules_again_settles_the_notice(cohort, publish_2025):
    publish_2025()
    fr, en = cohort["passing_fr"], cohort["passing_en"]
    assert notice_of(fr).awaits == f"student:{fr.pk}:plan_passes"

    with_ects(fr, 31)  # still short of 32: still asks
    assert notice_of(fr).settled_at is None

    with_ects(fr, 32)
    settled = notice_of(fr)
    assert settled.settled_at is not None and settled.read_at is not None
    assert MobilityPlan.objects.get(student=fr).compliant
    # Another student's notice still asks.
    assert notice_of(en).settled_at is None


def test_a_re_check_under_which_the_plan_meets_the_rules_again_settles_the_notice(
    dri, cohort, publish_2025
):
    """A plan that meets the rules again without the student's save (a version published
    since asks less, or the verdict was stale): the re-check settles the notice, in the
    statement of its chunk's verdicts plus one."""
    publish_2025()
    PlanRecheck.objects.update(status="done")
    fr = cohort["passing_fr"]
    # The semester holds 32 ECTS now, its verdict (errors) not yet checked again.
    MobilityPlan.objects.get(student=fr).activities.update(ects=32)

    queries = run_queries(dri)

    assert notice_of(fr).settled_at is not None
    assert notice_of(cohort["passing_en"]).settled_at is None
    # The run's queries as in a run that tells nobody, and the settling UPDATE.
    assert queries == 3 + 6 + 1 + 1


def test_a_check_of_a_plan_that_kept_meeting_the_rules_costs_no_settling_query(
    student, django_assert_num_queries
):
    semester_for(student, ects=30)
    plan = MobilityPlan.objects.get(student=student)
    plan_recheck(plan)
    assert plan.compliant
    plan = MobilityPlan.objects.select_related("student__student_profile").get(pk=plan.pk)
    # Its activities (with their partners), the verdict: no settling when nothing changed.
    with django_assert_num_queries(2):
        plan_recheck(plan)
