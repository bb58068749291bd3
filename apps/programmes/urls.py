from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("partners/<int:pk>/", views.partner, name="partner_detail"),
    path("programmes/", views.programmes, name="programmes"),
]
