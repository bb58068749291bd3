"""What the student can do about each error the regulations check finds.

The engine's messages say what is wrong, with the figures of the regulation version; the
student's pages add, below each error, what to change in the plan to clear it. No figure is
repeated here: a new regulation version changes them without a word of this file changing.
"""

from django.utils.translation import gettext_lazy as _

ADVICE = {
    "FAE_MINIMUM": _(
        "Add a stay abroad to your plan, or lengthen one, until your time abroad reaches the "
        "minimum."
    ),
    "DD_PARTNER": _(
        "Choose the host among the partner institutions (the catalogue lists those with a "
        "double-degree agreement), or change the kind of stay."
    ),
    "DD_DURATION": _(
        "Change the dates of the double degree so that it lasts as long as required; an "
        "internship in the host country counts when it falls within those dates."
    ),
    "DD_INTERNSHIP_COUNTRY": _(
        "Give the internship the country of the double degree, or leave the internship's days "
        "empty."
    ),
    "DD_INTERNSHIP_WITHIN": _(
        "Change the internship's days so that they fall within the double degree's dates."
    ),
    "SEMESTER_ECTS": _(
        "Plan enough courses at the host to reach the minimum, and give their total as the "
        "planned ECTS credits."
    ),
    "YEAR_ECTS": _(
        "Plan enough courses at the host to reach the minimum, and give their total as the "
        "planned ECTS credits."
    ),
    "YEAR_PROJECT": _(
        "Give the credits of your final project, thesis or internship in “ECTS of final "
        "project, thesis or internship”."
    ),
    "SEMESTER_INTERNSHIP": _(
        "Add your engineering internship to the plan, before or after the semester; if it is "
        "already validated, tick “Engineering internship already validated” under Your "
        "situation."
    ),
    "POST_RETURN_CAP": _(
        "Shorten the internship; if it is not the last thing you owe to graduate, untick "
        "“Last obligation before graduating”."
    ),
    "FREE_INTERNSHIP_CONTEXT": _(
        "Plan the free internship after an exchange year of your plan, or choose another kind "
        "of internship."
    ),
    "FREE_INTERNSHIP_ELIGIBILITY": _(
        "Choose another kind of internship: a free internship is not open to you, as Your "
        "situation describes it."
    ),
    "FREE_INTERNSHIP_CAP": _("Shorten the internship to the maximum length."),
    "SUMMER_DURATION": _("Change the dates so that the stay lasts as long as required."),
    "INTERNSHIP_MAX": _("Shorten the internship to the maximum length."),
    "OVERLAP": _(
        "Change the dates of one of the two activities so that they no longer overlap, or "
        "remove one of them."
    ),
}


def advice_for(rule: str) -> str:
    """What to do about an error of `rule`, in the active language ("" if nothing to add)."""
    advice = ADVICE.get(rule)
    return str(advice) if advice else ""
