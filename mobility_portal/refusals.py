"""A service's refusal shown to the person who asked: each of its reasons, in the page's messages
or on the form they sent."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from apps.applications.errors import ServiceError


def report_refusal(request: HttpRequest, error: ServiceError) -> None:
    """Each reason as an error message of the next page shown."""
    for reason in error.reasons:
        messages.error(request, reason)


def refuse_form(form: forms.Form, error: ServiceError, field: str | None = None) -> None:
    """Each reason as an error of `form` (of its `field`, else of the whole form)."""
    for reason in error.reasons:
        form.add_error(field, reason)
