"""The project's own deployment checks (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


# Backends that deliver nothing: fine on a laptop, silent loss in production.
UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # nosec B104: compared, not bound


@register(Tags.security, deploy=True)
def email_delivery(app_configs, **kwargs) -> list[Warning]:
    """The portal's e-mails must leave the machine, with links people can follow."""
    warnings = []
    if settings.EMAIL_BACKEND in UNDELIVERED_EMAIL_BACKENDS:
        warnings.append(
            Warning(
                f"E-mails are not sent: EMAIL_BACKEND is {settings.EMAIL_BACKEND}, so every "
                "notification is marked sent without reaching anyone.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587.",
                id="mobility.W002",
            )
        )
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https" or (site.hostname or "") in LOCAL_HOSTS:
        warnings.append(
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: the links in e-mails would not lead "
                "people to the portal.",
                hint="Set SITE_URL to the portal's public https address, e.g. "
                "https://mobility.example.org.",
                id="mobility.W003",
            )
        )
    return warnings


@register(Tags.database)
def name_collation(app_configs, databases=None, **kwargs) -> list[Error]:
    """Lists of names are sorted with ICU's collation (mobility_portal/collation.py): a
    PostgreSQL built without ICU would fail every catalogue page. Run by `migrate` and by
    `check --database default`."""
    from django.db import connections

    from .collation import NAME_COLLATION

    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [NAME_COLLATION])
            found = cursor.fetchone()
        if not found:
            errors.append(
                Error(
                    f"The PostgreSQL server of the database '{alias}' has no collation "
                    f"'{NAME_COLLATION}': lists of names cannot be sorted.",
                    hint="Use a PostgreSQL built with ICU support (Debian's and the official "
                    "images are).",
                    id="mobility.E001",
                )
            )
    return errors
