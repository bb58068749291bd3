from django.conf import settings
from django.db import models
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
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Moves at each chunk: a run whose worker died stops moving (see tasks.STALE_AFTER).
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
