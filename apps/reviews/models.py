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
