import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from apps.programmes.models import Agreement, AgreementKind, Call, Partner
from apps.rules.versions import DEFAULT_VERSION


class ActivityKind(models.TextChoices):
    DOUBLE_DEGREE = "double_degree", _("Double degree")
    MASTER = "master", _("Master abroad")
    EXCHANGE_SEMESTER = "exchange_semester", _("One semester of exchange")
    EXCHANGE_YEAR = "exchange_year", _("Two semesters of exchange")
    FH_INTERNSHIP = "fh_internship", _("Human-development internship (1A)")
    SUMMER_STAY = "summer_stay", _("Summer stay (between 2A and 3A)")
    ENGINEERING_INTERNSHIP = "engineering_internship", _("Engineering internship")
    FREE_INTERNSHIP = "free_internship", _("Optional internship after a year abroad")


STUDY_KINDS = frozenset(
    {
        ActivityKind.DOUBLE_DEGREE,
        ActivityKind.MASTER,
        ActivityKind.EXCHANGE_SEMESTER,
        ActivityKind.EXCHANGE_YEAR,
    }
)

# Which agreement a study activity is applied for under.
AGREEMENT_KIND_FOR_ACTIVITY = {
    ActivityKind.DOUBLE_DEGREE: AgreementKind.DOUBLE_DEGREE,
    ActivityKind.MASTER: AgreementKind.MASTER,
    ActivityKind.EXCHANGE_SEMESTER: AgreementKind.EXCHANGE,
    ActivityKind.EXCHANGE_YEAR: AgreementKind.EXCHANGE,
}


class SummerType(models.TextChoices):
    LAB_INTERNSHIP = "lab_internship", _("Internship in a lab")
    COMPANY_INTERNSHIP = "company_internship", _("Internship in a company")
    SUMMER_SCHOOL = "summer_school", _("Summer school")
    OTHER = "other", _("Other")


class MobilityPlan(models.Model):
    """A student's one current plan; its activities are converted to the engine's format in
    `plan_format.py`. The check columns cache the last check for staff lists."""

    student = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mobility_plan",
        verbose_name=_("student"),
    )
    regulation = models.CharField(_("regulation version"), max_length=16, default=DEFAULT_VERSION)
    engineering_internship_validated = models.BooleanField(
        _("engineering internship already validated"), default=False
    )
    full_year_internship_before_departure = models.BooleanField(
        _("a full year of internship before departure"), default=False
    )
    compliant = models.BooleanField(_("compliant"), default=False)
    error_count = models.PositiveSmallIntegerField(_("errors"), default=0)
    qualifying_days = models.PositiveIntegerField(_("qualifying days abroad"), default=0)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mobility plan")
        verbose_name_plural = _("mobility plans")

    def __str__(self) -> str:
        return str(_("Mobility plan of %(student)s") % {"student": self.student})


class NamesItsHost:
    """A model whose host is `partner`, a partner of the school, or else `host_name`."""

    partner_id: int | None
    host_name: str

    @property
    def host_display(self) -> str:
        return self.partner.name if self.partner_id else self.host_name

    @property
    def host_key(self) -> tuple:
        """What tells two hosts apart: the partner, else the name outside partnerships."""
        return (self.partner_id, "" if self.partner_id else self.host_name)


