"""Two staff decisions on one dossier at the same moment: exactly one applies; a course plan
saved twice at once is saved once."""

import os
import threading
from decimal import Decimal

import pytest
from django.db import connection

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import Activity, Application, ApplicationState, CoursePlan, Transition
from apps.applications.workflow import StaleDossier
from apps.reviews.services import decisions
from tests.applications.factories import complete_application, semester_for
from tests.applications.plan_helpers import SEMESTER
from tests.factories import UserFactory
from tests.reviews.advisor.builders import sent_course_plan
from tests.reviews.dri.builders import submitted

pytestmark = pytest.mark.skipif(
    os.environ.get("REQUIRE_SERVICES") != "1"
    and not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
    reason="row locks need PostgreSQL (set DATABASE_URL; CI always does)",
)


def race(*decisions_to_take):
    """Run each decision in its own thread and connection, released together."""
    barrier = threading.Barrier(len(decisions_to_take))
    outcomes: list[str] = [""] * len(decisions_to_take)

    def run(index, decide):
        try:
            barrier.wait(timeout=10)
            decide()
            outcomes[index] = "applied"
        except StaleDossier:
            outcomes[index] = "stale"
        except ServiceError:
            outcomes[index] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, decide))
        for index, decide in enumerate(decisions_to_take)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_nominate_and_refuse_at_once_exactly_one_wins(student, attempt):
    first = UserFactory(role="dri")
    second = UserFactory(role="dri")
    application = submitted(student)
    choice = application.choices.get()
    # Both reviewers opened the dossier while it was submitted.
    seen_by_first = Application.objects.get(pk=application.pk)
    seen_by_second = Application.objects.get(pk=application.pk)

    outcomes = race(
        lambda: decisions.application_nominate(
            actor=first, application=seen_by_first, choice=choice
        ),
        lambda: decisions.application_refuse(
            actor=second, application=seen_by_second, reason="No seat"
        ),
    )

    assert sorted(outcomes) == ["applied", "stale"]
    application.refresh_from_db()
    decided = Transition.objects.filter(application=application).exclude(
        to_state=ApplicationState.SUBMITTED
    )
    assert decided.count() == 1
    assert application.state == decided.get().to_state
    if application.state == ApplicationState.REFUSED:
        assert application.nominated_choice is None


