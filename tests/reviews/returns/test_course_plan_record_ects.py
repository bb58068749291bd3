"""The student enters the ECTS obtained per course of the approved course plan."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from apps.applications.errors import ServiceError
from apps.applications.models import ApplicationState, CoursePlanStatus
from apps.reviews.services.returns import course_plan_record_ects
from tests.applications.factories import login, messages_of
from tests.reviews.advisor.builders import dossier_abroad, sent_course_plan


def return_url(application):
    return reverse("reviews:return_page", args=[application.pk])


def obtained(course_plan):
    return list(course_plan.lines.order_by("pk").values_list("ects_obtained", flat=True))


def form_data(course_plan, *values):
    return {
        f"line_{line.pk}": value
        for line, value in zip(course_plan.lines.order_by("pk"), values, strict=True)
    }


def test_owner_saves_the_credits_and_may_leave_some_for_later(client, student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    response = login(client, student).post(
        return_url(application), form_data(course_plan, "4.5", "")
    )
    assert response.url == return_url(application)
    assert messages_of(response) == ["The credits obtained are saved."]
    assert obtained(course_plan) == [Decimal("4.5"), None]
    page = client.get(return_url(application))
    assert page.context["credits"].missing == Decimal("1.5")


@pytest.mark.parametrize("value", ["-1", "many", "123.45", "50"])
def test_bad_value_is_a_form_error_and_nothing_is_saved(client, student, advisor, value):
    application, course_plan = dossier_abroad(student, advisor)
    response = login(client, student).post(
        return_url(application), form_data(course_plan, "6", value)
    )
    assert response.status_code == 400
    second = course_plan.lines.order_by("pk")[1]
    assert f"line_{second.pk}" in response.context["ects_form"].errors
    assert 'value="6"' in response.content.decode()  # what was typed is still there
    assert obtained(course_plan) == [None, None]
    # The refused box says so to assistive technology, and names its message.
    field = f"id_line_{second.pk}"
    assert f'aria-invalid="true" aria-describedby="{field}-error"' in response.content.decode()


def test_another_student_cannot_post(client, student, advisor, other_student):
    application, course_plan = dossier_abroad(student, advisor)
    response = login(client, other_student).post(
        return_url(application), form_data(course_plan, "6", "6")
    )
    assert response.status_code == 404
    assert obtained(course_plan) == [None, None]


def test_advisor_cannot_post(client, student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    response = login(client, advisor).post(
        return_url(application), form_data(course_plan, "6", "6")
    )
    assert response.status_code == 403
    assert obtained(course_plan) == [None, None]


def test_service_records_against_the_latest_approved_version(student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    # a later version still awaiting the advisor does not replace the approved one
    sent_course_plan(student, activity=course_plan.activity, version=2)
    lines = list(course_plan.lines.order_by("pk"))
    course_plan_record_ects(
        actor=student, application=application, ects_obtained={lines[0].pk: Decimal(6)}
    )
    assert obtained(course_plan) == [Decimal(6), None]


@pytest.mark.parametrize(
    "state",
    [ApplicationState.ACCEPTED, ApplicationState.COMPLETED, ApplicationState.SUBMITTED],
)
def test_service_refuses_outside_the_mobility(student, advisor, state):
    application, course_plan = dossier_abroad(student, advisor, state=state)
    line = course_plan.lines.first()
    with pytest.raises(ServiceError, match="the return is recorded during the mobility"):
        course_plan_record_ects(actor=student, application=application, ects_obtained={line.pk: 6})


def test_service_refuses_another_person(student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    line = course_plan.lines.first()
    with pytest.raises(ServiceError, match="Only the student"):
        course_plan_record_ects(actor=advisor, application=application, ects_obtained={line.pk: 6})


def test_service_refuses_a_line_of_another_course_plan(student, advisor):
    application, _course_plan = dossier_abroad(student, advisor)
    stranger = sent_course_plan(student, lines=1).lines.get()
    with pytest.raises(ServiceError, match="not part of your approved course plan"):
        course_plan_record_ects(
            actor=student, application=application, ects_obtained={stranger.pk: 6}
        )
    stranger.refresh_from_db()
    assert stranger.ects_obtained is None


def test_service_refuses_negative_credits(student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    line = course_plan.lines.first()
    with pytest.raises(ServiceError, match="negative"):
        course_plan_record_ects(
            actor=student, application=application, ects_obtained={line.pk: Decimal(-1)}
        )


def test_service_refuses_more_credits_than_the_course_grants(student, advisor, english):
    application, course_plan = dossier_abroad(student, advisor)
    line = course_plan.lines.first()
    with pytest.raises(ServiceError) as refused:
        course_plan_record_ects(
            actor=student, application=application, ects_obtained={line.pk: line.ects + 1}
        )
    assert refused.value.reasons == [
        f"{line.code} {line.title}: at most its 6 ECTS can be obtained."
    ]
    line.refresh_from_db()
    assert line.ects_obtained is None
    course_plan_record_ects(
        actor=student, application=application, ects_obtained={line.pk: line.ects}
    )


def test_service_refuses_once_the_recognition_is_confirmed(student, advisor):
    application, course_plan = dossier_abroad(student, advisor, state=ApplicationState.RETURNED)
    course_plan.recognition_confirmed_by = advisor
    course_plan.recognition_confirmed_at = timezone.now()
    course_plan.save()
    line = course_plan.lines.first()
    with pytest.raises(ServiceError, match="already confirmed"):
        course_plan_record_ects(actor=student, application=application, ects_obtained={line.pk: 6})


def test_service_refuses_without_an_approved_course_plan(student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    course_plan.status = CoursePlanStatus.CHANGES_REQUESTED
    course_plan.save()
    with pytest.raises(ServiceError, match="no approved course plan"):
        course_plan_record_ects(actor=student, application=application, ects_obtained={})


def test_the_credits_a_course_grants_read_as_french_writes_them(student, advisor):
    """The refusal gave the field's own text, 7.5 (and 6.0 for 6), where French writes 7,5."""
    application, course_plan = dossier_abroad(student, advisor)
    line = course_plan.lines.first()
    line.ects = Decimal("7.5")
    line.save(update_fields=["ects"])
    with translation.override("fr"), pytest.raises(ServiceError) as refused:
        course_plan_record_ects(
            actor=student, application=application, ects_obtained={line.pk: Decimal(8)}
        )
    assert "7,5 ECTS" in refused.value.reasons[0]
    assert "7.5" not in refused.value.reasons[0]
