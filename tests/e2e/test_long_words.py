"""Words longer than a phone's line — a pasted link, a file name joined by underscores — break
at the line's end: the page never scrolls sideways, and a document's name stays inside its
table."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.demo import seed_demo
from apps.accounts.models import User
from apps.applications import services
from apps.applications.models import ActivityKind, DocumentKind
from apps.reviews.services.decisions import application_request_changes
from tests.applications.factories import PDF_BYTES
from tests.e2e.conftest import PHONE
from tests.e2e.journeys import exchange_agreement, log_in, submitted_application

STUDENT = "student@demo.mobility.example"
LINK = "https://www.ielts.org/for-test-takers/how-ielts-is-scored/ielts-scoring-in-detail-overall"
FILE_NAME = "Releve_de_notes_S5_2025-2026_Universite_Paris-Saclay_certificat_de_langue_signe.pdf"
WORD = "Certificat_de_langue_au_format_PDF_signe_par_l_organisme_certificateur_officiel"


@pytest.fixture
def sent_back(transactional_db):
    """The demo student's application, sent back by the office with a request that quotes a
    link and a long word; the student's motivation holds a link too, and they upload their
    language certificate again under a long name."""
    seed_demo()
    application = submitted_application(STUDENT, ["Politecnico di Milano"])
    application_request_changes(
        actor=User.objects.get(email="dri@demo.mobility.example"),
        application=application,
        message=f"Please see {LINK} and upload a {WORD}.",
    )
    student = application.student
    services.application_update(
        actor=student,
        application=application,
        motivation=f"My programme: {WORD}",
        choices=[
            services.ChoiceInput(choice.activity, exchange_agreement("Politecnico di Milano"))
            for choice in application.choices.all()
        ],
    )
    services.document_upload(
        actor=student,
        application=application,
        kind=DocumentKind.LANGUAGE_CERTIFICATE,
        upload=SimpleUploadedFile(FILE_NAME, PDF_BYTES, content_type="application/pdf"),
    )
    return application


def test_long_words_wrap_on_a_phone(sent_back, phone, shot):
    log_in(phone, STUDENT)
    phone.goto(f"/applications/{sent_back.pk}/")
    phone.wait_for_load_state()
    shot(phone, "application")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    documents = phone.locator("#documents .table-responsive")
    assert documents.evaluate("box => box.scrollWidth <= box.clientWidth")


def test_a_long_word_quoted_in_a_notification_wraps_on_a_phone(sent_back, phone, shot):
    """The office's notifications quote what the student says they changed."""
    services.application_submit(
        actor=sent_back.student, application=sent_back, message=f"I uploaded the {WORD}."
    )
    log_in(phone, "dri@demo.mobility.example", lands_on="/")
    phone.goto("/notifications/")
    phone.wait_for_load_state()
    shot(phone, "notifications")
    assert phone.get_by_text(WORD).count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_host_named_in_one_long_word_wraps_in_the_plan_on_a_phone(transactional_db, phone, shot):
    """The activity's title sits beside its buttons: it kept the whole name on one line."""
    seed_demo()
    student = User.objects.get(email=STUDENT)
    services.activity_create(
        actor=student,
        plan=services.plan_for_student(student),
        fields={
            "kind": ActivityKind.EXCHANGE_SEMESTER,
            "start": date(2027, 9, 1),
            "end": date(2028, 1, 31),
            "host_name": "Rheinisch-Westfaelische_Technische_Hochschule_Aachen_Fakultaet",
            "country": "DE",
            "ects": 30,
        },
    )
    log_in(phone, STUDENT)
    phone.goto("/plan/")
    phone.wait_for_load_state()
    shot(phone, "plan")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
