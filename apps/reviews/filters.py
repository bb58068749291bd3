"""The DRI queue's filters and sort, shared by the page and its CSV export."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.selectors import student_search
from apps.applications.models import ActivityKind, Application
from mobility_portal.widgets import use_fast_selects

from .selectors_queue import (
    QUEUE_STATES,
    academic_years,
    call_menu,
    course_plans_approved,
    destination_countries,
    has_matching_choice,
    nominated_stay,
    partner_menu,
    sorted_queue,
)

SORT_CHOICES = [
    ("submitted", _("Submitted, oldest first")),
    ("-submitted", _("Submitted, newest first")),
    ("name", _("Student name, A to Z")),
    ("-name", _("Student name, Z to A")),
    ("state", _("State, in workflow order")),
    ("-state", _("State, in reverse workflow order")),
    ("-score", _("Ranking score, highest first")),
    ("score", _("Ranking score, lowest first")),
]
# Every kind, the study stays first (ActivityKind's order): a call applies for study stays only,
# but a withdrawn application's stay may since have become another kind, and the dashboard
# counts it, and links to the queue, under the kind it is now.
KIND_CHOICES = ActivityKind.choices
# The nominated stay against today: "begun" lists the departures to record without any
# confirmation, "ended" the returns (selectors_queue.NOMINATED_STAY).
STAY_CHOICES = [
    ("not_begun", _("Not begun yet")),
    ("begun", _("Begun (its first day is reached)")),
    ("ended", _("Ended (its last day is reached)")),
]
# Filters that select one choice of an application together (QueueFilter.filter_choice).
CHOICE_FILTERS = ("partner", "country", "kind")
# Filters that do not narrow the rows the per-state counts are taken over.
NOT_COUNTED = frozenset({"state", "sort"})


class SharedChoiceField(django_filters.fields.ChoiceField):
    """A menu whose choices, read from the cache and never changed, are shared by the copies
    Django makes of the field for each form: deep-copying the 300 partners on every page took
    about a quarter of the queue's time."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)  # not ChoiceField's: it copies choices
        result._choices = self._choices
        return result


class MenuFilter(django_filters.ChoiceFilter):
    field_class = SharedChoiceField


def _year_choices() -> list[tuple[int, str]]:
    return [(year, f"{year}–{year + 1}") for year in academic_years()]


YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class YesNoField(forms.NullBooleanField):
    """All, yes or no; any other value is an error, as an unknown choice of the other menus
    is, rather than read as "All" and listing what the officer did not ask for."""

    widget = forms.Select(choices=YES_NO)

    def to_python(self, value):
        if value not in (None, *(choice for choice, _label in YES_NO)):
            raise forms.ValidationError(
                _("Select a valid choice. %(value)s is not one of the available choices."),
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class QueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Student"))
    year = MenuFilter(
        field_name="call__academic_year",
        choices=(),  # read from the database by __init__
        label=_("Academic year"),
        empty_label=_("All"),
    )
    call = MenuFilter(
        field_name="call",
        choices=(),  # read from the cache or the database by __init__
        label=_("Call"),
        empty_label=_("All"),
    )
    state = django_filters.ChoiceFilter(
        choices=[(state.value, state.label) for state in QUEUE_STATES],
        label=_("State"),
        empty_label=_("All"),
    )
    stay = django_filters.ChoiceFilter(
        choices=STAY_CHOICES,
        method="filter_stay",
        label=_("Nominated stay"),
        empty_label=_("All"),
    )
    partner = MenuFilter(
        choices=(),  # read from the cache or the database by __init__
        method="filter_choice",
        label=_("Partner"),
        empty_label=_("All"),
    )
    country = MenuFilter(
        choices=(),  # read from the database by __init__
        method="filter_choice",
        label=_("Destination country"),
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(
        choices=KIND_CHOICES,
        method="filter_choice",
        label=_("Programme"),
        empty_label=_("All"),
    )
    has_errors = YesNoFilter(
        field_name="snapshot_has_errors", label=_("Rule errors when submitted")
    )
    course_plan_approved = YesNoFilter(
        method="filter_course_plans", label=_("Course plans approved")
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="sort_by", label=_("Sort by"), empty_label=None
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once here: callable choices would be read again for validation and display.
        # The menus are memoized (mobility_portal/caching.py): no query while nothing changes.
        self.filters["year"].extra["choices"] = _year_choices()
        self.filters["call"].extra["choices"] = call_menu()
        self.filters["partner"].extra["choices"] = partner_menu()
        self.filters["country"].extra["choices"] = destination_countries()
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"
        self.form.fields["q"].widget.input_type = "search"
        self.form.fields["q"].widget.attrs["placeholder"] = _("Name, e-mail or student number")
        use_fast_selects(self.form)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word must match the student's first or last name, e-mail or number."""
        return student_search(queryset, value)

    def filter_choice(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The partner, the country and the programme select one choice together (any choice,
        the nominated one too): applied once, by the first of them given."""
        cleaned = self.form.cleaned_data
        given = {key: cleaned[key] for key in CHOICE_FILTERS if cleaned.get(key)}
        if name != next(iter(given), name):
            return queryset
        return queryset.filter(has_matching_choice(**given))

    def filter_stay(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(nominated_stay(value, timezone.localdate()))

    def filter_course_plans(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        approved = course_plans_approved()
        return queryset.filter(approved if value else ~approved)

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return sorted_queue(queryset, value)

    def counted_queryset(self) -> QuerySet:
        """The rows every filter but the state selects: the per-state counts are taken over
        these, so each count says how many rows choosing that state would show."""
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        self.form.is_valid()  # fills cleaned_data with the fields that are valid
        for name, value in self.form.cleaned_data.items():
            if name not in NOT_COUNTED:
                queryset = self.filters[name].filter(queryset, value)
        return queryset
