"""A double click on "apply": the other request inserts the application just before this one
does. This one is refused like any second application, never a 500.

Both requests share the test's connection here, so the other click's row is rolled back with
the refused request's transaction: the tests look at the refusal, not at the rows left (on a
real server the other click's application is found, and opened as below).

A second click long after the first (Back to the list of calls, then Apply again) opens the
application the student already has, unless they withdrew it after submitting it."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from apps.applications import services
from apps.applications.errors import ServiceError
from apps.applications.models import Application, ApplicationState
from tests.applications.factories import free_start_in, login, messages_of, semester_for
from tests.factories import CallFactory
from tests.reviews.dri import builders

ALREADY = "You already have an application for this call."


@pytest.fixture
def call(student):
    """An open call, and a study stay of its academic year in the student's plan to apply for."""
    call = CallFactory(name="Exchange 2027")
    semester_for(student, start=free_start_in(student, call.academic_year))
    return call


@contextmanager
def other_click_applies_first(student, call):
    """Run the other request's insert just before the service inserts its application."""
    inserted = False

    def interleave(execute, sql, params, many, context):
        nonlocal inserted
        if not inserted and sql.startswith('INSERT INTO "applications_application"'):
            inserted = True
            Application.objects.create(student=student, call=call)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(interleave):
        yield
    assert inserted, "the service never inserted an application"


def test_service_turns_the_race_into_the_usual_refusal(student, call):
    with (
        translation.override("en"),
        other_click_applies_first(student, call),
        pytest.raises(ServiceError) as refused,
    ):
        services.application_start(actor=student, call=call)
    assert refused.value.reasons == [ALREADY]


def test_the_second_click_is_told_the_application_exists(client, student, call):
    login(client, student)
    with other_click_applies_first(student, call):
        response = client.post(reverse("applications:application_start", args=[call.pk]))
    assert response.url == reverse("applications:application_list")
    assert messages_of(response) == [ALREADY]


# Back to the list of calls, then Apply again: the application exists (no race).

HERE_IT_IS = "You already have an application for this call: here it is."


def apply_again(client, student, call):
    login(client, student)
    return client.post(reverse("applications:application_start", args=[call.pk]))


def test_applying_again_opens_the_draft(client, student, call):
    draft = services.application_start(actor=student, call=call)
    response = apply_again(client, student, call)
    assert response.url == reverse("applications:application_detail", args=[draft.pk])
    assert messages_of(response) == [HERE_IT_IS]
    page = client.get(response.url)
    assert page.status_code == 200
    assert HERE_IT_IS in page.content.decode()
    assert Application.objects.filter(student=student, call=call).count() == 1


def test_applying_again_opens_a_submitted_application_unchanged(client, student):
    application = builders.submitted(student)
    response = apply_again(client, student, application.call)
    assert response.url == reverse("applications:application_detail", args=[application.pk])
    assert messages_of(response) == [HERE_IT_IS]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_applying_again_after_withdrawing_a_submitted_one_says_why_not(client, student):
    application = builders.submitted(student)
    services.application_withdraw(actor=student, application=application)
    response = apply_again(client, student, application.call)
    assert response.url == reverse("applications:application_list")
    assert messages_of(response) == [
        "You withdrew your application to this call after submitting it: you cannot apply to "
        "this call again."
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