class Activity(NamesItsHost, models.Model):
    """One period of a plan: a study stay, an internship or a summer stay."""

    plan = models.ForeignKey(
        MobilityPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ActivityKind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner institution"),
    )
    host_name = models.CharField(
        _("host (outside partnerships)"),
        max_length=255,
        blank=True,
        help_text=_("University, company or lab, when it is not a partner of the school."),
    )
    country = CountryField(_("country"))
    ects = models.PositiveSmallIntegerField(_("planned ECTS credits"), null=True, blank=True)
    ects_project = models.PositiveSmallIntegerField(
        _("ECTS of final project, thesis or internship"), null=True, blank=True
    )
    internship_start = models.DateField(_("internship first day"), null=True, blank=True)
    internship_end = models.DateField(_("internship last day"), null=True, blank=True)
    internship_country = CountryField(_("internship country"), blank=True)
    summer_type = models.CharField(
        _("type of summer stay"), max_length=32, choices=SummerType.choices, blank=True
    )
    approved_by_dfi = models.BooleanField(_("validated by the DFI"), default=False)
    approved_by_dri = models.BooleanField(_("validated by the DRI"), default=False)
    last_obligation = models.BooleanField(
        _("last obligation before graduating"),
        default=True,
        help_text=_("This internship is the last thing you owe to graduate."),
    )
    validation_requested_at = models.DateTimeField(_("validation requested"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="activity_dates_ordered"
            )
        ]
        # The DRI queue's programme filter and the counts by programme.
        indexes = [
            models.Index(fields=["kind"], name="activity_kind_idx"),
            # The queue's destination-country filter, for hosts outside partnerships.
            models.Index(fields=["country"], name="activity_country_idx"),
        ]

    def __str__(self) -> str:
        start, end = (date_format(day, "SHORT_DATE_FORMAT") for day in (self.start, self.end))
        # An internship or a summer stay may name no host: then its kind and dates alone.
        named = self.get_kind_display()
        if self.host_display:
            named = f"{named} — {self.host_display}"
        return f"{named} ({start} → {end})"

    @property
    def engine_id(self) -> str:
        """The id this activity carries in the engine's plan format and in findings."""
        return str(self.pk) if self.pk else "new"

    @property
    def host_token(self) -> str:
        """`host_key` as a form carries it, to tell whether the stay moved since the page."""
        return f"partner:{self.partner_id}" if self.partner_id else f"host:{self.host_name}"

    @property
    def is_study(self) -> bool:
        return self.kind in STUDY_KINDS


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    NOMINATED = "nominated", _("Nominated")
    ACCEPTED = "accepted", _("Accepted by the host")
    HOST_REFUSED = "host_refused", _("Refused by the host")
    REFUSED = "refused", _("Refused")
    IN_MOBILITY = "in_mobility", _("In mobility")
    RETURNED = "returned", _("Returned")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("student"),
    )
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    motivation = models.TextField(_("motivation"), blank=True)
    snapshot = models.JSONField(
        _("plan and findings as submitted"), null=True, blank=True, editable=False
    )
    snapshot_has_errors = models.BooleanField(_("rule errors when submitted"), default=False)
    ranking_score = models.DecimalField(
        _("ranking score"),
        max_digits=7,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Set by the DRI; the higher, the better ranked in seat allocation."),
    )
    nominated_choice = models.ForeignKey(
        "Choice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated to"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["student", "call"], name="one_application_per_call")
        ]
        # The DRI queue's ascending sorts (reviews.selectors_queue.sorted_queue: empty values
        # last, the pk as tie-break) read a page of rows in index order instead of sorting
        # them all. Descending ones would need "DESC NULLS LAST" indexes, which SQLite refuses.
        indexes = [
            models.Index(fields=["state", "call"]),
            models.Index(fields=["submitted_at", "id"], name="application_submitted_idx"),
            # One state, in the default order: the queue's most common view.
            models.Index(fields=["state", "submitted_at", "id"], name="application_state_sub_idx"),
            models.Index(fields=["ranking_score", "id"], name="application_score_idx"),
        ]

    def __str__(self) -> str:
        return str(
            _("Application of %(student)s to %(call)s")
            % {"student": self.student, "call": self.call}
        )

    def nominated_among_choices(self) -> "Choice | None":
        """The choice the student is nominated to, found among the choices as read: no query
        when the page prefetched them."""
        return next(
            (choice for choice in self.choices.all() if choice.pk == self.nominated_choice_id),
            None,
        )

    @property
    def restartable(self) -> bool:
        """Withdrawn before it was ever submitted: the student may take it up again as their
        draft while the call is open (the office never saw it)."""
        return self.state == ApplicationState.WITHDRAWN and self.submitted_at is None


