"""Erasure requests through the services: asking, cancelling, carrying out, refusing, with
every guard, the audit rows, and the races a second click or a second administrator make."""

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.applications.erasure import (
    erasure_request_cancel,
    erasure_request_carry_out,
    erasure_request_refuse,
    erasure_request_submit,
)
from apps.applications.errors import ServiceError
from apps.applications.models import (
    Application,
    ApplicationState,
    ErasureRequest,
    ErasureState,
    ErasureTransition,
)
from apps.applications.privacy import REDACTED
from apps.applications.services import application_start
from apps.notifications.models import Notification
from tests.applications.factories import free_start_in, semester_for
from tests.factories import CallFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def history(request: ErasureRequest) -> list[tuple[str, str, int, str]]:
    return [
        (t.from_state, t.to_state, t.actor_id, t.comment)
        for t in ErasureTransition.objects.filter(request=request)
    ]


def application_of(student: User, state: str) -> Application:
    return Application.objects.create(student=student, call=CallFactory(), state=state)


# --- asking ------------------------------------------------------------------------------


def test_a_student_asks_and_the_request_is_audited(student):
    request = erasure_request_submit(actor=student, reason="  I left the school.  ")
    assert (request.student, request.state, request.reason) == (
        student,
        ErasureState.PENDING,
        "I left the school.",
    )
    assert history(request) == [("", "pending", student.pk, "")]


def test_the_reason_is_optional(student):
    assert erasure_request_submit(actor=student).reason == ""


@pytest.mark.parametrize("state", ["completed", "withdrawn", "refused"])
def test_applications_in_a_final_state_do_not_stop_the_request(student, state):
    application_of(student, state)
    assert erasure_request_submit(actor=student).is_pending


@pytest.mark.parametrize(
    "state",
    [
        s
        for s in ApplicationState.values
        # A host's refusal is not the end: the office may nominate the student elsewhere.
        if s not in ("completed", "withdrawn", "refused")
    ],
)
def test_an_application_under_way_refuses_the_request_at_once(student, state):
    application_of(student, state)
    with pytest.raises(ServiceError, match="Withdraw it first, or wait until it ends"):
        erasure_request_submit(actor=student)
    assert not ErasureRequest.objects.exists()


def test_a_second_request_while_one_is_pending_is_refused(student):
    """A double click, or a second tab: one pending request at most."""
    erasure_request_submit(actor=student)
    with pytest.raises(ServiceError, match="already asked"):
        erasure_request_submit(actor=student)
    assert ErasureRequest.objects.count() == 1


def test_the_database_keeps_one_pending_request_even_past_the_check(student, monkeypatch):
    """Two submissions that both passed the check (where the lock cannot serialise them): the
    constraint refuses the second, with the same clear refusal."""
    from apps.applications import erasure

    erasure_request_submit(actor=student)
    monkeypatch.setattr(erasure, "has_pending_request", lambda student: False)
    with pytest.raises(ServiceError, match="already asked"):
        erasure_request_submit(actor=student)
    assert ErasureRequest.objects.filter(student=student).count() == 1


def test_after_a_cancellation_or_a_refusal_the_student_may_ask_again(student, admin_user):
    first = erasure_request_submit(actor=student)
    erasure_request_cancel(actor=student, request=first)
    second = erasure_request_submit(actor=student)
    erasure_request_refuse(actor=admin_user, request=second, reason="Audit under way.")
    assert erasure_request_submit(actor=student).is_pending


@pytest.mark.parametrize("persona", ["advisor", "dri", "dfi", "admin_user"])
def test_only_a_student_asks(request, persona):
    with pytest.raises(ServiceError, match="Only a student"):
        erasure_request_submit(actor=request.getfixturevalue(persona))


def test_a_reason_too_long_is_refused(student):
    with pytest.raises(ServiceError, match="too long"):
        erasure_request_submit(actor=student, reason="x" * 2001)


# --- cancelling --------------------------------------------------------------------------


