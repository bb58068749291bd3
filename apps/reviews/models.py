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
