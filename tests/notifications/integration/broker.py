"""Celery's broker for these tests: a Redis database of its own, and switching the test
process's Celery app between it (or a dead address) and eager mode."""

from urllib.parse import urlsplit

import redis
from kombu import pools

from mobility_portal import celery_app

# Nothing else in the project uses these Redis databases, so flushing them is safe.
TESTS_REDIS_DB = 14
BENCH_REDIS_DB = 15
# Nothing listens on port 1: connecting is refused at once, like a broker that is down.
DEAD_BROKER_URL = "redis://127.0.0.1:1/0"


def broker_url_on(redis_url: str, db: int) -> str:
    return urlsplit(redis_url)._replace(path=f"/{db}").geturl()


def flush(broker_url: str) -> None:
    redis.Redis.from_url(broker_url).flushdb()


def drained(broker_url: str) -> bool:
    """No task waiting in the queue, and none taken but not yet acknowledged (acks_late)."""
    client = redis.Redis.from_url(broker_url)
    queue = celery_app.conf.task_default_queue
    return client.llen(queue) == 0 and client.hlen("unacked") == 0


def point_celery_at(broker_url: str, *, eager: bool = False) -> None:
    """Publish this process's tasks to `broker_url` from now on, over fresh connections."""
    celery_app.conf.update(task_always_eager=eager, broker_url=broker_url)
    # Close kombu's process-wide pools (kept per URL, so a closed one would come back on
    # switching to the same URL again), then drop Celery's references to them, as Celery
    # itself does after a fork.
    pools.reset()
    celery_app._after_fork()
