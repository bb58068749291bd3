"""Real `celery worker` processes for the outbox, with their environment and logs."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

CELERY = Path(sys.executable).with_name("celery")
# Fast retries and relay so the integration tests and the benchmark finish in seconds.
NOTIFICATION_ENV = {
    "NOTIFICATION_RETRY_BASE_SECONDS": "1",
    "NOTIFICATION_RELAY_SECONDS": "1",
    "NOTIFICATION_MAX_ATTEMPTS": "3",
}


def postgres_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database a Django connection uses (e.g. the test database)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


def worker_env(*, database_url: str, broker_url: str, email_url: str, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mobility_portal.settings.base",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_URL": email_url,
        "DEBUG": "true",
        **NOTIFICATION_ENV,
        **extra,
    }


class CeleryWorker:
    """One `celery -A mobility_portal worker` in its own process group, logging to a file.
    The solo pool (one task at a time, in the worker process) starts and stops fastest."""

    def __init__(
        self,
        name: str,
        *,
        env: dict,
        workdir: Path,
        pool: str = "solo",
        concurrency: int = 1,
        beat: bool = False,
    ) -> None:
        self.name = name
        self.log_path = workdir / f"{name}.log"
        command = [
            str(CELERY),
            "-A",
            "mobility_portal",
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "--loglevel=info",
            f"--hostname={name}@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ]
        if beat:
            command += ["--beat", f"--schedule={workdir / f'{name}-beat-schedule'}"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 150) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while " ready." not in self.log():
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"worker {self.name} not ready in {timeout} s:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def task_outcomes(self, outcome: str) -> int:
        """How many deliver tasks this worker finished with `outcome` ('sent', 'skipped'…)."""
        return sum(
            1
            for line in self.log().splitlines()
            if "tasks.deliver[" in line and line.endswith(f": '{outcome}'")
        )

    def request_stop(self) -> None:
        """Ask for a warm shutdown: running tasks finish, unacknowledged ones go back."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 15.0) -> None:
        """Warm shutdown, then kill whatever of its process group is left."""
        if self.process.poll() is None:
            self.request_stop()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout)
        with contextlib.suppress(ProcessLookupError):  # the whole group already exited
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
