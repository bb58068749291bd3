from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .figures import programme_figures
from .filters import PartnerFilter
from .models import AgreementKind
from .selectors import catalogue_partners, partner_detail


@login_not_required
def catalogue(request):
    partner_filter = PartnerFilter(request.GET, queryset=catalogue_partners())
    page = Paginator(partner_filter.qs, settings.CATALOGUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programmes/catalogue.html",
        {"filter": partner_filter, "page": page, "query": query.urlencode()},
    )


@login_not_required
def partner(request, pk: int):
    found = get_object_or_404(partner_detail(pk))
    return render(request, "programmes/partner_detail.html", {"partner": found})


@login_not_required
def programmes(request):
    return render(
        request,
        "programmes/programmes.html",
        {
            "figures": programme_figures(),
            "kinds": AgreementKind,
            "contacts": {
                "dri_name": settings.DRI_CONTACT_NAME,
                "dri_email": settings.DRI_CONTACT_EMAIL,
                "internship_name": settings.INTERNSHIP_CONTACT_NAME,
                "internship_email": settings.INTERNSHIP_CONTACT_EMAIL,
            },
        },
    )
