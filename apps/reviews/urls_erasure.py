"""Erasure requests (GDPR), for the administrators who handle them."""

from django.urls import path

from .views import erasure

urlpatterns = [
    path("", erasure.erasure_requests, name="erasure_requests"),
    path("<int:pk>/", erasure.erasure_request, name="erasure_request"),
    path("<int:pk>/carry-out/", erasure.erasure_carry_out, name="erasure_carry_out"),
    path("<int:pk>/refuse/", erasure.erasure_refuse, name="erasure_refuse"),
]
