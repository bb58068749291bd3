"""Filters of the e-mail templates."""

from django import template

from ..rendering import within_sentence as _within_sentence

register = template.Library()


@register.filter
def within_sentence(label) -> str:
    """A label inside a sentence: "your summer stay (between 2A and 3A)"."""
    return _within_sentence(label)


@register.filter
def yet_to_validate(activity) -> str:
    """The body (DFI or DRI) whose validation the stay still lacks, as it now stands, named as
    the e-mails name it; empty once both validated it. A stay counts only with both."""
    from apps.reviews.selectors_advisor import lacking_approvals

    return " / ".join(lacking_approvals(activity))
