"""Lock order: activity_delete now locks the plan row and then deletes the activity row, while
activity_update / activity_validate lock the activity row and then update the plan row
(plan_recheck -> record_check). Concurrent on the same activity they deadlock."""

import os
import threading
import time
from unittest import mock

import pytest
from django.db import connection
from django.utils import translation

from apps.applications import services
from apps.applications.models import Activity
from tests.applications.plan_helpers import SEMESTER

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
    reason="row locks need PostgreSQL",
)


@pytest.mark.django_db(transaction=True)
def test_update_and_delete_of_one_activity_do_not_deadlock(student):
    plan = services.plan_for_student(student)
    activity = services.activity_create(actor=student, plan=plan, fields=dict(SEMESTER))
    locked_activity = threading.Event()
    go_on = threading.Event()
    errors: dict[str, BaseException] = {}
    real_normalise = services.normalise_activity

    def normalise(act):
        if threading.current_thread().name == "update":
            locked_activity.set()  # activity row is held (select_for_update in activity_update)
            go_on.wait(10)
        return real_normalise(act)

    def update():
        try:
            fields = dict(SEMESTER) | {"host_name": "Somewhere else"}
            services.activity_update(
                actor=student, activity=Activity.objects.get(pk=activity.pk), fields=fields
            )
        except BaseException as error:  # noqa: BLE001
            errors["update"] = error
        finally:
            connection.close()

    def delete():
        try:
            services.activity_delete(actor=student, activity=Activity.objects.get(pk=activity.pk))
        except BaseException as error:  # noqa: BLE001
            errors["delete"] = error
        finally:
            connection.close()

    with mock.patch.object(services, "normalise_activity", normalise):
        t1 = threading.Thread(target=update, name="update")
        t1.start()
        assert locked_activity.wait(10)
        t2 = threading.Thread(target=delete, name="delete")
        t2.start()
        time.sleep(1.5)  # delete holds the plan row, waits for the activity row
        go_on.set()
        t1.join(30)
        t2.join(30)
    assert not errors, {k: repr(v) for k, v in errors.items()}


@pytest.mark.django_db(transaction=True)
def test_an_activity_edited_while_its_draft_is_submitted_does_not_deadlock(student):
    """application_submit: application -> plan -> activity (course_plan_for);
    activity_update: activity -> plan (plan_recheck)."""
    from apps.applications.models import Application
    from tests.applications.factories import complete_application

    application = complete_application(student)
    activity = application.choices.get().activity
    locked_activity = threading.Event()
    go_on = threading.Event()
    errors: dict[str, BaseException] = {}
    real_normalise = services.normalise_activity

    def normalise(act):
        if threading.current_thread().name == "update":
            locked_activity.set()
            go_on.wait(10)
        return real_normalise(act)

    def update():
        try:
            stored = Activity.objects.get(pk=activity.pk)
            fields = {name: getattr(stored, name) for name in services.ACTIVITY_FIELDS}
            fields["host_name"] = (stored.host_name or "") + " (campus)"
            services.activity_update(actor=student, activity=stored, fields=fields)
        except BaseException as error:  # noqa: BLE001
            errors["update"] = error
        finally:
            connection.close()

    def submit():
        try:
            services.application_submit(
                actor=student, application=Application.objects.get(pk=application.pk)
            )
        except services.ServiceError:
            pass
        except BaseException as error:  # noqa: BLE001
            errors["submit"] = error
        finally:
            connection.close()

    with mock.patch.object(services, "normalise_activity", normalise):
        t1 = threading.Thread(target=update, name="update")
        t1.start()
        assert locked_activity.wait(10)
        t2 = threading.Thread(target=submit, name="submit")
        t2.start()
        time.sleep(1.5)
        go_on.set()
        t1.join(30)
        t2.join(30)
    assert not errors, {k: repr(v) for k, v in errors.items()}


