"""The regulation versions the portal checks plans under: the built-in ones and those the DRI
published (models.PublishedRegulation), the latest published being the current one.

Versions are only ever added, so a version a plan names and the cached set lacks was published
since the set was read (by another process without a shared cache, or while the publication
was being committed): the set is then read again from the database.
"""

from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from mobility_portal.caching import memoize

from .models import PublishedRegulation
from .versions import (
    BUILT_IN,
    VERSIONS,
    Regulations,
    RegulationVersion,
    with_published,
)

# What each figure of a version means, with its unit, for the pages that show and publish them.
PARAMETER_LABELS = {
    "fise_minimum_weeks": _("Time abroad required of a student (FISE), in weeks"),
    "fisea_minimum_weeks": _("Time abroad required of an apprentice (FISEA), in weeks"),
    "semester_minimum_ects": _("Exchange semester: minimum ECTS"),
    "year_minimum_ects": _("Exchange year: minimum ECTS"),
    "year_project_ects": _("Exchange year: ECTS of the project part, as quoted to students"),
    "double_degree_minimum_months": _("Double degree: minimum length, in months"),
    "master_minimum_months": _("Master abroad: minimum length, in months"),
    "master_maximum_months": _("Master abroad: maximum length, in months"),
    "summer_minimum_months": _("Summer stay: minimum length, in months"),
    "summer_maximum_months": _("Summer stay: maximum length, in months"),
    "internship_maximum_months": _("Any internship: maximum length, in months"),
    "engineering_internship_minimum_weeks": _(
        "Engineering internship: expected length, in weeks (shorter is a warning)"
    ),
    "post_return_internship_maximum_weeks": _(
        "Engineering internship after an exchange semester: maximum length, in weeks"
    ),
    "free_internship_maximum_weeks": _("Free internship: maximum length, in weeks"),
}

Rows = tuple[tuple[str, dict[str, int]], ...]


def _published_rows() -> Rows:
    """Every published version's name and figures, oldest first."""
    return tuple(
        PublishedRegulation.objects.order_by("published_at", "pk").values_list("name", "figures")
    )


_published = memoize(PublishedRegulation)(_published_rows)


def _regulations(rows: Rows) -> Regulations:
    if not rows:
        return BUILT_IN
    return with_published(dict(rows), current=rows[-1][0])


def current_regulations(*, fresh: bool = False) -> Regulations:
    """Every version, the latest published one current; `fresh` reads the database rather
    than the cache (a re-check run, which must know a version published a moment ago)."""
    return _regulations(_published_rows() if fresh else _published())


def regulations_for(name: str) -> Regulations:
    """The versions to check a plan that names version `name` under: the built-in ones alone
    when it names one of them, which costs pages no read of the cache or the database."""
    if name in VERSIONS:
        return BUILT_IN
    regulations = current_regulations()
    if name not in regulations.versions:
        regulations = current_regulations(fresh=True)
    return regulations


def version_named(name: str) -> RegulationVersion:
    return regulations_for(name).versions[name]


def _published_rows_quietly() -> Rows:
    """The published versions, or none when the database cannot say so at once: a checkout
    whose SQLite file was never created (and is not created here), a database never migrated,
    a server that does not answer within seconds."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite" and not _sqlite_database_exists(str(settings["NAME"])):
        return ()
    if connection.vendor == "postgresql" and connection.connection is None:
        settings.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # for this read only
                    cursor.execute("SET LOCAL statement_timeout = 3000")
            return _published_rows()
    except Exception:  # noqa: BLE001  (no database, no table, no answer: the built-in ones)
        return ()


def _sqlite_database_exists(name: str) -> bool:
    in_memory = name == ":memory:" or name.startswith("file:")
    return in_memory or Path(name).exists()


def command_regulations() -> Regulations:
    """For `check_plan`: every version, and a plan naming none is checked under the current
    one, as the contract says: the latest the DRI published when the portal's database can be
    read, as the portal checks plans; else the built-in default."""
    return _regulations(_published_rows_quietly())
