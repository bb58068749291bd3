"""Who may see and change plans, applications and documents: every view goes through here.

Anything a person may not see answers 404, so nobody learns that another student's dossier
exists; a person who may see but not change gets 403 on a change.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.models import User
from apps.accounts.roles import Capability, Role, user_can

from .models import Activity, Application, Document, ErasureRequest


def sees_every_application(user: User) -> bool:
    """Whether visible_applications(user) is every application."""
    return user_can(user, Capability.SEE_ALL_DOSSIERS)


def visible_applications(user: User) -> QuerySet[Application]:
    applications = Application.objects.all()
    if sees_every_application(user):
        return applications
    if user.role == Role.ADVISOR:
        return applications.filter(student__student_profile__advisor=user)
    return applications.filter(student=user)


def application_for(user: User, pk: int, *, change: bool = False) -> Application:
    application = (
        visible_applications(user)
        .select_related("call", "student", "student__student_profile")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    if change and application.student_id != user.pk:
        raise PermissionDenied
    return application


def own_activity(user: User, pk: int) -> Activity:
    """Activities are changed only by their student; nobody else even finds them here."""
    activity = (
        Activity.objects.select_related("plan", "partner").filter(pk=pk, plan__student=user).first()
    )
    if activity is None:
        raise Http404
    return activity


def document_for(user: User, pk: int) -> Document:
    document = Document.objects.select_related("application").filter(pk=pk).first()
    if document is None:
        raise Http404
    application_for(user, document.application_id)
    return document


def erasure_request_for(user: User, pk: int) -> ErasureRequest:
    """Those who handle erasure requests see every one; a student only their own; anyone
    else, and a student asking for another's, finds none (404)."""
    requests = ErasureRequest.objects.select_related("student", "student__student_profile")
    if not user_can(user, Capability.HANDLE_ERASURE_REQUESTS):
        requests = requests.filter(student=user)
    request = requests.filter(pk=pk).first()
    if request is None:
        raise Http404
    return request