class Choice(models.Model):
    """A ranked destination: an agreement for one of the plan's study activities, or that
    activity's own host outside partnerships (agreement empty)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="choices", verbose_name=_("application")
    )
    rank = models.PositiveSmallIntegerField(_("rank"), validators=[MinValueValidator(1)])
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="choices", verbose_name=_("activity")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="choices",
        verbose_name=_("agreement"),
    )
    # Set when the host of this destination refused the student: never nominated there again.
    host_refused_at = models.DateTimeField(_("refused by the host"), null=True, blank=True)
    # Outside partnerships, the host and country the activity named when the application was
    # submitted (empty before: the activity's own are read). A nomination to another choice of
    # the same activity moves the activity to that partner; this choice keeps naming its host.
    host_name = models.CharField(
        _("host (outside partnerships)"), max_length=255, blank=True, editable=False
    )
    host_country = CountryField(_("host country"), blank=True, editable=False)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_unique_rank")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.destination}"

    @property
    def destination(self) -> str:
        if self.agreement_id:
            return str(self.agreement.partner)
        return self.host_name or self.activity.host_name

    @property
    def own_host_country(self):
        """Outside partnerships, the country of the host this choice names."""
        return self.host_country or self.activity.country


class DocumentKind(models.TextChoices):
    CV = "cv", _("CV")
    TRANSCRIPT = "transcript", _("Latest transcript of records")
    LANGUAGE_CERTIFICATE = "language_certificate", _("Language certificate")
    LEARNING_AGREEMENT = "learning_agreement", _("Draft learning agreement")
    HOST_LETTER = "host_letter", _("Host institution's decision letter")
    HOST_TRANSCRIPT = "host_transcript", _("Transcript of records from the host")


# Kinds of which an application keeps every upload: one host letter per host's decision (a
# student refused by one host may be nominated to another). Every other kind is replaced.
KINDS_KEPT_SIDE_BY_SIDE = frozenset({DocumentKind.HOST_LETTER})

# Kinds a student may bring from another of their applications (services.document_reuse):
# what they upload themselves to apply, about themselves. A host's letter answers one
# nomination and the host's transcript records one stay: they belong to their application.
REUSABLE_KINDS = frozenset(
    {
        DocumentKind.CV,
        DocumentKind.TRANSCRIPT,
        DocumentKind.LANGUAGE_CERTIFICATE,
        DocumentKind.LEARNING_AGREEMENT,
    }
)


# Kinds written for one host: a learning agreement draft lists that host's courses. Brought
# from another application only to one that chooses that host (selectors.written_for_hosts).
HOST_BOUND_KINDS = frozenset({DocumentKind.LEARNING_AGREEMENT})


def document_path(instance: "Document", filename: str) -> str:
    """Generated names only: the student's file name is kept in the row, never on disk."""
    return f"documents/{uuid.uuid4().hex}.pdf"


