from django.http import HttpResponse
from django.shortcuts import render

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability

from ..privacy import export_filename, export_zip

student_only = capability_required(Capability.BUILD_OWN_PLAN)


@student_only
def privacy_export(request):
    """GET explains what the archive holds; POST builds it and downloads it."""
    if request.method != "POST":
        return render(request, "applications/privacy_export.html")
    response = HttpResponse(export_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(request.user)}"'
    return response
