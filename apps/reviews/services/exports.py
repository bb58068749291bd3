"""The queue's Excel export of many applications, written by a Celery worker.

Above QUEUE_EXPORT_INLINE_MAX applications the view asks for an export (`queue_export_request`)
instead of writing the workbook in the request (8 to 11 s at 18,000 applications, a web worker
held and the gunicorn timeout near). The task (`tasks.write_queue_export`) writes it into the
default storage (`queue_export_run`), recording its progress every EXPORT_CHUNK_SIZE rows; the
officer who asked waits on the export's page and downloads it there. Beat deletes the exports
older than QUEUE_EXPORT_KEEP_HOURS with their files (`queue_exports_delete_expired`, hourly),
and so does each new request for one.
Without a broker (the embedded default) the task runs in the request, after its commit.
"""

import logging
import tempfile
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError

from ..exports.applications import export_file_name as file_name_of_day
from ..exports.applications import workbook_write
from ..filters import QueueFilter
from ..models import QUEUE_EXPORT_ACTIVE, QueueExport, QueueExportStatus
from ..selectors_queue import export_applications

# Kept in memory up to this size, then spilled to a temporary file, while it is written.
SPOOL_BYTES = 8 * 1024 * 1024
logger = logging.getLogger(__name__)


def queue_export_request(*, actor: User, query: str, language: str, total: int) -> QueueExport:
    """Queue the export of the applications the queue's `query` selects, in `language`, for
    `actor`, once the transaction commits. The same officer asking again for the same export
    while it is being written (a second click, a reload) is given the one under way; another
    export is refused until it is written: one worker at a time for each officer."""
    if not user_can(actor, Capability.SEE_ALL_DOSSIERS):
        raise ServiceError(_("Only the international relations office exports the queue."))
    # Beat deletes them every hour; here too, for an installation that runs no beat.
    queue_exports_delete_expired()
    with transaction.atomic():
        # The officer's row is locked, so that two requests at once see each other's export.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        under_way = [
            export
            for export in QueueExport.objects.filter(
                requested_by=actor, status__in=QUEUE_EXPORT_ACTIVE
            )
            if not export.is_stalled
        ]
        for export in under_way:
            if (export.query, export.language) == (query, language):
                return export
        if under_way:
            raise ServiceError(
                _(
                    "Your previous export is still being written: download it from its page, "
                    "then ask for this one."
                )
            )
        export = QueueExport.objects.create(
            requested_by=actor, query=query, language=language, total=total
        )
        transaction.on_commit(lambda: _hand_over(export.pk))
    return export


def _hand_over(export_id: int) -> None:
    """Give the export to the workers; a broker that cannot take it fails the export at once,
    which its page says, instead of an export queued for ever. Without a broker the task runs
    here, and its own error (already recorded on the export) ends here too, not in a 500."""
    from ..tasks import write_queue_export

    try:
        write_queue_export.delay(export_id)
    except Exception as error:  # kombu raises several kinds when the broker is away
        logger.warning("queue export %s not handed over or not written: %s", export_id, error)
        _finish(
            QueueExport.objects.filter(pk=export_id, status__in=QUEUE_EXPORT_ACTIVE),
            QueueExportStatus.FAILED,
        )


def queue_export_run(*, export_id: int) -> None:
    """Write the export's workbook into the default storage. An export that is no longer
    queued (a task delivered twice) is left alone; one that fails is marked failed (its page
    says so) and the error re-raised for the worker's log."""
    now = timezone.now()
    claimed = QueueExport.objects.filter(pk=export_id, status=QueueExportStatus.QUEUED).update(
        status=QueueExportStatus.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        return
    export = QueueExport.objects.get(pk=export_id)
    run = QueueExport.objects.filter(pk=export_id)

    def progress(written: int) -> None:
        run.update(written=written, updated_at=timezone.now())

    try:
        queue_filter = QueueFilter(QueryDict(export.query), queryset=export_applications())
        with override(export.language), tempfile.SpooledTemporaryFile(SPOOL_BYTES) as output:
            written = workbook_write(queue_filter.qs, output, progress)
            output.seek(0)
            export.file.save(export_file_name(export), File(output), save=False)
    except Exception:
        _finish(run, QueueExportStatus.FAILED)
        raise
    finished = _finish(
        run, QueueExportStatus.DONE, file=export.file.name, written=written, total=written
    )
    if not finished:
        # Deleted while it was written (queue_exports_forget_all, an erasure): so is its file.
        export.file.delete(save=False)


def export_file_name(export: QueueExport) -> str:
    """The name the officer's browser saves it under: the day it was asked for."""
    return file_name_of_day("xlsx", timezone.localdate(export.created_at))


def _finish(run, status: str, **values) -> int:
    now = timezone.now()
    return run.update(status=status, finished_at=now, updated_at=now, **values)


def queue_exports_forget_all() -> int:
    """Delete every export, written or being written, with its file once the transaction (an
    erasure's) commits; returns how many. A student's data are erased: any export may list
    them, and an officer exports again, without them."""
    return _delete_with_files(QueueExport.objects.all(), at_commit=True)


def queue_exports_delete_expired() -> int:
    """Delete the exports asked for more than QUEUE_EXPORT_KEEP_HOURS ago, with their files;
    returns how many. A file already gone (deleted by hand) does not stop the others."""
    cutoff = timezone.now() - timedelta(hours=settings.QUEUE_EXPORT_KEEP_HOURS)
    return _delete_with_files(QueueExport.objects.filter(created_at__lt=cutoff))


def _delete_with_files(exports, *, at_commit: bool = False) -> int:
    """The rows, and their files: at once, or `at_commit` of the transaction deleting the
    rows, so that a rollback that brings them back finds their files."""
    doomed = list(exports.only("pk", "file"))
    for export in doomed:
        if not export.file:
            continue
        delete = partial(export.file.storage.delete, export.file.name)
        if at_commit:
            transaction.on_commit(delete)
        else:
            delete()
    QueueExport.objects.filter(pk__in=[export.pk for export in doomed]).delete()
    return len(doomed)