class Document(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "uploaded_at", "id"]
        constraints = [
            # One of each kind but those in KINDS_KEPT_SIDE_BY_SIDE.
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=~models.Q(kind="host_letter"),
                name="one_document_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class Transition(models.Model):
    """The audit row every change of an application's state writes."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="history", verbose_name=_("application")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_state = models.CharField(_("from"), max_length=20, choices=ApplicationState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ApplicationState.choices)
    comment = models.TextField(_("comment"), blank=True)
    # The office's undo of a wrong click (a nomination, a departure, a return): the move it
    # takes back, which the history marks as undone. One undo a move, at most.
    undoes = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="undone_by",
        verbose_name=_("undoes"),
    )
    # What undoing this move restores besides the state (a nomination: the nominated choice
    # and the stay's host before it, see reviews.services.undo); empty when nothing.
    restores_on_undo = models.JSONField(_("restored by an undo"), default=dict, blank=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} → {self.to_state}"

    @property
    def asks_for_changes(self) -> bool:
        """The office's request for changes (`REQUESTS_FOR_CHANGES` in a query): a withdrawal
        undone back to waiting for the changes asks nothing new."""
        return (
            self.to_state == ApplicationState.CHANGES_REQUESTED
            and self.from_state != ApplicationState.WITHDRAWN
        )


# `Transition.asks_for_changes`, as a query's condition.
REQUESTS_FOR_CHANGES = models.Q(to_state=ApplicationState.CHANGES_REQUESTED) & ~models.Q(
    from_state=ApplicationState.WITHDRAWN
)


class CoursePlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting the advisor")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Some courses refused")


class CoursePlan(NamesItsHost, models.Model):
    """The course plan (learning agreement) of one study activity. A version the advisor has
    decided on is never changed again: the student's changes make a new version."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="course_plans", verbose_name=_("activity")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # The host whose courses the version lists: the activity's when it was written. A
    # nomination elsewhere moves the activity, and the courses of another host do not follow.
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("host partner"),
    )
    host_name = models.CharField(
        _("host (outside partnerships)"), max_length=255, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CoursePlanStatus.choices, default=CoursePlanStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent to the advisor"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    recognition_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recognition confirmed by"),
    )
    recognition_confirmed_at = models.DateTimeField(
        _("recognition confirmed"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("course plan")
        verbose_name_plural = _("course plans")
        ordering = ["activity", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "version"], name="course_plan_version")
        ]

    def __str__(self) -> str:
        return str(_("Course plan v%(version)s") % {"version": self.version})

    @classmethod
    def written_for(cls, activity: Activity, **fields) -> "CoursePlan":
        """An unsaved version listing courses of the host `activity` names now."""
        return cls(
            activity=activity,
            partner_id=activity.partner_id,
            host_name=activity.host_name,
            **fields,
        )

    def is_for_host_of(self, activity: Activity) -> bool:
        """Whether this version lists courses of the host `activity` names now."""
        return self.host_key == activity.host_key


def written_for_the_stays_host() -> models.Q:
    """Course plan versions that list courses of the host their activity names now."""
    return models.Q(partner=models.F("activity__partner")) | models.Q(
        partner__isnull=True,
        activity__partner__isnull=True,
        host_name=models.F("activity__host_name"),
    )


class LineDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CourseLine(models.Model):
    course_plan = models.ForeignKey(
        CoursePlan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("course plan")
    )
    code = models.CharField(_("host course code"), max_length=50)
    title = models.CharField(_("host course title"), max_length=255)
    ects = models.DecimalField(
        _("ECTS"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0)]
    )
    semester = models.CharField(_("semester"), max_length=30, help_text=_("e.g. Fall 2027"))
    home_requirement = models.CharField(
        _("replaces at the school"),
        max_length=255,
        help_text=_("The course or requirement of your curriculum this course stands for."),
    )
    decision = models.CharField(
        _("advisor's decision"),
        max_length=10,
        choices=LineDecision.choices,
        default=LineDecision.PENDING,
    )
    decision_comment = models.TextField(_("advisor's comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ects_obtained = models.DecimalField(
        _("ECTS obtained"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("course line")
        verbose_name_plural = _("course lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class LineDecisionChange(models.Model):
    """The audit row every decision of the advisor on a course line writes: the first one, a
    change of mind, and an undo (back to awaiting), while the version awaits them."""

    line = models.ForeignKey(
        CourseLine,
        on_delete=models.CASCADE,
        related_name="decision_history",
        verbose_name=_("course line"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_decision = models.CharField(_("from"), max_length=10, choices=LineDecision.choices)
    to_decision = models.CharField(_("to"), max_length=10, choices=LineDecision.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("course decision change")
        verbose_name_plural = _("course decision changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.from_decision} → {self.to_decision}"


class ValidationBody(models.TextChoices):
    DFI = "DFI", _("Academic directorate (DFI)")
    DRI = "DRI", _("International relations office (DRI)")


class ActivityValidation(models.Model):
    """A decision of the DFI or the DRI on a summer stay or an internship abroad; the latest
    decision of each body sets the activity's `approved_by_*` flag."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="validations", verbose_name=_("activity")
    )
    body = models.CharField(_("body"), max_length=3, choices=ValidationBody.choices)
    approved = models.BooleanField(_("validated"))
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    decided_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity validation")
        verbose_name_plural = _("activity validations")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.body} {'✓' if self.approved else '✗'} {self.activity_id}"


# A run whose progress has not moved for this long lost its worker: it no longer blocks.
RECHECK_STALE_AFTER = timedelta(minutes=10)


class PlanRecheckStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PlanRecheck(models.Model):
    """One re-check of every stored plan (after a regulation change), run by a Celery task:
    its progress for the staff operations page, and who started it when."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PlanRecheckStatus.choices,
        default=PlanRecheckStatus.QUEUED,
    )
    total = models.PositiveIntegerField(_("plans to check"), default=0)
    checked = models.PositiveIntegerField(_("plans checked"), default=0)
    compliant = models.PositiveIntegerField(_("compliant plans"), default=0)
    invalid = models.PositiveIntegerField(_("plans invalid under their regulation"), default=0)
    # Plans that met the rules and no longer do under the version published from the portal:
    # their students are told, once per version, unless their account is closed (tasks.py).
    newly_failing = models.PositiveIntegerField(_("plans that no longer meet the rules"), default=0)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Moves at each chunk: a run whose worker died stops moving (see RECHECK_STALE_AFTER).
    updated_at = models.DateTimeField(_("last progress"), auto_now=True)

    class Meta:
        verbose_name = _("plan re-check")
        verbose_name_plural = _("plan re-checks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.checked}/{self.total}"

    @property
    def is_active(self) -> bool:
        return self.status in (PlanRecheckStatus.QUEUED, PlanRecheckStatus.RUNNING)

    @property
    def is_stalled(self) -> bool:
        """Queued or running, but without progress for RECHECK_STALE_AFTER: its worker died
        (or never got it); another run may be started."""
        return self.is_active and self.updated_at < timezone.now() - RECHECK_STALE_AFTER

    @property
    def is_moving(self) -> bool:
        return self.is_active and not self.is_stalled

    @property
    def with_errors(self) -> int:
        return self.checked - self.compliant - self.invalid

    @property
    def seconds(self) -> int | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds())

    @property
    def percent(self) -> int:
        if self.total == 0:
            return 100 if self.status == PlanRecheckStatus.DONE else 0
        return min(100, self.checked * 100 // self.total)


class ErasureState(models.TextChoices):
    PENDING = "pending", _("Pending")
    CANCELLED = "cancelled", _("Cancelled")
    REFUSED = "refused", _("Refused")
    ERASED = "erased", _("Erased")


class ErasureRequest(models.Model):
    """A student's request that the portal erase their personal data (GDPR article 17).

    The row names the student only through the link to their user row, which erasure
    anonymises; the student's reason is free text, redacted with the rest of it."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="erasure_requests",
        verbose_name=_("student"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ErasureState.choices, default=ErasureState.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=models.Q(state="pending"),
                name="one_pending_erasure_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk}: {self.state}"

    @property
    def is_pending(self) -> bool:
        return self.state == ErasureState.PENDING


class ErasureTransition(models.Model):
    """The audit row every change of an erasure request writes (its creation included: from
    no state, "")."""

    request = models.ForeignKey(
        ErasureRequest, on_delete=models.CASCADE, related_name="history", verbose_name=_("request")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_state = models.CharField(
        _("from"), max_length=10, choices=ErasureState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=10, choices=ErasureState.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("erasure request change")
        verbose_name_plural = _("erasure request changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_state or '-'} → {self.to_state}"
