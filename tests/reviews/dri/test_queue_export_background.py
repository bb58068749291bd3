"""The queue's Excel export of more than QUEUE_EXPORT_INLINE_MAX applications: written by a
Celery task into the storage, followed on a page of its own, downloaded by the officer who
asked for it alone, deleted after QUEUE_EXPORT_KEEP_HOURS."""

import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.applications.models import ApplicationState
from apps.reviews import tasks
from apps.reviews.exports import applications as exports
from apps.reviews.models import QueueExport, QueueExportStatus
from apps.reviews.services import exports as services
from tests.applications.factories import login
from tests.factories import CallFactory, UserFactory
from tests.reviews.dri.builders import bulk_applications
from tests.reviews.dri.test_queue_export import EXPORT_QUERIES, HEADER
from tests.reviews.dri.test_queue_export_xlsx import XLSX, rows_of

S = ApplicationState
EXPORT = reverse("reviews:queue_export_xlsx")
# Session, user, the export, the unread notifications' count of the menu.
STATUS_QUERIES = 4


@pytest.fixture
def small_threshold(settings):
    settings.QUEUE_EXPORT_INLINE_MAX = 5
    return settings


def ask(client, params: dict | None = None, **extra):
    """Confirm the export the queue's `params` select (the confirmation page's POST)."""
    return client.post(f"{EXPORT}?{urlencode(params or {})}", **extra)


def status_url(export: QueueExport) -> str:
    return reverse("reviews:queue_export_status", args=[export.pk])


def download_url(export: QueueExport) -> str:
    return reverse("reviews:queue_export_download", args=[export.pk])


def workbook_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def queued_export(user, total: int = 12, **fields) -> QueueExport:
    """An export asked for and not yet taken by a worker (nothing handed over)."""
    return QueueExport.objects.create(
        requested_by=user, query="", language="en", total=total, **fields
    )


def ready_export(user, **fields) -> QueueExport:
    export = queued_export(user, status=QueueExportStatus.DONE, written=12, **fields)
    export.file.save("applications.xlsx", ContentFile(b"PK workbook"), save=True)
    return export


# --- the switch ----------------------------------------------------------------------------


def test_up_to_the_threshold_the_workbook_is_written_in_the_request(client, dri, small_threshold):
    bulk_applications(5)
    response = login(client, dri).get(EXPORT)
    assert response["Content-Type"] == XLSX
    assert len(rows_of(response)) == 6
    assert not QueueExport.objects.exists()


def test_above_it_a_task_writes_the_filters_rows_and_the_page_offers_them(
    client, dri, small_threshold, django_capture_on_commit_callbacks
):
    call = CallFactory()
    applications = bulk_applications(30, call=call)
    bulk_applications(8)  # another call
    client = login(client, dri)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, {"call": call.pk})
    export = QueueExport.objects.get()
    assert response.url == status_url(export)
    assert (export.status, export.total, export.written) == (QueueExportStatus.DONE, 30, 30)
    assert export.file.name.startswith("exports/queue/")
    assert default_storage.exists(export.file.name)
    assert (export.started_at is not None, export.finished_at is not None) == (True, True)

    page = client.get(response.url).content.decode()
    assert "Your export of 30 applications is ready." in page
    assert download_url(export) in page
    assert "hx-get" not in page  # nothing more to follow

    download = client.get(download_url(export))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    today = timezone.localdate()
    assert download["Content-Disposition"] == (
        f'attachment; filename="applications-{today:%Y%m%d}.xlsx"'
    )
    header, *rows = workbook_rows(b"".join(download.streaming_content))
    assert list(header) == HEADER
    assert {row[0] for row in rows} == {
        a.student.student_profile.student_number for a in applications
    }


def test_the_workbook_speaks_the_language_the_queue_was_read_in(
    client, dri, small_threshold, django_capture_on_commit_callbacks
):
    bulk_applications(6)
    client.force_login(dri)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, HTTP_ACCEPT_LANGUAGE="fr")
    export = QueueExport.objects.get()
    assert export.language == "fr"
    workbook = load_workbook(export.file.open("rb"))
    assert workbook.active.title == "Candidatures"
    assert workbook.active["A1"].value == "Numéro d'étudiant"


def test_asking_again_while_it_is_written_gives_the_same_export(client, dri, small_threshold):
    bulk_applications(6)
    client = login(client, dri)
    first = ask(client)  # its task is never handed over here: it stays queued
    second = ask(client)
    export = QueueExport.objects.get()
    assert first.url == second.url == status_url(export)
    assert export.status == QueueExportStatus.QUEUED


