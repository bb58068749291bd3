"""Staff pages: the review queue, the dossier and its decisions, the reporting dashboard."""

from django.urls import path

from .views import dossier, queue, reporting, stays

urlpatterns = [
    path("applications/", queue.queue, name="queue"),
    path("applications/export.csv", queue.queue_export, name="queue_export"),
    path("applications/export.xlsx", queue.queue_export_xlsx, name="queue_export_xlsx"),
    # A large Excel export, written in the background: its page, then its file.
    path("applications/exports/<int:pk>/", queue.queue_export_status, name="queue_export_status"),
    path(
        "applications/exports/<int:pk>/download/",
        queue.queue_export_download,
        name="queue_export_download",
    ),
    # Several departures (or returns) at once, from the queue: confirmed, then recorded.
    path(
        "applications/departures/",
        stays.record_stays,
        {"move": "departed"},
        name="stays_departed",
    ),
    path("applications/returns/", stays.record_stays, {"move": "returned"}, name="stays_returned"),
    # What one recording did, row by row: a page of its own, reloaded without recording again.
    path(
        "applications/departures/results/<slug:key>/",
        stays.stay_results,
        {"move": "departed"},
        name="stays_departed_results",
    ),
    path(
        "applications/returns/results/<slug:key>/",
        stays.stay_results,
        {"move": "returned"},
        name="stays_returned_results",
    ),
    path("applications/<int:pk>/", dossier.dossier, name="dossier"),
    path("applications/<int:pk>/take/", dossier.TakeForReview.as_view(), name="dossier_take"),
    path(
        "applications/<int:pk>/request-changes/",
        dossier.RequestChanges.as_view(),
        name="dossier_request_changes",
    ),
    path("applications/<int:pk>/nominate/", dossier.Nominate.as_view(), name="dossier_nominate"),
    path("applications/<int:pk>/refuse/", dossier.Refuse.as_view(), name="dossier_refuse"),
    path(
        "applications/<int:pk>/host-decision/",
        dossier.RecordHostDecision.as_view(),
        name="dossier_host_decision",
    ),
    path(
        "applications/<int:pk>/departed/",
        dossier.MarkDeparted.as_view(),
        name="dossier_departed",
    ),
    path(
        "applications/<int:pk>/returned/",
        dossier.MarkReturned.as_view(),
        name="dossier_returned",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        dossier.WithdrawForStudent.as_view(),
        name="dossier_withdraw",
    ),
    path(
        "applications/<int:pk>/reinstate/",
        dossier.Reinstate.as_view(),
        name="dossier_reinstate",
    ),
    path("applications/<int:pk>/undo/", dossier.Undo.as_view(), name="dossier_undo"),
    path("applications/<int:pk>/score/", dossier.SetRankingScore.as_view(), name="dossier_score"),
    path("applications/<int:pk>/comments/", dossier.comment_add, name="dossier_comment"),
    path("dashboard/", reporting.reporting, name="reporting"),
]
