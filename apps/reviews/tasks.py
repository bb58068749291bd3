"""The reviews' background work: the queue's large Excel exports (services/exports.py)."""

from celery import shared_task

from .services.exports import queue_export_run, queue_exports_delete_expired


@shared_task(name="apps.reviews.tasks.write_queue_export", ignore_result=True)
def write_queue_export(export_id: int) -> None:
    queue_export_run(export_id=export_id)


@shared_task(name="apps.reviews.tasks.delete_expired_queue_exports", ignore_result=True)
def delete_expired_queue_exports() -> int:
    return queue_exports_delete_expired()
