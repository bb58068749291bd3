"""Nominations to partners (DRI), under staff/nominations/ in the "reviews" namespace."""

from django.urls import path

from .views import nominations

urlpatterns = [
    path("", nominations.nominations_index, name="nominations_index"),
    path(
        "<int:call_pk>/<int:partner_pk>/",
        nominations.nominations_partner,
        name="nominations_partner",
    ),
    path(
        "<int:call_pk>/<int:partner_pk>/send/",
        nominations.nominations_send,
        name="nominations_send",
    ),
    path(
        "<int:call_pk>/<int:partner_pk>/nominations.csv",
        nominations.nominations_csv,
        name="nominations_csv",
    ),
]
