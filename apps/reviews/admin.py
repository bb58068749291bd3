"""Read-only views of what the office's work recorded. A list of nominations sent to a partner is
the audit row of an e-mail already gone: it is sent from Nominations to partners, which writes
it with its e-mail, and the next list reads what changed since it; an edit or a deletion here
would make that history lie."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.applications.admin import ReadOnlyAdminMixin
from mobility_portal.search import FoldedSearchMixin

from .models import NominationNotice, QueueExport


@admin.register(NominationNotice)
class NominationNoticeAdmin(FoldedSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["partner", "call", "sent_at", "actor", "student_count", "language", "email"]
    list_filter = ["call", "language", "sent_at"]
    # The partner's name, accents and case left aside (FoldedSearchMixin), as on the partners.
    search_fields = ["partner__name__fold__contains"]
    list_select_related = ["partner", "call", "actor"]
    date_hierarchy = "sent_at"

    @admin.display(description=_("Students"))
    def student_count(self, notice: NominationNotice) -> int:
        return len(notice.application_ids)


@admin.register(QueueExport)
class QueueExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The queue's background exports, for a look at what the workers did: written by the
    task, deleted by beat after QUEUE_EXPORT_KEEP_HOURS. The file is not linked: it is the
    requesting officer's alone (reviews/access.py)."""

    list_display = ["created_at", "requested_by", "status", "written", "total", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["requested_by"]
    fields = [
        "requested_by",
        "query",
        "language",
        "status",
        "total",
        "written",
        "created_at",
        "started_at",
        "finished_at",
        "updated_at",
    ]
    readonly_fields = fields
