import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import CountryField

from mobility_portal.collation import sorted_by_name
from mobility_portal.dates import long_date

from .languages import language_name


class Language(models.Model):
    """A language of instruction, by ISO 639-1 code."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        return language_name(self.code) or self.name


class StudyField(models.Model):
    """A field of study a partner teaches (computer science, electrical engineering, ...)."""

    slug = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("field of study")
        verbose_name_plural = _("fields of study")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """A host institution the school sends students to."""

    name = models.CharField(_("name"), max_length=255)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    hei_id = models.CharField(
        _("EWP institution id"),
        max_length=255,
        blank=True,
        help_text=_("Erasmus Without Paper identifier (SCHAC code), e.g. tu-berlin.de"),
    )
    nomination_email = models.EmailField(
        _("e-mail for nominations"),
        blank=True,
        help_text=_(
            "The partner's incoming mobility office: where the list of the students the school "
            "nominates there is sent."
        ),
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="partners", verbose_name=_("languages of instruction")
    )
    fields = models.ManyToManyField(
        StudyField, blank=True, related_name="partners", verbose_name=_("fields of study")
    )

    class Meta:
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="partner_unique_name_country")
        ]
        indexes = [models.Index(fields=["country", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:partner_detail", args=[self.pk])

    def offers_an_agreement(self) -> bool:
        """Whether one of its agreements has not ended (annotated `ended` by
        `catalogue_partners`): else a stay there is outside partnerships."""
        return any(not agreement.ended for agreement in self.agreements.all())

    def languages_by_name(self) -> list[Language]:
        """The languages of instruction (prefetched by the catalogue), named and sorted in
        the reader's language."""
        return sorted_by_name(self.languages.all())


class AgreementKind(models.TextChoices):
    DOUBLE_DEGREE = "double_degree", _("Double degree")
    MASTER = "master", _("Master")
    EXCHANGE = "exchange", _("Semester or year exchange")