def test_the_student_cancels_their_pending_request(student):
    request = erasure_request_submit(actor=student)
    erasure_request_cancel(actor=student, request=request)
    request.refresh_from_db()
    assert request.state == ErasureState.CANCELLED and request.decided_at is not None
    assert history(request)[-1] == ("pending", "cancelled", student.pk, "")


def test_nobody_else_cancels_it(student, other_student, admin_user):
    request = erasure_request_submit(actor=student)
    for actor in (other_student, admin_user):
        with pytest.raises(ServiceError, match="Only the student who asked"):
            erasure_request_cancel(actor=actor, request=request)
    request.refresh_from_db()
    assert request.is_pending


def test_a_request_handled_since_cannot_be_cancelled(student, admin_user):
    request = erasure_request_submit(actor=student)
    erasure_request_refuse(actor=admin_user, request=request, reason="Not now.")
    with pytest.raises(ServiceError, match="refused already"):
        erasure_request_cancel(actor=student, request=request)  # the page's stale copy


def test_a_second_cancel_is_refused(student):
    request = erasure_request_submit(actor=student)
    erasure_request_cancel(actor=student, request=request)
    with pytest.raises(ServiceError, match="cancelled already"):
        erasure_request_cancel(actor=student, request=request)
    assert len(history(request)) == 2


# --- refusing ----------------------------------------------------------------------------


def test_an_administrator_refuses_with_a_reason(student, admin_user):
    request = erasure_request_submit(actor=student)
    erasure_request_refuse(actor=admin_user, request=request, reason=" Legal hold. ")
    request.refresh_from_db()
    assert request.state == ErasureState.REFUSED
    assert history(request)[-1] == ("pending", "refused", admin_user.pk, "Legal hold.")
    student.refresh_from_db()
    assert student.is_active and student.email == "student@example.org"


def test_a_refusal_needs_a_reason(student, admin_user):
    request = erasure_request_submit(actor=student)
    with pytest.raises(ServiceError, match="Give the reason"):
        erasure_request_refuse(actor=admin_user, request=request, reason="   ")
    request.refresh_from_db()
    assert request.is_pending


@pytest.mark.parametrize("persona", ["student", "advisor", "dri", "dfi"])
def test_only_an_administrator_refuses_or_carries_out(request, persona, student):
    erasure = erasure_request_submit(actor=student)
    actor = request.getfixturevalue(persona)
    with pytest.raises(ServiceError, match="Only an administrator"):
        erasure_request_refuse(actor=actor, request=erasure, reason="No.")
    with pytest.raises(ServiceError, match="Only an administrator"):
        erasure_request_carry_out(actor=actor, request=erasure)
    erasure.refresh_from_db()
    assert erasure.is_pending


def test_a_superuser_of_another_role_may_handle_requests(student):
    superuser = UserFactory(email="root@example.org", role="dri", is_superuser=True)
    request = erasure_request_submit(actor=student)
    erasure_request_refuse(actor=superuser, request=request, reason="Duplicate.")


# --- carrying out ------------------------------------------------------------------------


def test_carrying_out_anonymises_the_student_and_closes_the_account(student, admin_user):
    application_of(student, "completed")
    student.last_login = timezone.now()
    student.save(update_fields=["last_login"])
    request = erasure_request_submit(actor=student, reason="Please forget me, Jane Doe.")
    erasure_request_carry_out(actor=admin_user, request=request)
    request.refresh_from_db()
    student.refresh_from_db()
    assert request.state == ErasureState.ERASED and request.decided_at is not None
    assert not student.is_active and not student.has_usable_password()
    assert student.last_login is None  # when they last signed in, too
    assert student.email.endswith("@invalid.example") and not student.get_full_name()
    assert student.student_profile.student_number == f"ANON-{student.pk}"
    # The row names the student only through the user row; their words are redacted.
    assert request.student_id == student.pk and request.reason == REDACTED
    assert history(request) == [
        ("", "pending", student.pk, ""),
        ("pending", "erased", admin_user.pk, ""),
    ]
    # What is kept for statistics.
    assert Application.objects.get(student=student).state == "completed"


