"""Seat allocation per call (DRI), under staff/allocation/ in the "reviews" namespace."""

from django.urls import path

from .views import allocation

urlpatterns = [
    path("", allocation.allocation_index, name="allocation_index"),
    path("<int:call_pk>/", allocation.allocation_detail, name="allocation_detail"),
    path(
        "<int:call_pk>/scores/",
        allocation.allocation_scores_import,
        name="allocation_scores_import",
    ),
    path("<int:call_pk>/review/", allocation.allocation_review, name="allocation_review"),
    path("<int:call_pk>/confirm/", allocation.allocation_confirm, name="allocation_confirm"),
]
