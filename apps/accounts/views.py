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
        context["advisees"] = advisees_of(user)
    if user_can(user, Capability.SEE_ALL_DOSSIERS):
        context["summary"] = catalogue_summary()
    return render(request, "accounts/home.html", context)
