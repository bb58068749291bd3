import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from apps.applications import services
from apps.applications.models import (
    ActivityValidation,
    Application,
    ApplicationState,
    CoursePlanStatus,
    Document,
    DocumentKind,
    LineDecisionChange,
    Transition,
)
from apps.applications.privacy import anonymise_student
from apps.notifications.models import Notification
from apps.reviews.models import InternalComment
from tests.applications.factories import complete_application
from tests.applications.plan_helpers import add_activity
from tests.factories import CallFactory, UserFactory
from tests.reviews.advisor.builders import sent_course_plan

PDF = b"%PDF-1.4\nsecret transcript\n%%EOF\n"


@pytest.fixture
def dossier(student, dri):
    add_activity(student, host_name="KTH")
    application = Application.objects.create(
        student=student, call=CallFactory(), motivation="I love Stockholm", state="completed"
    )
    document = Document(
        application=application,
        kind="cv",
        original_name="my cv.pdf",
        size=len(PDF),
        uploaded_by=student,
    )
    document.file.save("x.pdf", ContentFile(PDF), save=False)
    document.save()
    Transition.objects.create(
        application=application,
        actor=dri,
        from_state="returned",
        to_state="completed",
        comment="Grades were great",
    )
    InternalComment.objects.create(application=application, author=dri, text="Call her mother")
    return application


@pytest.mark.django_db
def test_student_downloads_everything_as_json_and_files(client, student, dossier):
    client.force_login(student)
    assert client.get(reverse("applications:privacy_export")).status_code == 200
    response = client.post(reverse("applications:privacy_export"))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == student.email
    assert data["profile"]["student_number"] == student.student_profile.student_number
    assert data["plan"]["activities"][0]["host"] == "KTH"
    assert data["applications"][0]["motivation"] == "I love Stockholm"
    in_zip = data["applications"][0]["documents"][0]["in_zip"]
    assert archive.read(in_zip) == PDF
    assert "Call her mother" not in json.dumps(data)


@pytest.mark.django_db
def test_the_export_holds_each_decision_the_advisor_took_on_a_course(client, student, advisor):
    """What the advisor wrote to the student and then changed is theirs to read too, as the
    history of their applications is."""
    from apps.reviews.services.course_plans import course_line_decide

    course_plan = sent_course_plan(student, lines=2)
    line = course_plan.lines.order_by("pk").first()
    course_line_decide(actor=advisor, line=line, approve=False, comment="Taken in 2A")
    course_line_decide(actor=advisor, line=line, approve=True, comment="", seen="rejected")
    client.force_login(student)
    archive = zipfile.ZipFile(
        io.BytesIO(client.post(reverse("applications:privacy_export")).content)
    )
    data = json.loads(archive.read("data.json"))
    (activity,) = data["plan"]["activities"]
    exported = activity["course_plans"][0]["lines"][0]
    assert [(row["from"], row["to"], row["comment"]) for row in exported["decision_history"]] == [
        ("pending", "rejected", "Taken in 2A"),
        ("rejected", "approved", ""),
    ]