COURSES = [
    {
        "code": "IN2010",
        "title": "Distributed Systems",
        "ects": Decimal(6),
        "semester": "Fall",
        "home_requirement": "Electives",
    }
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sent", [False, True], ids=["first save", "new version"])
def test_a_course_plan_saved_twice_at_once_is_saved_once(student, sent):
    """A double click on the course plan's Save (or two tabs): the second save waits for the
    first and finds the lines already saved, instead of making the same version again (a
    server error on the unique version number)."""
    activity = sent_course_plan(student).activity if sent else semester_for(student)
    versions_before = CoursePlan.objects.filter(activity=activity).count()

    def save():
        services.course_plan_replace_lines(
            actor=student, activity=Activity.objects.get(pk=activity.pk), lines=COURSES
        )

    assert race(save, save) == ["applied", "applied"]
    course_plans = CoursePlan.objects.filter(activity=activity)
    assert course_plans.count() == max(versions_before + sent, 1)
    assert [line.code for line in course_plans.order_by("-version").first().lines.all()] == [
        "IN2010"
    ]


@pytest.mark.django_db(transaction=True)
def test_an_activity_added_twice_at_once_is_added_once(student):
    """A double click on Add: the second waits for the first and finds the activity there."""
    plan = services.plan_for_student(student)

    def add():
        services.activity_create(actor=student, plan=plan, fields=dict(SEMESTER))

    assert sorted(race(add, add)) == ["applied", "refused"]
    assert Activity.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_an_activity_removed_while_its_draft_is_submitted(student, attempt):
    """Either the removal waits and is refused (the application is submitted with its
    choice), or the submission waits and finds no choice: never a submitted application
    without the stay it names."""
    application = complete_application(student)
    activity = application.choices.get().activity

    outcomes = race(
        lambda: services.application_submit(
            actor=student, application=Application.objects.get(pk=application.pk)
        ),
        lambda: services.activity_delete(
            actor=student, activity=Activity.objects.get(pk=activity.pk)
        ),
    )

    assert sorted(outcomes) == ["applied", "refused"]
    application.refresh_from_db()
    if application.state == ApplicationState.SUBMITTED:
        assert application.choices.filter(activity=activity).exists()
    else:
        assert not Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_an_erasure_carried_out_by_two_administrators_at_once_happens_once(student, attempt):
    from apps.applications.erasure import erasure_request_carry_out, erasure_request_submit
    from apps.applications.models import ErasureRequest, ErasureTransition
    from apps.notifications.models import Notification

    first = UserFactory(role="admin")
    second = UserFactory(role="admin")
    request = erasure_request_submit(actor=student)
    seen_by_first = ErasureRequest.objects.get(pk=request.pk)
    seen_by_second = ErasureRequest.objects.get(pk=request.pk)

    outcomes = race(
        lambda: erasure_request_carry_out(actor=first, request=seen_by_first),
        lambda: erasure_request_carry_out(actor=second, request=seen_by_second),
    )

    assert sorted(outcomes) == ["applied", "refused"]
    assert ErasureTransition.objects.filter(request=request, to_state="erased").count() == 1
    assert Notification.objects.filter(event="erasure_done").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_erasure_requests_sent_at_once_make_one(student, attempt):
    """A double click that reaches two workers: the student's row is locked, the second
    request sees the first's."""
    from apps.applications.erasure import erasure_request_submit
    from apps.applications.models import ErasureRequest

    outcomes = race(
        lambda: erasure_request_submit(actor=student),
        lambda: erasure_request_submit(actor=student),
    )

    assert sorted(outcomes) == ["applied", "refused"]
    assert ErasureRequest.objects.filter(student=student).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_application_started_while_the_erasure_is_carried_out_is_refused(student, monkeypatch):
    """The erasure has checked that nothing is under way and holds the student's row when the
    student (still signed in, another tab) starts an application: it waited on the row, then
    went in for an account erased and closed meanwhile."""
    from apps.applications import erasure
    from apps.applications.erasure import erasure_request_carry_out, erasure_request_submit
    from tests.factories import CallFactory

    administrator = UserFactory(role="admin")
    call = CallFactory()
    request = erasure_request_submit(actor=student)
    checked = threading.Event()
    real_anonymise = erasure.anonymise_student

    def anonymise_once_the_student_has_clicked(student):
        checked.set()
        threading.Event().wait(1)  # the student's start reaches the database meanwhile
        return real_anonymise(student)

    monkeypatch.setattr(erasure, "anonymise_student", anonymise_once_the_student_has_clicked)

    def start():
        checked.wait(timeout=10)
        services.application_start(actor=student, call=call)

    outcomes = race(lambda: erasure_request_carry_out(actor=administrator, request=request), start)

    assert outcomes == ["applied", "refused"]
    assert not Application.objects.filter(student=student).exists()


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_undone_while_the_erasure_is_carried_out_is_refused(student, monkeypatch):
    """The erasure found the application withdrawn (ended) and holds the student's row when a
    reviewer undoes the withdrawal: the undoing must wait for the erasure and find the account
    closed, not bring the dossier back under way for nobody (nor deadlock the two)."""
    from apps.applications import erasure
    from apps.applications.erasure import erasure_request_carry_out, erasure_request_submit

    administrator = UserFactory(role="admin")
    reviewer = UserFactory(role="dri")
    application = submitted(student)
    services.application_withdraw(actor=student, application=application)
    application.refresh_from_db()
    request = erasure_request_submit(actor=student)
    checked = threading.Event()
    real_anonymise = erasure.anonymise_student

    def anonymise_once_the_reviewer_has_clicked(student):
        checked.set()
        threading.Event().wait(1)  # the reviewer's undoing reaches the database meanwhile
        return real_anonymise(student)

    monkeypatch.setattr(erasure, "anonymise_student", anonymise_once_the_reviewer_has_clicked)

    def reinstate():
        checked.wait(timeout=10)
        decisions.application_reinstate(
            actor=reviewer, application=application, reason="Recorded by mistake."
        )

    outcomes = race(
        lambda: erasure_request_carry_out(actor=administrator, request=request), reinstate
    )

    assert outcomes == ["applied", "refused"]
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
