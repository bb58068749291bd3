from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from apps.programmes.selectors import catalogue_summary

from .roles import Capability, Role, user_can
from .selectors import advisees_of


def home(request):
    """The signed-in person's starting page, shaped by their role."""
    user = request.user
    if user_can(user, Capability.BUILD_OWN_PLAN):
        return redirect("applications:dashboard")
    context = {"advisees": None, "summary": None}
    if user.role == Role.ADVISOR:
        # A filière's students, every year of them: searched and paginated.
        search = request.GET.get("q", "").strip()[:200]
        page = Paginator(advisees_of(user, search=search), settings.CATALOGUE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(
            advisees=page.object_list,
            page=page,
            search=search,
            query=urlencode({"q": search}) if search else "",
        )
    if user_can(user, Capability.SEE_ALL_DOSSIERS):
        context["summary"] = catalogue_summary()
    return render(request, "accounts/home.html", context)