def test_following_the_link_asks_to_confirm_and_starts_nothing(client, dri, small_threshold):
    """A GET starts no export: a link prefetched, or followed from another site (the session
    cookie is SameSite=Lax), cost a worker the whole export each time."""
    call = CallFactory()
    bulk_applications(7, call=call)
    client = login(client, dri)
    for method in (client.get, client.head):
        response = method(EXPORT, {"call": call.pk})
        assert response.status_code == 200
    assert not QueueExport.objects.exists()
    page = client.get(EXPORT, {"call": call.pk}).content.decode()
    assert "The queue's filters select 7 applications" in page
    assert f'action="{EXPORT}?call={call.pk}"' in page
    assert 'method="post"' in page


def test_one_export_at_a_time_for_each_officer(client, dri, small_threshold):
    """Each export is a worker's whole selection: an officer asking for several at once is
    told to wait for the one under way (the same one asked again is handed back)."""
    call = CallFactory()
    bulk_applications(6, call=call)
    bulk_applications(6)
    client = login(client, dri)
    first = ask(client)  # never handed over here: it stays queued
    refused = ask(client, {"call": call.pk}, follow=True)
    assert QueueExport.objects.count() == 1
    assert "Your previous export is still being written" in refused.content.decode()
    assert ask(client).url == first.url


def test_a_refused_filter_still_sends_back_to_the_queue(client, dri, small_threshold):
    bulk_applications(6)
    response = login(client, dri).get(EXPORT, {"state": "nonsense"})
    assert response.url == f"{reverse('reviews:queue')}?state=nonsense"
    assert not QueueExport.objects.exists()


# --- the task ------------------------------------------------------------------------------


def test_the_task_records_its_progress_chunk_by_chunk(dri, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 4)
    bulk_applications(10)
    export = queued_export(dri, total=10)
    seen = []
    write = exports.workbook_write

    def watched(applications, output, progress):
        def recorded(written):
            progress(written)
            seen.append(QueueExport.objects.get(pk=export.pk).written)

        return write(applications, output, recorded)

    monkeypatch.setattr(services, "workbook_write", watched)
    tasks.write_queue_export(export.pk)
    export.refresh_from_db()
    assert seen == [4, 8]
    assert (export.status, export.written) == (QueueExportStatus.DONE, 10)
    assert len(workbook_rows(export.file.open("rb").read())) == 11


def test_a_task_delivered_twice_writes_once(dri):
    bulk_applications(6)
    export = queued_export(dri, total=6)
    tasks.write_queue_export(export.pk)
    export.refresh_from_db()
    name = export.file.name
    tasks.write_queue_export(export.pk)
    export.refresh_from_db()
    assert export.file.name == name
    assert QueueExport.objects.get().status == QueueExportStatus.DONE


def test_a_failure_marks_the_export_failed_and_its_page_says_so(
    client, dri, small_threshold, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "workbook_write", broken)
    bulk_applications(6)
    client = login(client, dri)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client)  # the eager task's error is not the officer's 500
    export = QueueExport.objects.get()
    assert export.status == QueueExportStatus.FAILED
    assert not export.file
    page = client.get(response.url)
    assert page.status_code == 200
    assert "The export could not be written." in page.content.decode()
    assert client.get(download_url(export)).url == status_url(export)


def test_a_broker_that_cannot_take_it_fails_it_at_once(
    client, dri, small_threshold, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.write_queue_export, "delay", unreachable)
    bulk_applications(6)
    client = login(client, dri)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client)
    assert QueueExport.objects.get().status == QueueExportStatus.FAILED
    assert "The export could not be written." in client.get(response.url).content.decode()


# --- the page ------------------------------------------------------------------------------


def test_while_queued_or_written_the_page_follows_it(client, dri):
    export = queued_export(dri, total=1200)
    client = login(client, dri)
    page = client.get(status_url(export)).content.decode()
    assert "Queued: 0 of 1,200 applications written." in " ".join(page.split())
    assert f'hx-get="{status_url(export)}"' in page
    QueueExport.objects.filter(pk=export.pk).update(status=QueueExportStatus.RUNNING, written=600)
    fragment = client.get(status_url(export), HTTP_HX_REQUEST="true").content.decode()
    assert "Being written: 600 of 1,200 applications written." in " ".join(fragment.split())
    assert 'aria-valuenow="50"' in fragment
    assert "<html" not in fragment
    assert client.get(download_url(export)).url == status_url(export)


def test_an_export_that_stopped_moving_is_said_to_have_stopped(client, dri, settings):
    settings.QUEUE_EXPORT_STALE_MINUTES = 15
    long_ago = timezone.now() - timedelta(minutes=20)
    export = queued_export(dri, updated_at=long_ago, created_at=long_ago)
    page = login(client, dri).get(status_url(export)).content.decode()
    assert "the background workers may have stopped" in page
    assert "hx-get" not in page


