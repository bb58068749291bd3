import uuid
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.applications.models import Application


class InternalComment(models.Model):
    """A note between staff on a dossier; students never see these."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="internal_comments",
        verbose_name=_("application"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class NominationNotice(models.Model):
    """The audit row of a list of nominated students sent to a partner for a call: who sent
    it, when, to which address, and which applications it named, so that the next list can
    say what changed since."""

    call = models.ForeignKey(
        "programmes.Call", on_delete=models.PROTECT, related_name="+", verbose_name=_("call")
    )
    partner = models.ForeignKey(
        "programmes.Partner",
        on_delete=models.PROTECT,
        related_name="nomination_notices",
        verbose_name=_("partner"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8)
    # Application ids, sorted: the list as sent, and what changed since the previous one.
    application_ids = models.JSONField(_("applications"), default=list)
    added_ids = models.JSONField(_("applications added"), default=list)
    removed_ids = models.JSONField(_("applications removed"), default=list)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous list"),
    )

    class Meta:
        verbose_name = _("list of nominations sent")
        verbose_name_plural = _("lists of nominations sent")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["call", "partner", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.partner} — {self.call} ({self.sent_at:%Y-%m-%d %H:%M})"

    @property
    def changes(self) -> bool:
        return bool(self.added_ids or self.removed_ids)

    # What its e-mail shows, read once per message (the applications as they read now: a
    # student's name erased since is erased here too).
    @cached_property
    def students(self) -> list[Application]:
        from .selectors_nominations import students_of

        return students_of(self.application_ids)

    @cached_property
    def added_students(self) -> list[Application]:
        added = set(self.added_ids)
        return [application for application in self.students if application.pk in added]

    @cached_property
    def removed_students(self) -> list[Application]:
        from .selectors_nominations import students_of

        return students_of(self.removed_ids)

    @property
    def school_name(self) -> str:
        return settings.SCHOOL_NAME

    @property
    def reply_to(self) -> str:
        """Where the partner writes back: the office's shared address, when there is one."""
        return settings.DRI_MAILBOX


class QueueExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# Asked for and not finished: a worker has it, or will.
QUEUE_EXPORT_ACTIVE = (QueueExportStatus.QUEUED, QueueExportStatus.RUNNING)


def queue_export_path(instance: "QueueExport", filename: str) -> str:
    """A generated name under a folder no URL serves: the file is only ever handed out by the
    download view, to the officer who asked for it."""
    return f"exports/queue/{uuid.uuid4().hex}.xlsx"


class QueueExport(models.Model):
    """One Excel export of the DRI queue too large to write within the request, written by a
    Celery task into the default storage, downloaded by the officer who asked for it until
    QUEUE_EXPORT_KEEP_HOURS have passed (then deleted with its file)."""

    # Not a cascade: the account's deletion would take the row and leave its file, every
    # application's personal data, in the storage for ever (the expiry reads the rows). Without
    # its officer the export is nobody's to download (reviews/access.py) until it expires.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    # The queue's filters and sort as a canonical query string (queue_results.filters_query),
    # and the language the officer read the queue in: the workbook's words.
    query = models.TextField(_("filters"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=QueueExportStatus.choices,
        default=QueueExportStatus.QUEUED,
    )
    total = models.PositiveIntegerField(_("applications to write"), default=0)
    written = models.PositiveIntegerField(_("applications written"), default=0)
    file = models.FileField(_("file"), upload_to=queue_export_path, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Moves at each chunk written: an export whose worker died stops moving.
    updated_at = models.DateTimeField(_("last progress"), default=timezone.now)

    class Meta:
        verbose_name = _("queue export")
        verbose_name_plural = _("queue exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.written}/{self.total}"

    @property
    def is_active(self) -> bool:
        return self.status in QUEUE_EXPORT_ACTIVE

    @property
    def is_ready(self) -> bool:
        return self.status == QueueExportStatus.DONE and bool(self.file)

    @property
    def is_stalled(self) -> bool:
        """Queued or running without progress for QUEUE_EXPORT_STALE_MINUTES: its worker died
        (or never got it); the page says so rather than wait for ever."""
        stale_after = timedelta(minutes=settings.QUEUE_EXPORT_STALE_MINUTES)
        return self.is_active and self.updated_at < timezone.now() - stale_after

    @property
    def expires_at(self):
        return self.created_at + timedelta(hours=settings.QUEUE_EXPORT_KEEP_HOURS)

    @property
    def percent(self) -> int:
        return round(100 * self.written / self.total) if self.total else 0
