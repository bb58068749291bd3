"""Regulation versions as data: a new year's regulations is a new entry, not a code change."""

from dataclasses import dataclass
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