@pytest.mark.django_db(transaction=True)
def test_a_stay_cannot_be_removed_while_its_withdrawn_application_comes_back(student, dri):
    """application_reinstate holds the application, then the plan; activity_delete waits for
    the plan and then sees the application under way again: refused, the choices kept."""
    from apps.applications.errors import ServiceError
    from apps.applications.models import Application, ApplicationState
    from apps.reviews.services import decisions
    from tests.reviews.dri.builders import submitted

    application = submitted(student)
    application = decisions.application_withdraw_for_student(
        actor=dri, application=application, reason="Her e-mail."
    )
    activity = application.choices.get().activity
    reinstating = threading.Event()
    go_on = threading.Event()
    errors: dict[str, BaseException] = {}
    real_move_back = decisions.move_back_from_withdrawal

    def move_back(*args, **kwargs):
        reinstating.set()
        go_on.wait(10)
        return real_move_back(*args, **kwargs)

    def reinstate():
        try:
            decisions.application_reinstate(
                actor=dri, application=Application.objects.get(pk=application.pk), reason="Mine."
            )
        except BaseException as error:  # noqa: BLE001
            errors["reinstate"] = error
        finally:
            connection.close()

    def delete():
        try:
            services.activity_delete(actor=student, activity=Activity.objects.get(pk=activity.pk))
        except BaseException as error:  # noqa: BLE001
            errors["delete"] = error
        finally:
            connection.close()

    with mock.patch.object(decisions, "move_back_from_withdrawal", move_back):
        t1 = threading.Thread(target=reinstate)
        t1.start()
        assert reinstating.wait(10)
        t2 = threading.Thread(target=delete)
        t2.start()
        time.sleep(1.5)
        go_on.set()
        t1.join(30)
        t2.join(30)
    assert "reinstate" not in errors, repr(errors.get("reinstate"))
    assert isinstance(errors.get("delete"), ServiceError), repr(errors.get("delete"))
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.choices.filter(activity=activity).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("other_choice", [False, True])
def test_a_nominated_stay_removed_while_its_withdrawal_is_undone_does_not_deadlock(
    student, dri, other_choice
):
    """activity_delete held the plan, then updated the withdrawn application nominated to the
    stay (its nomination goes with the choice); application_reinstate holds that application,
    then the plan: each waited for the other. The application comes first in both, and the
    reinstatement reads the nomination once it holds the application."""
    from apps.applications.errors import ServiceError
    from apps.applications.models import Application, ApplicationState
    from apps.reviews.services import decisions
    from tests.applications.factories import ChoiceFactory, semester_for
    from tests.reviews.dri.builders import nominated

    application = nominated(student)
    if other_choice:  # the application still names a stay once the nominated one is gone
        ChoiceFactory(application=application, rank=2, activity=semester_for(student))
    application = decisions.application_withdraw_for_student(
        actor=dri, application=application, reason="Her e-mail."
    )
    activity = application.nominated_choice.activity
    plan_held = threading.Event()
    application_held = threading.Event()
    errors: dict[str, BaseException] = {}
    real_blockers = services.activity_blockers
    real_lock_plan = decisions.lock_plan

    def blockers(*args, **kwargs):  # activity_delete, the plan's row held
        plan_held.set()
        application_held.wait(3)  # never set once the delete holds the application first
        return real_blockers(*args, **kwargs)

    def lock_plan(*args, **kwargs):  # application_reinstate, the application's row held
        application_held.set()
        return real_lock_plan(*args, **kwargs)

    def delete():
        try:
            services.activity_delete(actor=student, activity=Activity.objects.get(pk=activity.pk))
        except BaseException as error:  # noqa: BLE001
            errors["delete"] = error
        finally:
            connection.close()

    def reinstate():
        try:
            with translation.override("en"):
                decisions.application_reinstate(
                    actor=dri, application=Application.objects.get(pk=application.pk), reason="I"
                )
        except BaseException as error:  # noqa: BLE001
            errors["reinstate"] = error
        finally:
            connection.close()

    with (
        mock.patch.object(services, "activity_blockers", blockers),
        mock.patch.object(decisions, "lock_plan", lock_plan),
    ):
        t1 = threading.Thread(target=delete)
        t1.start()
        assert plan_held.wait(10)
        t2 = threading.Thread(target=reinstate)
        t2.start()
        t1.join(30)
        t2.join(30)
    # The removal came first: the stay is gone, and the withdrawal can no longer be undone.
    assert "delete" not in errors, repr(errors.get("delete"))
    assert isinstance(errors.get("reinstate"), ServiceError), repr(errors.get("reinstate"))
    # Its one stay gone, or the one it was nominated to.
    expected = "they were nominated to" if other_choice else "the stays this application named"
    assert expected in str(errors["reinstate"])
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert not Activity.objects.filter(pk=activity.pk).exists()
