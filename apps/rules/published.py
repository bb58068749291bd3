"""The regulation versions the portal checks plans under: the built-in ones and those the DRI
published (models.PublishedRegulation), the latest published being the current one."""

from django.utils.translation import gettext_lazy as _

from mobility_portal.caching import memoize

from .models import PublishedRegulation
from .versions import BUILT_IN, VERSIONS, Regulations, RegulationVersion, with_published

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


@memoize(PublishedRegulation)
def _published() -> tuple[tuple[str, dict[str, int]], ...]:
    """Every published version's name and figures, oldest first."""
    return tuple(
        PublishedRegulation.objects.order_by("published_at", "pk").values_list("name", "figures")
    )


def current_regulations() -> Regulations:
    published = _published()
    if not published:
        return BUILT_IN
    return with_published(dict(published), current=published[-1][0])


def regulations_for(name: str) -> Regulations:
    """The versions to check a plan that names version `name` under: the built-in ones alone
    when it names one of them, which costs pages no read of the cache or the database."""
    return BUILT_IN if name in VERSIONS else current_regulations()


def version_named(name: str) -> RegulationVersion:
    return regulations_for(name).versions[name]


def command_regulations() -> Regulations:
    """For `check_plan`: the published versions too, or the built-in ones alone when the
    database cannot be read (a checkout never migrated, a test without database access): the
    command checks a plan whatever state the portal's database is in."""
    try:
        return current_regulations()
    except Exception:  # noqa: BLE001  (DatabaseError, or pytest's RuntimeError without a database)
        return BUILT_IN
