import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from mobility_portal.collation import by_name, sorted_choices
from mobility_portal.search import fold
from mobility_portal.widgets import use_fast_selects

from .models import Agreement, AgreementKind, Language, Partner, StudyField, academic_year_of


def partner_countries() -> list[tuple[str, str]]:
    """Only the countries where the school has partners, by localized name."""
    codes = Partner.objects.order_by().values_list("country", flat=True).distinct()
    return sorted_choices((code, countries.name(code)) for code in codes)


def countries_named(word: str) -> list[str]:
    """The codes of the countries whose name, in the reader's language, contains `word`
    (folded)."""
    return [code for code, country in countries if word in fold(str(country))]


def language_choices() -> list[tuple[str, str]]:
    """The languages of instruction by code, named and sorted in the reader's language."""
    return sorted_choices((language.code, str(language)) for language in Language.objects.all())


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.ChoiceFilter(
        choices=partner_countries, label=_("Country"), empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        method="with_kind",
        choices=AgreementKind.choices,
        label=_("Programme"),
        empty_label=_("All"),
    )
    language = django_filters.ChoiceFilter(
        field_name="languages__code",
        choices=language_choices,
        label=_("Language of instruction"),
        empty_label=_("All"),
        distinct=True,
    )
    field = django_filters.ModelChoiceFilter(
        field_name="fields",
        queryset=StudyField.objects.order_by(by_name()),
        to_field_name="slug",
        label=_("Field of study"),
        empty_label=_("All"),
        distinct=True,
    )

    class Meta:
        model = Partner
        fields = ["q", "country", "kind", "language", "field"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            css = "form-control" if name == "q" else "form-select"
            field.widget.attrs["class"] = css
        self.form.fields["q"].widget.attrs["placeholder"] = _("Name, city, country or field")
        self.form.fields["q"].widget.input_type = "search"
        use_fast_selects(self.form)

    def with_kind(self, queryset, name, value):
        """Partners with an agreement of that kind that has not ended."""
        agreements = Agreement.objects.filter(
            Agreement.not_ended_q(academic_year_of(timezone.localdate())),
            partner=OuterRef("pk"),
            kind=value,
        )
        return queryset.filter(Exists(agreements))

    def search(self, queryset, name, value):
        """Every word typed must be found in the partner's name, city, country (as the reader
        names it) or one of its fields, each word anywhere: "politecnico milano" finds
        "Politecnico di Milano", "ecole" finds "École" (the words are folded)."""
        for word in fold(value).split():
            fields = StudyField.objects.filter(partners=OuterRef("pk"), name__fold__contains=word)
            queryset = queryset.filter(
                Q(name__fold__contains=word)
                | Q(city__fold__contains=word)
                | Q(country__in=countries_named(word))
                | Q(Exists(fields))
            )
        return queryset
