from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from mobility_portal.collation import by_name
from mobility_portal.numbers import digits_number
from mobility_portal.search import FoldedSearchMixin

from .forms import NOT_WHOLE, OUTDATED, PartnersImportConfirmForm, PartnersImportForm
from .importing import ImportFailed, ImportReport, PreviewOutdated, import_partners_csv
from .models import (
    Agreement,
    Call,
    CallDeadlineChange,
    Language,
    Partner,
    StudyField,
    academic_year_label,
    academic_year_of,
)
from .services import (
    AgreementChangedMeanwhile,
    agreement_extend_one_year,
    call_copy_to_next_year,
    call_save,
)


class AgreementInline(admin.StackedInline):
    """Stacked: the agreements' seven columns side by side ran the partner's page 700 px past
    a laptop's width, its notes box and delete box out of sight."""

    model = Agreement
    extra = 0


@admin.register(Partner)
class PartnerAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "country", "city", "agreement_count"]
    # The countries partners are in, not every country of the world.
    list_filter = [("country", CountryFilter), "agreements__kind", "languages"]
    # Accents and case left aside (FoldedSearchMixin), here and in the agreements' partner
    # autocomplete, which searches with this admin.
    search_fields = ["name__fold__contains", "city__fold__contains"]
    # As a reader sorts names: "École polytechnique" among the E's, "ETH" after "Eindhoven".
    ordering = [by_name("name")]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    filter_horizontal = ["languages", "fields"]
    inlines = [AgreementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(agreement_total=Count("agreements"))

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="programmes_partner_import",
            ),
            *super().get_urls(),
        ]

    def may_import(self, request) -> bool:
        """An import creates and changes partners and agreements."""
        agreements = self.admin_site._registry[Agreement]
        return all(
            permission(request)
            for permission in (
                self.has_add_permission,
                self.has_change_permission,
                agreements.has_add_permission,
                agreements.has_change_permission,
            )
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_import": self.may_import(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """The import command's CSV, uploaded by the DRI: checked in full and previewed (every
        value it creates, changes or empties), written once confirmed, exactly as previewed.
        The DRI sent the file to IT to run `manage.py import_partners`."""
        if not self.may_import(request):
            raise PermissionDenied
        upload_form = PartnersImportForm()
        if request.method == "POST" and "text" in request.POST:
            confirm = PartnersImportConfirmForm(request.POST)
            if confirm.is_valid():
                text = confirm.cleaned_data["text"]
                try:
                    # Logged in the history of each partner and agreement written, as the
                    # admin's own saves are.
                    report = import_partners_csv(
                        text, actor=request.user, expected_digest=confirm.cleaned_data["preview"]
                    )
                except ImportFailed as failure:
                    return self._import_page(request, upload_form, problems=failure.problems)
                except PreviewOutdated as outdated:
                    if not outdated.report.changes:
                        # Nothing left to change: the file is in the portal already (most
                        # often the confirmation sent twice, the first one imported).
                        self.message_user(
                            request,
                            gettext(
                                "The portal already holds everything this file says: nothing "
                                "was left to import."
                            ),
                            messages.INFO,
                        )
                        return redirect("admin:programmes_partner_changelist")
                    return self._preview_page(
                        request, upload_form, text, outdated.report, error=OUTDATED, status=409
                    )
                self.message_user(
                    request,
                    gettext("Partners file imported. %(summary)s") % {"summary": report.summary()},
                    messages.SUCCESS,
                )
                return redirect("admin:programmes_partner_changelist")
            # An empty text, one the form refuses (a NUL character), or not the one previewed
            # (its digest missing or another): a confirmation cut short or tampered with. Said,
            # rather than the upload page as if nothing was sent, or the rows before the cut
            # imported.
            return self._import_page(request, upload_form, error=NOT_WHOLE)
        elif request.method == "POST":
            upload_form = PartnersImportForm(request.POST, request.FILES)
            if upload_form.is_valid():
                text = upload_form.cleaned_data["file"]
                try:
                    report = import_partners_csv(text, write=False)
                except ImportFailed as failure:
                    return self._import_page(request, upload_form, problems=failure.problems)
                return self._preview_page(request, upload_form, text, report, status=200)
            problems = upload_form.unreadable_problems()
            if problems:
                # A file that is not UTF-8: its problem listed as any other's, with the
                # summary that nothing was imported, not as the field's error.
                return self._import_page(request, PartnersImportForm(), problems=problems)
            return self._import_page(request, upload_form, status=400)
        return self._import_page(request, upload_form, status=200)

    def _preview_page(
        self, request, upload_form, text: str, report: ImportReport, *, status: int, **context
    ):
        """What importing `text` does (`report`), and the form that imports it: only if it
        still does exactly that."""
        return self._import_page(
            request,
            upload_form,
            preview=report.summary(),
            report=report,
            confirm=PartnersImportConfirmForm.of(text, report.digest()),
            status=status,
            **context,
        )

    def _import_page(self, request, upload_form, *, status=400, **context):
        return TemplateResponse(
            request,
            "admin/programmes/partner/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Import partners and agreements"),
                "upload_form": upload_form,
                "problems": [],
                **context,
            },
            status=status,
        )

    @admin.display(description=_("Agreements"), ordering="agreement_total")
    def agreement_count(self, partner: Partner) -> int:
        return partner.agreement_total


NOT_IN_FORCE = "not-"

# The extension's confirmation: the last year each agreement was shown with, by its id.
SEEN_LAST_YEAR = "last_year_seen_"
NOT_SHOWN = object()


def _seen_last_year(value: str | None) -> int | None | object:
    """The last year the confirmation page showed ("" for open-ended), NOT_SHOWN when the
    confirmation has none that the page could have written."""
    if value == "":
        return None
    year = digits_number(value, most_digits=4)
    return NOT_SHOWN if year is None else year


class InForceFilter(admin.SimpleListFilter):
    """Which agreements are in force in an academic year, or not: before next year's call, the
    DRI finds those that end (to renew them) among every agreement's two years."""

    title = _("years in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        current = academic_year_of(timezone.localdate())
        call_years = Call.objects.order_by().values_list("academic_year", flat=True).distinct()
        years = sorted({current, current + 1, *call_years})
        return [
            option
            for year in years
            for option in (
                (str(year), _("in force in %(year)s") % {"year": academic_year_label(year)}),
                (
                    f"{NOT_IN_FORCE}{year}",
                    _("not in force in %(year)s") % {"year": academic_year_label(year)},
                ),
            )
        ]

    def queryset(self, request, queryset):
        value = self.value() or ""
        year = digits_number(value.removeprefix(NOT_IN_FORCE), most_digits=4)
        if year is None or year < 1000:
            return queryset  # no choice, or one the menu never offers: every agreement
        condition = Agreement.in_force_q(year)
        return (
            queryset.exclude(condition)
            if value.startswith(NOT_IN_FORCE)
            else queryset.filter(condition)
        )


@admin.register(Agreement)
class AgreementAdmin(FoldedSearchMixin, admin.ModelAdmin):
    # Fits beside the filters on a laptop (tests/e2e/test_admin_agreement_width.py): the
    # partner's name wraps (the admin keeps a foreign key's cell on one line), and the years
    # in force share one column, as the catalogue writes them ("2024–2025 … 2027–2028").
    list_display = ["partner_name", "kind", "seats_per_year", "years"]
    list_filter = ["kind", InForceFilter, ("partner__country", CountryFilter)]
    search_fields = ["partner__name__fold__contains"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]
    actions = ["extend_one_year"]
    ordering = [by_name("partner__name"), "kind"]

    @admin.action(permissions=["change"], description=_("Extend by one academic year"))
    def extend_one_year(self, request, queryset):
        """Agreements the partners renewed, a year further each, instead of opening each one
        to change its last year; open-ended ones are left as they are. A page first lists each
        one's last year now and after, as the delete action's does; its confirmation carries
        the last year each was shown with, so that one sent twice extends once (the second
        finds a year it was not shown, and says so)."""
        agreements = list(queryset.select_related("partner").order_by("pk"))
        if request.POST.get("post") != "yes":
            return self._extend_confirmation(request, agreements)
        extended = left = 0
        for agreement in agreements:
            seen = _seen_last_year(request.POST.get(f"{SEEN_LAST_YEAR}{agreement.pk}"))
            if seen is NOT_SHOWN:  # a confirmation tampered with, or another page's
                self.message_user(
                    request,
                    _("%(agreement)s is not extended: it was not on the confirmation page.")
                    % {"agreement": agreement},
                    messages.ERROR,
                )
                continue
            try:
                done = agreement_extend_one_year(
                    actor=request.user, agreement=agreement, seen_last_year=seen
                )
            except AgreementChangedMeanwhile as changed:
                self.message_user(
                    request,
                    _(
                        "%(agreement)s is not extended: its academic years changed since the "
                        "confirmation page showed them (now %(years)s). Select it again to "
                        "extend it."
                    )
                    % {"agreement": agreement, "years": changed.agreement.years_display},
                    messages.WARNING,
                )
                continue
            except ValidationError as error:  # stored before a check the model has now
                self.message_user(
                    request,
                    _("%(agreement)s is not extended: %(problems)s")
                    % {"agreement": agreement, "problems": " ".join(error.messages)},
                    messages.ERROR,
                )
                continue
            extended += done
            left += not done
        if extended:
            self.message_user(
                request,
                ngettext(
                    "%(count)d agreement extended by one academic year.",
                    "%(count)d agreements extended by one academic year.",
                    extended,
                )
                % {"count": extended},
                messages.SUCCESS,
            )
        if left:
            self.message_user(
                request,
                ngettext(
                    "%(count)d agreement is open-ended: left as it is.",
                    "%(count)d agreements are open-ended: left as they are.",
                    left,
                )
                % {"count": left},
                messages.INFO,
            )

    def _extend_confirmation(self, request, agreements: list[Agreement]) -> TemplateResponse:
        rows = [
            {
                "agreement": agreement,
                "seen": "" if agreement.last_year is None else str(agreement.last_year),
                "now": (
                    gettext("open-ended")
                    if agreement.last_year is None
                    else academic_year_label(agreement.last_year)
                ),
                "after": (
                    gettext("open-ended: left as it is")
                    if agreement.last_year is None
                    else academic_year_label(agreement.last_year + 1)
                ),
            }
            for agreement in agreements
        ]
        return TemplateResponse(
            request,
            "admin/programmes/agreement/extend_one_year.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Extend by one academic year"),
                "rows": rows,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "seen_prefix": SEEN_LAST_YEAR,
                "media": self.media,
            },
        )

    @admin.display(description=_("partner"), ordering=by_name("partner__name"))
    def partner_name(self, agreement: Agreement) -> str:
        return agreement.partner.name

    @admin.display(description=_("Academic years"), ordering="first_year")
    def years(self, agreement: Agreement) -> str:
        return agreement.years_display