def test_erasure_redacts_earlier_refusals_and_forgets_what_administrators_were_told(
    student, admin_user
):
    refused = erasure_request_submit(actor=student, reason="First try.")
    erasure_request_refuse(actor=admin_user, request=refused, reason="Ask after your exams.")
    request = erasure_request_submit(actor=student)
    assert Notification.objects.filter(context__erasure_request__in=[refused.pk, request.pk])
    erasure_request_carry_out(actor=admin_user, request=request)
    assert list(
        ErasureTransition.objects.exclude(comment="").values_list("comment", flat=True)
    ) == [REDACTED]
    refused.refresh_from_db()
    assert refused.reason == REDACTED
    # Nothing left that named the student: only the e-mail telling them it is done.
    assert list(Notification.objects.values_list("event", flat=True)) == ["erasure_done"]


def test_a_host_refusal_since_the_request_stops_the_erasure(student, admin_user):
    """The office may still nominate the student to another of their choices (workflow.py):
    erased, they would be nominated with no name, no address and no account."""
    request = erasure_request_submit(actor=student)
    application_of(student, "host_refused")
    with pytest.raises(ServiceError, match="started an application since asking"):
        erasure_request_carry_out(actor=admin_user, request=request)
    request.refresh_from_db()
    assert request.is_pending


def test_an_application_started_since_the_request_stops_the_erasure(student, admin_user):
    request = erasure_request_submit(actor=student)
    application_of(student, "draft")
    with pytest.raises(ServiceError, match="started an application since asking"):
        erasure_request_carry_out(actor=admin_user, request=request)
    request.refresh_from_db()
    student.refresh_from_db()
    assert request.is_pending and student.is_active


def test_a_student_who_asked_for_erasure_cannot_apply_until_they_cancel(student):
    """Applying would put their name on a dossier the office works on, which stops the erasure
    they asked for: they are told to cancel the request first, and may then apply."""
    call = CallFactory()
    semester_for(student, start=free_start_in(student, call.academic_year))
    request = erasure_request_submit(actor=student)
    with pytest.raises(ServiceError, match="cancel that request first"):
        application_start(actor=student, call=call)
    assert not Application.objects.filter(student=student).exists()
    erasure_request_cancel(actor=student, request=request)
    assert application_start(actor=student, call=call).state == "draft"


def test_a_request_carried_out_twice_erases_once(student, admin_user, other_student):
    """Two administrators on the same page, or a second click: the second finds the request
    erased already (the row is locked and read again) and does nothing."""
    request = erasure_request_submit(actor=student)
    seen_by_both = ErasureRequest.objects.get(pk=request.pk)
    erasure_request_carry_out(actor=admin_user, request=request)
    second_admin = UserFactory(email="second.admin@example.org", role="admin")
    with pytest.raises(ServiceError, match="erased already"):
        erasure_request_carry_out(actor=second_admin, request=seen_by_both)
    assert len(history(request)) == 2
    assert Notification.objects.filter(event="erasure_done").count() == 1


def test_a_request_refused_meanwhile_is_not_carried_out(student, admin_user):
    request = erasure_request_submit(actor=student)
    seen = ErasureRequest.objects.get(pk=request.pk)
    erasure_request_refuse(actor=admin_user, request=request, reason="Legal hold.")
    with pytest.raises(ServiceError, match="refused already"):
        erasure_request_carry_out(actor=admin_user, request=seen)
    student.refresh_from_db()
    assert student.is_active


def test_a_request_cancelled_meanwhile_is_neither_carried_out_nor_refused(student, admin_user):
    request = erasure_request_submit(actor=student)
    seen = ErasureRequest.objects.get(pk=request.pk)
    erasure_request_cancel(actor=student, request=request)
    with pytest.raises(ServiceError, match="cancelled already"):
        erasure_request_carry_out(actor=admin_user, request=seen)
    with pytest.raises(ServiceError, match="cancelled already"):
        erasure_request_refuse(actor=admin_user, request=seen, reason="Too late.")
    student.refresh_from_db()
    assert student.is_active