@pytest.mark.django_db
def test_two_host_letters_are_two_files_in_the_export(client, student, dri, dossier):
    for name, content in (("refusal.pdf", PDF), ("acceptance.pdf", PDF + b"%second")):
        letter = Document(
            application=dossier,
            kind=DocumentKind.HOST_LETTER,
            original_name=name,
            size=len(content),
            uploaded_by=dri,
        )
        letter.file.save("x.pdf", ContentFile(content), save=False)
        letter.save()
    client.force_login(student)
    response = client.post(reverse("applications:privacy_export"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    listed = json.loads(archive.read("data.json"))["applications"][0]["documents"]
    names = {document["file"]: document["in_zip"] for document in listed}
    assert len(set(names.values())) == 3
    assert archive.read(names["refusal.pdf"]) == PDF
    assert archive.read(names["acceptance.pdf"]) == PDF + b"%second"


@pytest.mark.django_db
def test_a_file_missing_from_storage_is_named_not_a_server_error(client, student, dossier):
    document = dossier.documents.get()
    document.file.delete(save=False)
    client.force_login(student)
    response = client.post(reverse("applications:privacy_export"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert json.loads(archive.read("data.json"))["account"]["email"] == student.email
    assert archive.read("missing-files.txt").decode() == (
        f"documents/{dossier.pk}-cv.pdf (my cv.pdf): the file cannot be found; please tell "
        "the international relations office.\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dri", "advisor"])
def test_staff_have_no_personal_export(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("applications:privacy_export")).status_code == 403


@pytest.mark.django_db
def test_anonymise_old_completed_dossiers_keeps_statistics(
    student, dossier, django_capture_on_commit_callbacks
):
    Transition.objects.update(at=timezone.now() - timedelta(days=365 * 6))
    document_name = dossier.documents.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        call_command("anonymise_dossiers", "--years", "5", stdout=io.StringIO())
    student.refresh_from_db()
    dossier.refresh_from_db()
    assert student.email.startswith("anonymised-") and not student.is_active
    assert student.first_name == student.last_name == ""
    assert student.student_profile.student_number.startswith("ANON-")
    assert dossier.motivation == ""
    assert dossier.state == ApplicationState.COMPLETED
    assert dossier.call_id is not None
    history = dossier.history.get()
    assert history.comment == "[redacted]" and history.to_state == "completed"
    assert InternalComment.objects.get().text == "[redacted]"
    assert not Document.objects.exists()
    assert not Document.file.field.storage.exists(document_name)


@pytest.mark.django_db
def test_anonymising_forgets_what_staff_were_told_about_the_student(
    student, other_student, advisor, settings
):
    settings.DRI_MAILBOX = "box@school.example"
    keen = UserFactory(email="keen@school.example", role="dri", notify_new_applications=True)
    other = complete_application(other_student)
    application = complete_application(student)
    services.application_submit(actor=student, application=application)
    services.application_submit(actor=other_student, application=other)
    course_plan = services.course_plan_send(
        sent_course_plan(student, status=CoursePlanStatus.DRAFT)
    )
    name = str(student)
    about_the_student = Notification.objects.filter(subject__contains=name)
    assert set(about_the_student.values_list("email", flat=True)) >= {
        "box@school.example",
        keen.email,
        advisor.email,
    }
    anonymise_student(student)
    assert not about_the_student.exists()
    assert not Notification.objects.filter(context__course_plan=course_plan.pk).exists()
    # What staff were told about other students stays.
    assert Notification.objects.filter(context__application=other.pk).count() == 2


@pytest.mark.django_db
def test_recent_or_open_dossiers_are_left_alone(student, dossier):
    call_command("anonymise_dossiers", "--years", "5", stdout=io.StringIO())
    student.refresh_from_db()
    assert student.is_active

    Transition.objects.update(at=timezone.now() - timedelta(days=365 * 6))
    Application.objects.create(student=student, call=CallFactory(), state="submitted")
    call_command("anonymise_dossiers", "--years", "5", stdout=io.StringIO())
    student.refresh_from_db()
    assert student.is_active


@pytest.mark.django_db
@pytest.mark.parametrize("years", ["0", "-3", "101", "10000"])
def test_anonymise_refuses_a_number_of_years_out_of_range_in_one_line(years, english):
    with pytest.raises(CommandError, match=r"^--years must be between 1 and 100\.$"):
        call_command("anonymise_dossiers", "--years", years, stdout=io.StringIO())


@pytest.mark.django_db
def test_a_deactivated_student_is_anonymised_too_and_only_once(student, dossier, english):
    """IT deactivates the accounts of students who left: their old dossiers are due all the
    same. An anonymised student is not counted again on the next run."""
    student.is_active = False
    student.save(update_fields=["is_active"])
    Transition.objects.update(at=timezone.now() - timedelta(days=365 * 6))
    out = io.StringIO()
    call_command("anonymise_dossiers", "--years", "5", stdout=out)
    student.refresh_from_db()
    assert student.email.startswith("anonymised-") and student.last_name == ""
    assert out.getvalue() == "1 student anonymised. 1 document removed.\n"
    out = io.StringIO()
    call_command("anonymise_dossiers", "--years", "5", stdout=out)
    assert out.getvalue() == "0 students anonymised. 0 documents removed.\n"


@pytest.mark.django_db
def test_anonymising_redacts_what_advisors_and_validators_wrote(student, dfi):
    """The advisor's comment on a course line and a validation's comment address the student:
    they stayed, written as they were, after anonymisation. The decisions stay."""
    course_plan = sent_course_plan(student, lines=2)
    first, second = course_plan.lines.all()
    first.decision, first.decision_comment = "rejected", "Marie, take the French course instead"
    first.save()
    validation = ActivityValidation.objects.create(
        activity=course_plan.activity,
        body="DFI",
        approved=True,
        comment="Fine for Marie",
        decided_by=dfi,
    )
    anonymise_student(student)
    first.refresh_from_db()
    second.refresh_from_db()
    validation.refresh_from_db()
    assert (first.decision, first.decision_comment) == ("rejected", "[redacted]")
    assert second.decision_comment == ""
    assert (validation.approved, validation.comment) == (True, "[redacted]")


@pytest.mark.django_db
def test_anonymising_redacts_the_history_of_the_advisors_decisions(student, advisor):
    """Each decision on a course line keeps a history row with the advisor's comment: the
    comment is redacted there too, not only on the line."""
    from apps.reviews.services.course_plans import course_line_decide

    course_plan = sent_course_plan(student, lines=2)
    first = course_plan.lines.order_by("pk").first()
    course_line_decide(
        actor=advisor, line=first, approve=False, comment="Marie, take the French course"
    )
    anonymise_student(student)
    (change,) = LineDecisionChange.objects.filter(line=first)
    assert (change.to_decision, change.comment) == ("rejected", "[redacted]")


@pytest.mark.django_db
def test_anonymise_writes_through_the_catalogue(monkeypatch):
    """Its summary and its refusal were English whatever the language, as no other command
    for the staff is."""
    from apps.applications.management.commands import anonymise_dossiers

    monkeypatch.setattr(anonymise_dossiers, "_", lambda text: f"[{text}]")
    monkeypatch.setattr(
        anonymise_dossiers, "ngettext", lambda one, many, n: f"[{one if n == 1 else many}]"
    )
    out = io.StringIO()
    call_command("anonymise_dossiers", "--years", "5", stdout=out)
    assert out.getvalue() == "[0 students anonymised.] [0 documents removed.]\n"
    with pytest.raises(CommandError, match=r"^\[--years must be between 1 and 100\.\]$"):
        call_command("anonymise_dossiers", "--years", "0", stdout=io.StringIO())


@pytest.mark.django_db
def test_what_anonymisation_took_away_is_named_in_the_readers_language(
    client, student, dri, dossier, monkeypatch
):
    """The rows hold "[redacted]", which the staff's French pages showed as it is."""
    from apps.applications.templatetags import application_tags

    anonymise_student(student)
    monkeypatch.setattr(
        application_tags, "gettext", lambda text: "retiré" if text == "[redacted]" else text
    )
    client.force_login(dri)
    page = client.get(reverse("reviews:dossier", args=[dossier.pk])).content.decode()
    assert "[redacted]" not in page
    assert page.count("retiré") == 2  # the history's comment and the internal comment


@pytest.mark.django_db(transaction=True)
def test_anonymising_deletes_the_queue_exports_that_may_list_the_student(student, dri):
    """An officer's export of the queue, kept 24 hours, lists every application its filters
    chose: the erased student's name and number stayed in it until it expired."""
    from django.core.files.storage import default_storage

    from apps.reviews.models import QueueExport, QueueExportStatus

    export = QueueExport.objects.create(
        requested_by=dri, query="", language="en", total=1, status=QueueExportStatus.DONE
    )
    export.file.save("applications.xlsx", ContentFile(b"PK workbook"), save=True)
    written = export.file.name
    anonymise_student(student)
    assert not QueueExport.objects.exists()
    assert not default_storage.exists(written)


@pytest.mark.django_db
def test_an_export_deleted_while_it_was_written_leaves_no_file(dri, monkeypatch):
    """The erasure deleted the export's row while a worker wrote it: the workbook the worker
    then saved had no row left to find it by, and stayed in the storage."""
    from django.core.files.storage import default_storage

    from apps.reviews.models import QueueExport
    from apps.reviews.services import exports

    export = QueueExport.objects.create(requested_by=dri, query="", language="en", total=0)
    saved = []
    real_write = exports.workbook_write

    def write_then_erased(applications, output, progress):
        written = real_write(applications, output, progress)
        QueueExport.objects.filter(pk=export.pk).delete()
        return written

    monkeypatch.setattr(exports, "workbook_write", write_then_erased)
    real_save = default_storage.save
    monkeypatch.setattr(
        default_storage,
        "save",
        lambda name, *a, **k: saved.append(real_save(name, *a, **k)) or saved[-1],
    )
    exports.queue_export_run(export_id=export.pk)
    assert saved and not default_storage.exists(saved[0])
