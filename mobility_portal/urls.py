from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

admin.site.site_header = _("Mobility Portal administration")
admin.site.site_title = _("Mobility Portal")

urlpatterns = [
    path("", include("apps.accounts.urls")),
    path("catalogue/", include("apps.programmes.urls")),
    path("", include("apps.applications.urls")),
    path("", include("apps.reviews.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
