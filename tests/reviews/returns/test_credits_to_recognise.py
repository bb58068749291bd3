"""The advisor is told once the returned student has given all the recognition needs: the
host's transcript and every credit obtained, whichever comes last; the DRI's recording of the
return comes last when the student gave both while abroad."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.applications.models import ApplicationState
from apps.notifications.models import Notification
from apps.notifications.rendering import render_message
from apps.reviews.services.decisions import application_mark_returned
from apps.reviews.services.returns import course_plan_record_ects, return_transcript_upload
from tests.applications.factories import PDF_BYTES
from tests.reviews.advisor.builders import dossier_abroad, with_transcript

EVENT = "credits_to_recognise"


def told() -> list[tuple[str, str]]:
    return list(Notification.objects.filter(event=EVENT).values_list("email", "link"))


def record(student, application, course_plan, *values):
    lines = course_plan.lines.order_by("pk")
    course_plan_record_ects(
        actor=student,
        application=application,
        ects_obtained={line.pk: value for line, value in zip(lines, values, strict=True)},
    )


def test_the_last_credit_entered_tells_the_advisor_once(student, advisor):
    application, course_plan = with_transcript_of(*dossier_abroad(student, advisor))
    record(student, application, course_plan, 6, None)
    assert told() == []

    record(student, application, course_plan, 6, 5)
    record(student, application, course_plan, 6, 4)

    link = reverse("reviews:return_recognition", args=[course_plan.pk])
    assert told() == [(advisor.email, link)]
    host = course_plan.activity.host_display
    message = render_message(Notification.objects.get(event=EVENT), "en")
    assert message.subject == f"Credits to recognise: {student}, back from {host}"
    assert "confirm their recognition" in message.text
    assert link in message.html


def test_the_transcript_uploaded_last_tells_the_advisor(student, advisor):
    application, course_plan = dossier_abroad(student, advisor)
    record(student, application, course_plan, 6, 6)
    assert told() == []

    upload = SimpleUploadedFile("tor.pdf", PDF_BYTES, content_type="application/pdf")
    return_transcript_upload(actor=student, application=application, upload=upload)

    assert [email for email, _link in told()] == [advisor.email]


def test_everything_given_while_abroad_is_told_when_the_return_is_recorded(student, advisor, dri):
    application, course_plan = dossier_abroad(student, advisor, state=ApplicationState.IN_MOBILITY)
    with_transcript(application)
    record(student, application, course_plan, 6, 6)
    assert told() == []

    application_mark_returned(actor=dri, application=application)

    assert [email for email, _link in told()] == [advisor.email]


def with_transcript_of(application, course_plan):
    return with_transcript(application), course_plan
