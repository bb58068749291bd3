"""What the commands standing in for Celery beat share: one line out, one clear line on error."""

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError


class CronCommand(BaseCommand):
    """Runs one job for a cron entry: prints what it did, or one line cron mails on failure
    (--traceback shows the rest)."""

    def run_job(self, job: Callable[[], int], *, failed: str, done: Callable[[int], str]) -> None:
        try:
            count = job()
        except Exception as error:
            reason = " ".join(f"{type(error).__name__}: {error}".split())
            raise CommandError(failed % {"reason": reason}) from error
        self.stdout.write(done(count))
