from django.db.models import Case, Count, Prefetch, QuerySet, Sum, Value, When
from django.utils import timezone

from mobility_portal.collation import by_name

from .models import Agreement, AgreementKind, Partner, academic_year_of


def catalogue_partners() -> QuerySet[Partner]:
    """Partners with everything a catalogue row shows, in a constant number of queries; each
    agreement says whether it has `ended` (before the current academic year: students apply
    under the others, as the programme filter and the application form take them)."""
    this_year = academic_year_of(timezone.localdate())
    agreements = Agreement.objects.annotate(
        ended=Case(When(last_year__lt=this_year, then=Value(True)), default=Value(False))
    )
    return Partner.objects.prefetch_related(
        "languages",
        "fields",
        Prefetch("agreements", queryset=agreements.order_by("kind")),
    ).order_by(by_name())


def partner_detail(pk: int) -> QuerySet[Partner]:
    return catalogue_partners().filter(pk=pk)


def catalogue_summary() -> dict:
    """Figures for the staff home page: partners, countries, and the agreements that have not
    ended with their seats, per kind."""
    not_ended = Agreement.not_ended_q(academic_year_of(timezone.localdate()))
    per_kind = {
        row["kind"]: row
        for row in Agreement.objects.filter(not_ended)
        .values("kind")
        .annotate(count=Count("id"), seats=Sum("seats_per_year"))
    }
    kinds = [
        {
            "kind": kind,
            "label": kind.label,
            "count": per_kind.get(kind, {}).get("count", 0),
            "seats": per_kind.get(kind, {}).get("seats") or 0,
        }
        for kind in AgreementKind
    ]
    return {
        "partners": Partner.objects.count(),
        "countries": Partner.objects.values("country").distinct().count(),
        "kinds": kinds,
    }
