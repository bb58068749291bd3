"""Regulation versions the DRI publishes from the portal, next to the built-in ones
(versions.py). A published version never changes: a correction is a new version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedRegulation(models.Model):
    name = models.CharField(_("version"), max_length=16, unique=True)
    # Every figure of versions.PARAMETERS, by name.
    figures = models.JSONField(_("figures"))
    note = models.TextField(_("what changes"), max_length=2000)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    plans_moved = models.PositiveIntegerField(_("plans moved to this version"), default=0)

    class Meta:
        verbose_name = _("published regulation version")
        verbose_name_plural = _("published regulation versions")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.name