# --- the Django admin --------------------------------------------------------------------


def test_the_admin_shows_requests_and_their_history_but_changes_nothing(
    client, student, admin_user
):
    from django.urls import reverse

    from tests.applications.factories import login

    request = erasure_request_submit(actor=student, reason="Leaving.")
    erasure_request_refuse(actor=admin_user, request=request, reason="Legal hold.")
    login(client, admin_user)
    assert client.get(reverse("admin:applications_erasurerequest_changelist")).status_code == 200
    change = reverse("admin:applications_erasurerequest_change", args=[request.pk])
    page = client.get(change)
    assert page.status_code == 200 and "Legal hold." in page.content.decode()
    assert client.post(change, {"state": "pending"}).status_code == 403
    add = reverse("admin:applications_erasurerequest_add")
    assert client.get(add).status_code == 403
    delete = reverse("admin:applications_erasurerequest_delete", args=[request.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    request.refresh_from_db()
    assert request.state == ErasureState.REFUSED


def test_erasure_forgets_the_sign_ins_kept_under_the_students_address(student, admin_user):
    """django-axes keeps each sign-in and failed attempt under the address typed, with the IP
    address and browser: the student's address must not outlive the erasure there."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    seen = {"username": "student@example.org", "ip_address": "10.1.2.3", "user_agent": "Firefox"}
    AccessLog.objects.create(**seen)
    AccessAttempt.objects.create(**seen, failures_since_start=1)
    AccessFailureLog.objects.create(**seen)
    AccessLog.objects.create(**{**seen, "username": "other.student@example.org"})
    request = erasure_request_submit(actor=student)
    erasure_request_carry_out(actor=admin_user, request=request)
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()
    assert list(AccessLog.objects.values_list("username", flat=True)) == [
        "other.student@example.org"
    ]


def test_erasure_redacts_the_admin_log_entries_that_name_the_student(
    student, other_student, admin_user
):
    """The Django admin's log keeps each changed object's name as it read then: "Jane Doe",
    "Jane Doe (S123)". What was done, and by whom, stays."""
    from django.contrib.admin.models import CHANGE, LogEntry

    student.first_name, student.last_name = "Jane", "Doe"
    student.save(update_fields=["first_name", "last_name"])
    for changed in (student, student.student_profile, other_student):
        LogEntry.objects.log_actions(
            admin_user.pk, [changed], CHANGE, change_message='[{"changed": {}}]'
        )
    request = erasure_request_submit(actor=student)
    erasure_request_carry_out(actor=admin_user, request=request)
    entries = LogEntry.objects.order_by("pk")
    assert [entry.object_repr for entry in entries] == [
        REDACTED,
        REDACTED,
        str(other_student),
    ]
    assert {(entry.user_id, entry.action_flag) for entry in entries} == {(admin_user.pk, CHANGE)}


def test_a_file_the_storage_fails_to_delete_leaves_the_others_deleted_and_the_e_mail_sent(
    student, admin_user, monkeypatch, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    """The erasure is committed when the files go: one the storage cannot delete (a permission,
    a network storage away) must not keep the student's other files on disk, nor their e-mail
    in the outbox, nor show the administrator a server error; it is logged by name."""
    from django.core.files.storage import FileSystemStorage

    from tests.applications.factories import DocumentFactory

    application = application_of(student, "completed")
    stuck, other = (
        DocumentFactory(application=application, kind=kind) for kind in ("cv", "transcript")
    )
    stuck_name, other_name = stuck.file.name, other.file.name
    storage = stuck.file.storage
    real_delete = FileSystemStorage.delete

    def delete(self, name):
        if name == stuck_name:
            raise PermissionError(13, "Permission denied", name)
        real_delete(self, name)

    monkeypatch.setattr(FileSystemStorage, "delete", delete)
    request = erasure_request_submit(actor=student)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request_carry_out(actor=admin_user, request=request)
    assert storage.exists(stuck_name) and not storage.exists(other_name)
    assert len(mailoutbox) == 1
    assert stuck_name in caplog.text
