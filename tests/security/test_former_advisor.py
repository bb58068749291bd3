"""A student given another study advisor: the former advisor no longer finds anything of
theirs, by any address they kept (a notification's link, a page left open)."""

import pytest
from django.urls import reverse

from apps.applications.models import DocumentKind
from tests.applications.factories import DocumentFactory
from tests.reviews.advisor.builders import sent_course_plan

pytestmark = pytest.mark.django_db


def test_the_former_advisor_finds_nothing_of_the_student(client, student, advisor, other_advisor):
    course_plan = sent_course_plan(student)
    line = course_plan.lines.first()
    application = course_plan.activity.choices.get().application
    document = DocumentFactory(application=application, kind=DocumentKind.CV)
    profile = student.student_profile
    profile.advisor = other_advisor
    profile.save(update_fields=["advisor"])
    client.force_login(advisor)
    pages = [
        reverse("applications:application_detail", args=[application.pk]),
        reverse("applications:document_download", args=[document.pk]),
        reverse("reviews:advisor_course_plan", args=[course_plan.pk]),
        reverse("reviews:return_recognition", args=[course_plan.pk]),
        reverse("reviews:advisee", args=[student.pk]),
        reverse(
            "reviews:learning_agreement_ewp_json",
            args=[application.pk, course_plan.activity_id],
        ),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    refused = client.post(
        reverse("reviews:advisor_course_plan", args=[course_plan.pk]),
        {"line": line.pk, "decision": "approve"},
    )
    assert refused.status_code == 404
    line.refresh_from_db()
    assert line.decision == "pending"
    assert list(client.get(reverse("reviews:advisor_queue")).context["page"]) == []
