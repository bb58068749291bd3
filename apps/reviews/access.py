"""Who may see the reviews' own objects: every view of them goes through here."""

from django.http import Http404
from django.utils import timezone

from apps.accounts.models import User

from .models import QueueExport


def queue_export_for(user: User, pk: int) -> QueueExport:
    """A queue export is the officer's who asked for it, and only until it expires: the file
    holds every application its filters selected, at that moment, in their language. Anyone
    else, another officer included, and anyone after its expiry, finds none (404)."""
    export = QueueExport.objects.filter(pk=pk, requested_by=user).first()
    if export is None or export.expires_at <= timezone.now():
        raise Http404
    return export
