"""Staff operations: the re-check of every plan, its progress, and the health endpoint."""

from django.urls import path

from .views import operations, regulations

urlpatterns = [
    path("", operations.operations, name="operations"),
    path("recheck/", operations.recheck_start, name="operations_recheck"),
    path("recheck/progress/", operations.recheck_progress, name="operations_progress"),
    path(
        "emails/send-again/",
        operations.notifications_send_again,
        name="operations_send_again",
    ),
    path("regulations/", regulations.regulations, name="regulations"),
    path("regulations/publish/", regulations.regulation_publish, name="regulation_publish"),
    path("healthz", operations.healthz, name="healthz"),
]
