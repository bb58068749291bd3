"""The regulation figures the programmes page quotes: those of the current version."""

from apps.rules.published import current_regulations


def programme_figures() -> dict[str, int | str]:
    version = current_regulations().current_version
    return {
        "version": version.name,
        "fisea_weeks": version.fisea_minimum_weeks,
        "fise_weeks": version.fise_minimum_weeks,
        "dd_months": version.double_degree_minimum_months,
        "master_min_months": version.master_minimum_months,
        "master_max_months": version.master_maximum_months,
        "semester_ects": version.semester_minimum_ects,
        "year_ects": version.year_minimum_ects,
        "post_return_weeks": version.post_return_internship_maximum_weeks,
        "free_internship_weeks": version.free_internship_maximum_weeks,
        "summer_min_months": version.summer_minimum_months,
        "summer_max_months": version.summer_maximum_months,
        "internship_max_months": version.internship_maximum_months,
        "engineering_weeks": version.engineering_internship_minimum_weeks,
    }
