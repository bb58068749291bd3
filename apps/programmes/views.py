from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from mobility_portal.caching import canonical_query, memoize

from .figures import programme_figures
from .filters import PartnerFilter
from .models import Agreement, AgreementKind, Language, Partner, StudyField
from .selectors import catalogue_partners, partner_detail

CATALOGUE_TABLES = (
    Partner,
    Agreement,
    Language,
    StudyField,
    Partner.languages.through,
    Partner.fields.through,
)


@memoize(*CATALOGUE_TABLES, per_language=True)
def catalogue_body(query: str) -> str:
    """The catalogue under its title (filters, partners, pages) for one query string. It is
    the same for every visitor, so it is rendered once and kept until a partner, agreement,
    language or field changes."""
    params = QueryDict(query)
    partner_filter = PartnerFilter(params, queryset=catalogue_partners())
    page = Paginator(partner_filter.qs, settings.CATALOGUE_PAGE_SIZE).get_page(params.get("page"))
    others = params.copy()
    others.pop("page", None)
    return render_to_string(
        "programmes/includes/catalogue_body.html",
        {"filter": partner_filter, "page": page, "query": others.urlencode()},
    )


@login_not_required
def catalogue(request):
    query = canonical_query(request.GET)
    # Free-text searches are not kept: there is no end to them, and each would hold a page in
    # the cache. The menus, pages and filters people click through are.
    searching = bool(request.GET.get("q", "").strip())
    body = catalogue_body.__wrapped__(query) if searching else catalogue_body(query)
    return render(request, "programmes/catalogue.html", {"body": body})


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
