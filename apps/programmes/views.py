from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from mobility_portal.caching import canonical_query, memoize
from mobility_portal.page_cache import keep_page
from mobility_portal.parsing import whole_number

from .figures import programme_figures
from .filters import PartnerFilter, partner_countries
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


# Pages further than this are rendered for their visitor only, not kept.
MAX_KEPT_PAGE = 999


@memoize(Partner, Language, StudyField)
def catalogue_menu_values() -> dict[str, frozenset[str]]:
    """What each of the catalogue's menus offers."""
    return {
        "country": frozenset(code for code, _name in partner_countries()),
        "kind": frozenset(AgreementKind.values),
        "language": frozenset(Language.objects.values_list("code", flat=True)),
        "field": frozenset(StudyField.objects.values_list("slug", flat=True)),
    }


def kept_query(params: QueryDict) -> str | None:
    """The filters to keep the catalogue's body under; None when it is rendered for this
    visitor only: a free-text search, an unknown parameter, a value no menu offers, a page out
    of range. There is no end to those, and each would hold a page in the cache."""
    menus = catalogue_menu_values()
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        chosen = [value for value in values if value.strip()]
        if not chosen:
            continue
        if len(chosen) > 1:
            return None
        if name == "page":
            page = whole_number(chosen[0])
            if page is None or page > MAX_KEPT_PAGE:
                return None
        elif chosen[0] not in menus.get(name, ()):
            return None
        kept[name] = chosen[0]
    return canonical_query(kept)


@login_not_required
@require_safe
@keep_page
def catalogue(request):
    query = kept_query(request.GET)
    if query is None:
        body = catalogue_body.__wrapped__(canonical_query(request.GET))
    else:
        body = catalogue_body(query)
    return render(request, "programmes/catalogue.html", {"body": body})


@login_not_required
@require_safe
def partner(request, pk: int):
    found = get_object_or_404(partner_detail(pk))
    return render(
        request,
        "programmes/partner_detail.html",
        {"partner": found, "offered": found.offers_an_agreement()},
    )


@login_not_required
@require_safe
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