class Agreement(models.Model):
    """An agreement with a partner: what kind of stay, how many seats, which years."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("partner")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    seats_per_year = models.PositiveSmallIntegerField(
        _("seats per year"), validators=[MinValueValidator(0)]
    )
    first_year = models.PositiveSmallIntegerField(
        _("first academic year"),
        help_text=_("Year the first academic year in force starts, e.g. 2024 for 2024–2025."),
    )
    last_year = models.PositiveSmallIntegerField(
        _("last academic year"),
        null=True,
        blank=True,
        help_text=_("Year the last academic year in force starts; empty when open-ended."),
    )
    language_requirement = models.CharField(
        _("language requirement"), max_length=200, blank=True, help_text=_("e.g. English B2")
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_(
            "Students read them on the partner's page: write nothing meant for staff only."
        ),
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["partner__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "kind"], name="agreement_unique_kind"),
            models.CheckConstraint(
                condition=models.Q(last_year__isnull=True)
                | models.Q(last_year__gte=models.F("first_year")),
                name="agreement_years_ordered",
            ),
        ]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_kind_display()}"

    def clean(self) -> None:
        held = seats_held([self.pk]) if self.pk is not None else {}
        self.clean_against(held.get(self.pk, SeatsHeld()))

    def clean_against(self, held: "SeatsHeld") -> None:
        """`clean()` with what applications hold of the stored agreement read already
        (`seats_held`, for many agreements at once: the partners' import)."""
        check_years_in_full(self, "first_year", "last_year")
        if self.last_year is not None and self.first_year and self.last_year < self.first_year:
            raise ValidationError(
                {"last_year": _("The last year cannot come before the first year.")}
            )
        if self.pk is None:
            return
        self._keep_what_applications_name(held)
        self._keep_the_years_seats_are_held(held)
        self._keep_the_seats_held(held)

    def _keep_the_years_seats_are_held(self, held: "SeatsHeld") -> None:
        """Nominations hold this agreement's seats in their calls' academic years: its years
        in force must still cover them (an agreement ended before them has no seat there)."""
        if self.first_year is None or held.years is None:  # None: the form reports it missing
            return
        first, last = held.years
        problems = {}
        if self.first_year > first:
            problems["first_year"] = _(
                "A student holds a seat under this agreement in %(year)s: it cannot start later."
            ) % {"year": academic_year_label(first)}
        if self.last_year is not None and self.last_year < last:
            problems["last_year"] = _(
                "A student holds a seat under this agreement in %(year)s: it cannot end earlier."
            ) % {"year": academic_year_label(last)}
        if problems:
            raise ValidationError(problems)

    def _keep_the_seats_held(self, held: "SeatsHeld") -> None:
        """As many seats as nominations hold in any academic year not yet over: fewer would
        leave a nominated student without a seat and the allocation over its count. Seats per
        year are one figure, so an earlier year's count is not kept (it may then read as over)."""
        if self.seats_per_year is None or held.busiest is None:
            return
        year, count = held.busiest
        if self.seats_per_year < count:
            raise ValidationError(
                {
                    "seats_per_year": ngettext(
                        "%(held)s student holds a seat under this agreement in %(year)s: it "
                        "cannot have fewer seats.",
                        "%(held)s students hold seats under this agreement in %(year)s: it "
                        "cannot have fewer seats.",
                        count,
                    )
                    % {"held": count, "year": academic_year_label(year)}
                }
            )

    def _keep_what_applications_name(self, held: "SeatsHeld") -> None:
        """Applications chose this agreement, and nominations hold its seats: another kind or
        partner would change what they chose and where seats are counted."""
        if held.named_as is None:
            return
        now = (self.kind, self.partner_id)
        moved = [
            name
            for name, before, after in zip(("kind", "partner"), held.named_as, now, strict=True)
            if before != after
        ]
        if moved:
            message = _(
                "Applications name this agreement: its kind and partner no longer change. "
                "End it (last year) and add a new one."
            )
            raise ValidationError(dict.fromkeys(moved, message))

    def in_force_in(self, academic_year: int) -> bool:
        return self.first_year <= academic_year and (
            self.last_year is None or academic_year <= self.last_year
        )

    @staticmethod
    def in_force_q(academic_year: int) -> models.Q:
        """`in_force_in` as a query condition."""
        return models.Q(first_year__lte=academic_year) & (
            models.Q(last_year__isnull=True) | models.Q(last_year__gte=academic_year)
        )

    @staticmethod
    def not_ended_q(academic_year: int) -> models.Q:
        """In force in `academic_year` or from a later one: what students can still apply
        under (they apply a year ahead), leaving out agreements that have ended."""
        return models.Q(last_year__isnull=True) | models.Q(last_year__gte=academic_year)

    @property
    def years_display(self) -> str:
        first = f"{self.first_year}–{self.first_year + 1}"
        if self.last_year is None:
            return _("from %(first)s") % {"first": first}
        if self.last_year == self.first_year:
            return first
        return f"{first} … {self.last_year}–{self.last_year + 1}"


def check_years_in_full(instance: models.Model, *fields: str) -> None:
    """Academic years are written with their four digits: "27" would make a call or an
    agreement of the year 27, in which no plan's dates ever fall."""
    problems = {
        name: _("Write the year with its four digits: 2027 for 2027–2028.")
        for name in fields
        if getattr(instance, name) is not None and not 1000 <= getattr(instance, name) <= 9999
    }
    if problems:
        raise ValidationError(problems)


# Months before August end an academic year; a semester may start in late August.
FIRST_MONTH_OF_ACADEMIC_YEAR = 8


def academic_year_of(day: date) -> int:
    """The academic year (its first calendar year) `day` falls in: 2027 for 1 March 2028."""
    return day.year if day.month >= FIRST_MONTH_OF_ACADEMIC_YEAR else day.year - 1


def academic_year_label(academic_year: int) -> str:
    """An academic year as people write it: 2027–2028."""
    return f"{academic_year}–{academic_year + 1}"


def _academic_year_written(academic_year: int) -> re.Pattern:
    end = academic_year + 1
    return re.compile(rf"\b{academic_year}(\s*[-–—/]\s*)({end}|{end % 100:02d})\b")


def names_academic_year(text: str, academic_year: int) -> bool:
    """`text` writes `academic_year` out: 2027–2028, 2027-2028, 2027/2028, 2027-28…"""
    return _academic_year_written(academic_year).search(text) is not None


def with_academic_year_moved(text: str, academic_year: int, to_year: int) -> str:
    """`text` with `academic_year` written out as `to_year`, in the same way: a call's name
    copied to another year."""

    def moved(match: re.Match) -> str:
        end = str(to_year + 1) if len(match[2]) == 4 else f"{(to_year + 1) % 100:02d}"
        return f"{to_year}{match[1]}{end}"

    return _academic_year_written(academic_year).sub(moved, text)


@dataclass(frozen=True)
class SeatsHeld:
    """What applications hold of one stored agreement, which a change of it must keep
    (`Agreement.clean`). None where they hold nothing of the kind."""

    # Its kind and partner as stored, when applications chose it.
    named_as: tuple[str, int] | None = None
    # The first and last academic years in which nominations hold its seats.
    years: tuple[int, int] | None = None
    # The academic year not yet over in which nominations hold the most of its seats (the
    # earliest of equals), and how many.
    busiest: tuple[int, int] | None = None


def seats_held(agreement_ids: Collection[int]) -> dict[int, SeatsHeld]:
    """What applications hold of each stored agreement of `agreement_ids` (those of which they
    hold nothing are left out), in three queries whatever their number."""
    # Imported here: the seat rules live with the reviews, which build on this app.
    from apps.reviews.services.seats import SEAT_HOLDING_STATES

    if not agreement_ids:
        return {}
    choices = Agreement._meta.get_field("choices").related_model.objects.filter(
        agreement_id__in=agreement_ids
    )
    named = (
        Agreement.objects.filter(pk__in=agreement_ids)
        .filter(models.Exists(choices.filter(agreement=models.OuterRef("pk"))))
        .values_list("pk", "kind", "partner_id")
    )
    facts: dict[int, dict] = {pk: {"named_as": (kind, partner)} for pk, kind, partner in named}
    # The choices whose nomination holds one of the agreement's seats.
    holding = choices.filter(
        application__nominated_choice=models.F("pk"),
        application__state__in=SEAT_HOLDING_STATES,
    )
    years = (
        holding.values("agreement_id")
        .annotate(
            first=models.Min("application__call__academic_year"),
            last=models.Max("application__call__academic_year"),
        )
        .order_by()
    )
    for row in years:
        facts.setdefault(row["agreement_id"], {})["years"] = (row["first"], row["last"])
    per_year = (
        holding.filter(application__call__academic_year__gte=academic_year_of(timezone.localdate()))
        .values("agreement_id", "application__call__academic_year")
        .annotate(held=models.Count("application"))
        .order_by()
    )
    for row in per_year:
        year, count = row["application__call__academic_year"], row["held"]
        agreement = facts.setdefault(row["agreement_id"], {})
        busiest = agreement.get("busiest")
        if busiest is None or (-count, year) < (-busiest[1], busiest[0]):
            agreement["busiest"] = (year, count)
    return {pk: SeatsHeld(**values) for pk, values in facts.items()}


class Call(models.Model):
    """A call for applications for one academic year, open between two dates (both included)."""

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_(
            "The academic year is shown after the name, e.g. “Exchanges (2027–2028)”, unless "
            "the name already writes it out."
        ),
    )
    academic_year = models.PositiveSmallIntegerField(
        _("academic year"), help_text=_("Year the academic year starts, e.g. 2027 for 2027–2028.")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    max_choices = models.PositiveSmallIntegerField(
        _("maximum number of choices"), default=3, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-academic_year", "closes_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="call_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        if names_academic_year(self.name, self.academic_year):
            return self.name
        return f"{self.name} ({self.academic_year_label})"

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)

    def clean(self) -> None:
        check_years_in_full(self, "academic_year")
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A call cannot close before it opens.")})
        stored = Call.objects.filter(pk=self.pk).values_list("academic_year", flat=True).first()
        if stored is not None and stored != self.academic_year and self.applications.exists():
            # Choices, seats and the one nomination per year are counted in its academic year.
            raise ValidationError(
                {
                    "academic_year": _(
                        "Applications were made to this call: its academic year no longer changes."
                    )
                }
            )

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class CallDeadlineChange(models.Model):
    """The audit row every change of a call's closing date writes (services.call_save): who
    moved it, when, from which date to which, and how many students were told of it. Its id
    keys the students' notifications: one per change, never one per save."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="deadline_changes", verbose_name=_("call")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_date = models.DateField(_("closing date before"))
    to_date = models.DateField(_("closing date after"))
    students_told = models.PositiveIntegerField(_("students told"), default=0)
    # Moved to a day already past on the day of the move: the call closed by it. Judged once,
    # when the change is made, so that every message of it (the portal's entry, an e-mail
    # delivered after midnight) says the same thing.
    closed_by_the_move = models.BooleanField(_("closed by the move"), default=False)

    class Meta:
        verbose_name = _("closing date change")
        verbose_name_plural = _("closing date changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        # The title of its row on the call's admin page: the two dates as the reader writes them.
        return f"{long_date(self.from_date)} → {long_date(self.to_date)}"

    @property
    def moved_earlier(self) -> bool:
        return self.to_date < self.from_date