@admin.register(Language)
class LanguageAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    ordering = [by_name("name")]
    search_fields = ["code__fold__contains", "name__fold__contains"]


@admin.register(StudyField)
class StudyFieldAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["slug", "name"]
    ordering = [by_name("name")]
    search_fields = ["slug__fold__contains", "name__fold__contains"]


class CallDeadlineChangeInline(admin.TabularInline):
    """The call's closing date changes, as services.call_save recorded them: read only."""

    model = CallDeadlineChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "actor", "from_date", "to_date", "students_told"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Call)
class CallAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "academic_year", "opens_on", "closes_on", "max_choices"]
    list_filter = ["academic_year"]
    search_fields = ["name__fold__contains"]
    inlines = [CallDeadlineChangeInline]
    actions = ["copy_to_next_year"]

    def save_model(self, request, obj, form, change):
        moved = call_save(call=obj, actor=request.user)
        if moved is not None:
            self.message_user(
                request,
                ngettext(
                    "The closing date moved: %(count)d student with a draft application was told.",
                    "The closing date moved: %(count)d students with a draft application were "
                    "told.",
                    moved.students_told,
                )
                % {"count": moved.students_told},
                messages.INFO,
            )

    @admin.action(permissions=["add"], description=_("Copy to the next academic year"))
    def copy_to_next_year(self, request, queryset):
        """Next year's calls from this year's, instead of typing each again: the same name and
        number of choices, the dates a year later, for the DRI to adjust.

        No confirmation page, unlike the agreements' extension: a copy sent twice makes one
        call (call_copy_to_next_year finds the first and says so), nothing stored is changed,
        and a single copy opens at once for its dates to be checked (or deleted)."""
        copies, skipped = [], []
        for call in queryset.order_by("academic_year", "opens_on", "pk"):
            try:
                copy = call_copy_to_next_year(actor=request.user, call=call)
            except ValidationError as error:  # stored before a check the model has now
                self.message_user(
                    request,
                    _("“%(name)s” is not copied: %(problems)s")
                    % {"name": call.name, "problems": " ".join(error.messages)},
                    messages.ERROR,
                )
                continue
            if copy is None:
                skipped.append(call)
            else:
                copies.append(copy)
        if copies:
            self.message_user(
                request,
                ngettext(
                    "%(count)d call copied to the next academic year: check its dates.",
                    "%(count)d calls copied to the next academic year: check their dates.",
                    len(copies),
                )
                % {"count": len(copies)},
                messages.SUCCESS,
            )
        for call in skipped:
            self.message_user(
                request,
                _("“%(name)s” is not copied: %(year)s has a call of this name already.")
                % {"name": call.name, "year": academic_year_label(call.academic_year + 1)},
                messages.WARNING,
            )
        if len(copies) == 1:
            return redirect("admin:programmes_call_change", copies[0].pk)
        return None
