"""The regulation versions, side by side, and the publication of a new one by the DRI."""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from apps.applications.errors import ServiceError
from apps.applications.models import MobilityPlan
from apps.rules.models import PublishedRegulation
from apps.rules.published import PARAMETER_LABELS, current_regulations
from apps.rules.versions import PARAMETERS, RegulationVersion
from mobility_portal.numbers import grouped
from mobility_portal.refusals import refuse_form

from ..forms_regulations import RegulationPublishForm
from ..services.regulations import ComparedWithAnotherVersion, regulation_publish_impact
from ..services.regulations import regulation_publish as services_publish


@dataclass(frozen=True)
class VersionColumn:
    version: RegulationVersion
    published: PublishedRegulation | None  # None for a built-in version
    plans: int
    current: bool


@capability_required(Capability.SEE_ALL_DOSSIERS)
@require_safe
def regulations(request):
    known = current_regulations()
    rows = PublishedRegulation.objects.select_related("published_by")
    published = {row.name: row for row in rows}
    plans = dict(
        MobilityPlan.objects.order_by().values_list("regulation").annotate(count=Count("pk"))
    )
    columns = [
        VersionColumn(
            version=version,
            published=published.get(name),
            plans=plans.get(name, 0),
            current=name == known.current,
        )
        for name, version in reversed(known.versions.items())
    ]
    figures = [
        (PARAMETER_LABELS[parameter], [getattr(column.version, parameter) for column in columns])
        for parameter in PARAMETERS
    ]
    return render(request, "reviews/regulations.html", {"columns": columns, "figures": figures})


@capability_required(Capability.PUBLISH_REGULATIONS)
@require_http_methods(["GET", "HEAD", "POST"])
def regulation_publish(request):
    """The form, then a confirmation that names what changes and how many plans move, then the
    publication."""
    current = current_regulations().current_version
    if request.method != "POST":
        form = RegulationPublishForm(current=current)
        return render(request, "reviews/regulation_publish.html", {"form": form})
    form = RegulationPublishForm(request.POST, current=current, actor=request.user)
    if not form.is_valid() or "edit" in request.POST:
        status = 200 if form.is_valid() else 400
        return render(request, "reviews/regulation_publish.html", {"form": form}, status=status)
    if request.POST.get("confirmed") != "yes":
        return _confirmation(request, form)
    try:
        published = services_publish(
            actor=request.user,
            name=form.cleaned_data["name"],
            figures=form.figures,
            note=form.cleaned_data["note"],
            based_on=form.cleaned_data["based_on"],
        )
    except ComparedWithAnotherVersion as stale:
        # Compared again with the version now current, before anything is published.
        messages.warning(request, stale.reasons[0])
        current = current_regulations(fresh=True).current_version
        data = request.POST.copy()
        data["based_on"] = current.name
        return _confirmation(request, RegulationPublishForm(data, current=current), status=409)
    except ServiceError as error:
        refuse_form(form, error)
        return render(request, "reviews/regulation_publish.html", {"form": form}, status=400)
    messages.success(
        request,
        ngettext(
            "Version %(name)s is published and is now the current one; %(count)s plan moved to "
            "it. Every plan is being checked again: the progress is below.",
            "Version %(name)s is published and is now the current one; %(count)s plans moved to "
            "it. Every plan is being checked again: the progress is below.",
            published.plans_moved,
        )
        % {"name": published.name, "count": grouped(published.plans_moved)},
    )
    return redirect("reviews:operations")


def _confirmation(request, form: RegulationPublishForm, status: int = 200):
    """What changes from the version the form was compared with, and how many plans move."""
    form.is_valid()
    current = current_regulations(fresh=True).versions[form.cleaned_data["based_on"]]
    changes = [
        (PARAMETER_LABELS[parameter], getattr(current, parameter), value)
        for parameter, value in form.figures.items()
        if getattr(current, parameter) != value
    ]
    context = {
        "form": form,
        "current": current,
        "changes": changes,
        "impact": regulation_publish_impact(),
    }
    return render(request, "reviews/regulation_publish_confirm.html", context, status=status)
