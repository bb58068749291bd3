"""Real services for the outbox: an SMTP sink on loopback, and Celery worker processes that
read pytest-django's test database on PostgreSQL and a Redis database of their own."""

import os

import pytest
from django.db import connection

from tests.services import service_problems

from .broker import TESTS_REDIS_DB, broker_url_on, flush, point_celery_at
from .smtp_sink import running_sink
from .workers import CeleryWorker, postgres_url, worker_env

WORKERS = pytest.StashKey[list[CeleryWorker]]()


@pytest.fixture(autouse=True)
def outbox_services():
    """PostgreSQL and Redis, or skip (fail under REQUIRE_SERVICES=1)."""
    problems = service_problems()
    if connection.vendor != "postgresql":
        problems.append(f"the test database is {connection.vendor}")
    if not problems:
        return
    reason = (
        "outbox integration tests need PostgreSQL and Redis (a Celery worker process cannot "
        "share SQLite's in-memory test database): " + "; ".join(problems)
    )
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def smtp_sink():
    with running_sink() as sink:
        yield sink


@pytest.fixture
def real_broker():
    """This process publishes tasks to a dedicated Redis database instead of running them
    eagerly; restored afterwards."""
    from mobility_portal import celery_app

    url = broker_url_on(os.environ["REDIS_URL"], TESTS_REDIS_DB)
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    flush(url)
    point_celery_at(url)
    yield url
    point_celery_at(previous[0], eager=previous[1])
    flush(url)


@pytest.fixture
def start_workers(request, transactional_db, smtp_sink, real_broker, tmp_path):
    """start_workers(count, beat=…, concurrency=…) → ready workers on the test database, the
    first one running beat if asked; always stopped at teardown."""
    started = request.node.stash.setdefault(WORKERS, [])
    env = worker_env(
        database_url=postgres_url(connection.settings_dict),
        broker_url=real_broker,
        email_url=smtp_sink.email_url,
    )

    def start(count: int = 1, *, beat: bool = False, concurrency: int = 1) -> list[CeleryWorker]:
        workers = []
        for index in range(count):
            worker = CeleryWorker(
                f"outbox{len(started) + 1}",
                env=env,
                workdir=tmp_path,
                pool="prefork" if concurrency > 1 else "solo",
                concurrency=concurrency,
                beat=beat and index == 0,
            )
            started.append(worker)
            workers.append(worker)
        for worker in workers:
            worker.wait_ready()
        return workers

    yield start
    for worker in started:
        worker.request_stop()
    for worker in started:
        worker.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test shows the end of each worker's log."""
    report = yield
    if report.failed:
        for worker in item.stash.get(WORKERS, []):
            report.sections.append((f"celery worker {worker.name} log", worker.log_tail()))
    return report
