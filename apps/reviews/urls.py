"""Staff and advisor pages; each area keeps its routes in its own module."""

from django.urls import include, path

app_name = "reviews"

urlpatterns = [
    path("advisor/", include("apps.reviews.urls_advisor")),
    path("staff/", include("apps.reviews.urls_dri")),
    path("staff/allocation/", include("apps.reviews.urls_allocation")),
    path("staff/nominations/", include("apps.reviews.urls_nominations")),
    path("documents/", include("apps.reviews.urls_documents")),
    path("staff/operations/", include("apps.reviews.urls_operations")),
    path("staff/erasure-requests/", include("apps.reviews.urls_erasure")),
]
