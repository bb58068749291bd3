"""Read-only views of what the office's work recorded. A list of nominations sent to a partner is
the audit row of an e-mail already gone: it is sent from Nominations to partners, which writes
it with its e-mail, and the next list reads what changed since it; an edit or a deletion here
would make that history lie."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.applications.admin import ReadOnlyAdminMixin
from mobility_portal.search import FoldedSearchMixin

from .models import NominationNotice


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
