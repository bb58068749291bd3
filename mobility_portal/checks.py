"""The project's own deployment checks (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list[Warning]:
    """Several web processes must share one cache: each learns there what the others changed
    (mobility_portal/caching.py), and sessions are read from it."""
    if settings.SHARED_CACHE:
        return []
    return [
        Warning(
            "CACHE_URL is not set: each web process keeps its own cache, so menus, counts and "
            "the partner catalogue may lag up to five minutes behind a change made through "
            "another process.",
            hint="Set CACHE_URL to a Redis database every web process reaches, e.g. "
            "redis://127.0.0.1:6379/1.",
            id="mobility.W001",
        )
    ]
