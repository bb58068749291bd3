"""Publishing a new regulation version from the portal, without a code change.

A published version becomes the current one: new plans are checked under it, and so are the
plans that follow the current version (applications.regulation). Every plan is then checked
again in the background (the operations page shows the progress).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Capability, user_can
from apps.applications.errors import ServiceError
from apps.applications.models import MobilityPlan
from apps.applications.regulation import plans_following_current
from apps.applications.tasks import plan_recheck_start
from apps.rules.models import PublishedRegulation
from apps.rules.published import PARAMETER_LABELS, current_regulations
from apps.rules.versions import PARAMETERS

VERSION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,15}")
# The largest figure of each unit a version may hold: a guard against typing slips.
LIMITS = {"weeks": 104, "months": 60, "ects": 120}
# Pairs that must stay in order: (the smaller, the larger).
ORDERED = (
    ("master_minimum_months", "master_maximum_months"),
    ("summer_minimum_months", "summer_maximum_months"),
    ("year_project_ects", "year_minimum_ects"),
)


def unit_of(parameter: str) -> str:
    return parameter.rsplit("_", 1)[-1]


def figure_problems(figures: Mapping[str, object]) -> dict[str, str]:
    """What is wrong with a version's figures, by parameter; empty when they can be published."""
    problems: dict[str, str] = {}
    for parameter in PARAMETERS:
        value = figures.get(parameter)
        limit = LIMITS[unit_of(parameter)]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= limit:
            problems[parameter] = _("Give a whole number from 1 to %(limit)d.") % {"limit": limit}
    for minimum, maximum in ORDERED:
        in_range = minimum not in problems and maximum not in problems
        if in_range and figures[minimum] > figures[maximum]:  # type: ignore[operator]
            problems[maximum] = _("This figure cannot be below “%(other)s”.") % {
                "other": PARAMETER_LABELS[minimum]
            }
    return problems


def name_problem(name: str) -> str | None:
    """What is wrong with a new version's name."""
    if not VERSION_NAME.fullmatch(name):
        return _(
            "A version's name has 1 to 16 letters, digits, dots, dashes or underscores, "
            "starting with a letter or a digit (for example 2025)."
        )
    if name in current_regulations(fresh=True).versions:
        return _("Version %(name)s already exists: choose another name.") % {"name": name}
    return None


@dataclass(frozen=True)
class PublishImpact:
    moving: int
    keeping: int


def regulation_publish_impact() -> PublishImpact:
    """How many stored plans a publication would move to the new version, and how many keep
    theirs: one query."""
    figures = MobilityPlan.objects.aggregate(
        total=Count("pk"),
        moving=Count("pk", filter=Q(pk__in=plans_following_current().values("pk"))),
    )
    return PublishImpact(moving=figures["moving"], keeping=figures["total"] - figures["moving"])


def same_publication(
    *, actor: User, name: str, figures: Mapping[str, int], note: str
) -> PublishedRegulation | None:
    """The version `actor` published under this name with these figures and note, if any: the
    same Publish sent again."""
    published = PublishedRegulation.objects.filter(name=name.strip(), published_by=actor).first()
    note = note.strip()
    asked = {parameter: figures.get(parameter) for parameter in PARAMETERS}
    if published is None or published.figures != asked or published.note != note:
        return None
    return published


class ComparedWithAnotherVersion(ServiceError):
    """The DRI confirmed what changes from a version that is no longer the current one."""


@transaction.atomic
def regulation_publish(
    *, actor: User, name: str, figures: Mapping[str, int], note: str, based_on: str
) -> PublishedRegulation:
    """Publish a version and make it the current one; moves the plans that follow the current
    version and starts the re-check of every plan when the transaction commits. `based_on` is
    the version the DRI compared the figures with. Refused while a re-check runs."""
    if not user_can(actor, Capability.PUBLISH_REGULATIONS):
        raise ServiceError(_("Only the international relations office publishes regulations."))
    name = name.strip()
    note = note.strip()
    if figure_problems(figures):
        raise ServiceError(_("Some figures of the new version are missing or out of range."))
    if not note:
        raise ServiceError(_("Say what changes in this version: it is shown with it."))
    # Every plan's row, held until the end: a submission waits (and is then checked under the
    # version its plan has by then), and so does a colleague's publication. Taken in the order
    # of the re-check's chunks, so the two never wait for each other.
    list(MobilityPlan.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    current = current_regulations(fresh=True).current
    repeated = same_publication(actor=actor, name=name, figures=figures, note=note)
    if repeated is not None and repeated.name == current:
        # The same Publish sent twice (a double click, a page sent again): done once.
        return repeated
    if based_on != current:
        raise ComparedWithAnotherVersion(
            _("Version %(name)s was published meanwhile: compare your figures with it.")
            % {"name": current}
        )
    problem = name_problem(name)
    if problem:
        raise ServiceError(problem)
    # Queued first: a re-check already running refuses, and nothing is published.
    plan_recheck_start(actor=actor)
    try:
        with transaction.atomic():
            published = PublishedRegulation.objects.create(
                name=name,
                figures={parameter: figures[parameter] for parameter in PARAMETERS},
                note=note,
                published_by=actor,
            )
    except IntegrityError:  # a colleague published the same name a moment ago
        raise ServiceError(
            _("Version %(name)s already exists: choose another name.") % {"name": name}
        ) from None
    published.plans_moved = plans_following_current().update(regulation=name)
    published.save(update_fields=["plans_moved"])
    return published
