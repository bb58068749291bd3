"""Files in the storage that no row names any more, deleted once old enough.

A file is written before its row, so that a row never names a file that is not there. When the
transaction that writes the row rolls back (a database error, a worker killed, a request that
failed after the upload), the file stays with nothing left to find it by: Django has no hook on
a rollback. This sweep is what finds them: every file of a folder the portal writes generated
names into, that no row of its model names, and that is older than `grace` (a file written in
a transaction still open has no committed row yet).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

# The folders the portal writes into, with the model and field whose rows name their files.
SWEPT_FOLDERS = (
    ("documents", "applications.Document", "file"),
    ("exports/queue", "reviews.QueueExport", "file"),
)
DEFAULT_GRACE = timedelta(hours=24)


@dataclass
class SweepReport:
    orphans: list[str]
    deleted: int


def orphan_files(
    storage: Storage = default_storage, *, grace: timedelta = DEFAULT_GRACE
) -> list[str]:
    """The names of the files no row names, older than `grace`."""
    cutoff = timezone.now() - grace
    orphans = []
    for folder, model_name, field in SWEPT_FOLDERS:
        named = set(
            apps.get_model(model_name).objects.exclude(**{field: ""}).values_list(field, flat=True)
        )
        for name in _files_under(storage, folder):
            if name not in named and storage.get_modified_time(name) < cutoff:
                orphans.append(name)
    return orphans


def delete_orphan_files(
    storage: Storage = default_storage, *, grace: timedelta = DEFAULT_GRACE, dry_run: bool = False
) -> SweepReport:
    orphans = orphan_files(storage, grace=grace)
    if not dry_run:
        for name in orphans:
            storage.delete(name)
    return SweepReport(orphans=orphans, deleted=0 if dry_run else len(orphans))


def _files_under(storage: Storage, folder: str) -> Iterator[str]:
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files_under(storage, f"{folder}/{sub}")
