"""Files no row names any more (a transaction rolled back after its file was written) are
deleted by a daily sweep once a day old; files rows name, and recent ones, are kept."""

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import translation

from apps.applications import tasks
from apps.reviews.models import QueueExport, QueueExportStatus
from mobility_portal.settings.base import CELERY_BEAT_SCHEDULE
from mobility_portal.storage_sweep import delete_orphan_files, orphan_files
from tests.applications.factories import DocumentFactory

pytestmark = pytest.mark.django_db
TWO_DAYS = 2 * 24 * 3600


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def written(name: str, *, age_seconds: int = TWO_DAYS) -> str:
    saved = default_storage.save(name, ContentFile(b"%PDF-1.4 left behind"))
    when = time.time() - age_seconds
    os.utime(default_storage.path(saved), (when, when))
    return saved


def test_only_old_files_no_row_names_are_deleted(dri):
    orphan = written("documents/0123abcd.pdf")
    recent = written("documents/4567ef01.pdf", age_seconds=600)  # its transaction may be open
    export = QueueExport.objects.create(
        requested_by=dri, query="", language="en", total=1, status=QueueExportStatus.DONE
    )
    export.file.save("applications.xlsx", ContentFile(b"PK workbook"), save=True)
    os.utime(export.file.path, (time.time() - TWO_DAYS,) * 2)
    stray_export = written("exports/queue/89abcdef.xlsx")

    assert sorted(orphan_files()) == sorted([orphan, stray_export])
    report = delete_orphan_files()

    assert report.deleted == 2
    assert not default_storage.exists(orphan) and not default_storage.exists(stray_export)
    assert default_storage.exists(recent) and default_storage.exists(export.file.name)


def test_a_documents_file_its_row_names_is_kept():
    document = DocumentFactory()
    os.utime(document.file.path, (time.time() - TWO_DAYS,) * 2)
    assert orphan_files() == []
    delete_orphan_files()
    assert default_storage.exists(document.file.name)


def test_nothing_written_yet_is_nothing_to_sweep():
    assert delete_orphan_files().deleted == 0


def test_the_command_lists_them_deletes_them_or_only_lists_them():
    orphan = written("documents/0badf00d.pdf")
    out = io.StringIO()
    with translation.override("en"):
        call_command("delete_orphan_files", "--dry-run", stdout=out)
        assert out.getvalue().splitlines() == [
            orphan,
            "1 file no row names; nothing deleted (--dry-run).",
        ]
        assert default_storage.exists(orphan)
        out = io.StringIO()
        call_command("delete_orphan_files", stdout=out)
        assert out.getvalue().splitlines()[-1] == "1 file no row names deleted."
        assert not default_storage.exists(orphan)
        with pytest.raises(CommandError, match="--hours must be at least 1."):
            call_command("delete_orphan_files", "--hours", "0")


def test_beat_sweeps_every_day():
    entry = CELERY_BEAT_SCHEDULE["delete-orphan-files"]
    assert entry == {"task": "apps.applications.tasks.delete_orphan_files", "schedule": 86400.0}
    written("documents/cafe0001.pdf")
    assert tasks.delete_orphan_files() == 1
