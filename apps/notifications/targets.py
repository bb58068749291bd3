"""Whether the page a notification leads to still shows something: a course plan, a stay to
validate, an application can be removed after the notification was written (the student
deletes the activity), and its link then answered 404."""

from urllib.parse import urlsplit

from django.apps import apps
from django.urls import Resolver404, resolve

# The pages notifications lead to that show one object, named by the address's `pk`: that
# object's model (apps/notifications/events.py writes the links).
OBJECT_PAGES = {
    "applications:application_detail": "applications.Application",
    "applications:course_plan_edit": "applications.Activity",
    "reviews:dossier": "applications.Application",
    "reviews:return_page": "applications.Application",
    "reviews:advisor_course_plan": "applications.CoursePlan",
    "reviews:return_recognition": "applications.CoursePlan",
    "reviews:validation_detail": "applications.Activity",
    "reviews:erasure_request": "applications.ErasureRequest",
}


def target_gone(link: str) -> bool:
    """The link leads to one object's page, and that object no longer exists (one query).
    Whether the reader may see it is the page's own business, as before."""
    try:
        match = resolve(urlsplit(link).path)
    except Resolver404:
        return False
    label = OBJECT_PAGES.get(match.view_name)
    if label is None or "pk" not in match.kwargs:
        return False
    return not apps.get_model(label).objects.filter(pk=match.kwargs["pk"]).exists()