def test_the_page_runs_the_same_queries_whatever_its_state(client, dri, django_assert_num_queries):
    client = login(client, dri)
    for export in (queued_export(dri), ready_export(dri)):
        client.get(status_url(export))
        with django_assert_num_queries(STATUS_QUERIES):
            assert client.get(status_url(export)).status_code == 200


def test_the_inline_export_keeps_its_queries(
    client, dri, small_threshold, django_assert_num_queries
):
    """Below the threshold the count comes from the queue's kept per-state counts: the export
    runs no query more than before."""
    small_threshold.QUEUE_EXPORT_INLINE_MAX = 500
    client = login(client, dri)
    bulk_applications(10)
    client.get(EXPORT)
    with django_assert_num_queries(EXPORT_QUERIES):
        assert len(rows_of(client.get(EXPORT))) == 11


# --- who may download ----------------------------------------------------------------------


def test_only_the_officer_who_asked_sees_and_downloads_it(client, dri, dfi):
    export = ready_export(dri)
    other_officer = UserFactory(role=dri.role)
    for user in (other_officer, dfi):
        client = login(client, user)
        assert client.get(status_url(export)).status_code == 404
        assert client.get(download_url(export)).status_code == 404
    client = login(client, dri)
    assert client.get(status_url(export)).status_code == 200
    download = client.get(download_url(export))
    assert b"".join(download.streaming_content) == b"PK workbook"


@pytest.mark.parametrize("persona", ["student", "advisor"])
def test_students_and_advisors_are_refused(client, request, dri, persona):
    export = ready_export(dri)
    client = login(client, request.getfixturevalue(persona))
    assert client.get(status_url(export)).status_code == 403
    assert client.get(download_url(export)).status_code == 403


def test_anonymous_is_sent_to_login(client, dri):
    export = ready_export(dri)
    assert client.get(download_url(export)).url.startswith(reverse("login"))


def test_a_file_gone_from_the_storage_is_a_404_not_a_500(client, dri):
    export = ready_export(dri)
    default_storage.delete(export.file.name)
    assert login(client, dri).get(download_url(export)).status_code == 404


# --- expiry --------------------------------------------------------------------------------


def test_after_the_keeping_time_it_is_gone_for_its_officer_too(client, dri, settings):
    settings.QUEUE_EXPORT_KEEP_HOURS = 24
    export = ready_export(dri, created_at=timezone.now() - timedelta(hours=25))
    client = login(client, dri)
    assert client.get(status_url(export)).status_code == 404
    assert client.get(download_url(export)).status_code == 404


def test_beat_deletes_the_expired_exports_and_their_files(dri, settings):
    settings.QUEUE_EXPORT_KEEP_HOURS = 24
    old = ready_export(dri, created_at=timezone.now() - timedelta(hours=25))
    old_failed = queued_export(
        dri, status=QueueExportStatus.FAILED, created_at=timezone.now() - timedelta(hours=30)
    )
    recent = ready_export(dri, created_at=timezone.now() - timedelta(hours=23))
    old_file = old.file.name
    from mobility_portal.celery import app

    task = app.tasks[settings.CELERY_BEAT_SCHEDULE["delete-expired-queue-exports"]["task"]]
    assert task() == 2
    assert list(QueueExport.objects.all()) == [recent]
    assert not default_storage.exists(old_file)
    assert default_storage.exists(recent.file.name)
    assert not QueueExport.objects.filter(pk=old_failed.pk).exists()


def test_without_beat_a_new_export_deletes_the_expired_ones(client, dri, small_threshold):
    old = ready_export(dri, created_at=timezone.now() - timedelta(hours=25))
    old_file = old.file.name
    bulk_applications(6)
    ask(login(client, dri))
    assert not QueueExport.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old_file)
    assert QueueExport.objects.count() == 1


def test_an_officer_account_deleted_leaves_no_file_behind(client, dri, settings):
    """The row outlives its officer's account until it expires, so that the expiry deletes
    its file: a cascade took the row and left the workbook in the storage for ever."""
    export = ready_export(dri)
    file_name = export.file.name
    dri.delete()
    export.refresh_from_db()
    assert export.requested_by is None
    # Nobody's to see meanwhile.
    assert login(client, UserFactory(role=dri.role)).get(download_url(export)).status_code == 404
    QueueExport.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert services.queue_exports_delete_expired() == 1
    assert not default_storage.exists(file_name)
