"""Regulation versions as data: a new year's regulations is a new entry, not a code change.

The versions below are built in; the portal adds those the DRI publishes (stored in the
database, apps/rules/models.py) and hands the engine the whole set as `Regulations`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class RegulationVersion:
    name: str
    fisea_minimum_weeks: int
    fise_minimum_weeks: int
    double_degree_minimum_months: int
    master_minimum_months: int
    master_maximum_months: int
    semester_minimum_ects: int
    year_minimum_ects: int
    # Only quoted in the YEAR_PROJECT message: the rule asks for a project part above 0.
    year_project_ects: int
    post_return_internship_maximum_weeks: int
    free_internship_maximum_weeks: int
    summer_minimum_months: int
    summer_maximum_months: int
    internship_maximum_months: int
    engineering_internship_minimum_weeks: int


VERSIONS: MappingProxyType[str, RegulationVersion] = MappingProxyType(
    {
        "2024": RegulationVersion(
            name="2024",
            fisea_minimum_weeks=9,
            fise_minimum_weeks=17,
            double_degree_minimum_months=18,
            master_minimum_months=12,
            master_maximum_months=24,
            semester_minimum_ects=30,
            year_minimum_ects=60,
            year_project_ects=30,
            post_return_internship_maximum_weeks=24,
            free_internship_maximum_weeks=24,
            summer_minimum_months=1,
            summer_maximum_months=3,
            internship_maximum_months=6,
            engineering_internship_minimum_weeks=24,
        ),
    }
)
DEFAULT_VERSION = "2024"


# Every figure of a version, in the order of the dataclass (all but its name).
PARAMETERS: tuple[str, ...] = tuple(
    field.name for field in fields(RegulationVersion) if field.name != "name"
)


@dataclass(frozen=True)
class Regulations:
    """The versions a check may name, and the one a plan that names none is checked under."""

    versions: Mapping[str, RegulationVersion]
    current: str

    def __post_init__(self) -> None:
        if self.current not in self.versions:
            raise ValueError(f"the current regulation version {self.current!r} is not known")

    @property
    def current_version(self) -> RegulationVersion:
        return self.versions[self.current]


BUILT_IN = Regulations(VERSIONS, DEFAULT_VERSION)


def with_published(published: Mapping[str, Mapping[str, int]], current: str) -> Regulations:
    """The built-in versions and the published ones (name -> figures, each of PARAMETERS),
    `current` among them. A built-in version keeps its figures: a published one of the same
    name (which publishing refuses) is left out, so that every check reads the same figures
    for a name. Never build in a version under a name the school has published."""
    versions = dict(VERSIONS)
    for name, figures in published.items():
        if name in VERSIONS:
            continue
        versions[name] = RegulationVersion(
            name=name, **{parameter: int(figures[parameter]) for parameter in PARAMETERS}
        )
    return Regulations(MappingProxyType(versions), current)
