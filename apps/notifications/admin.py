from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .delivery import requeue
from .models import UNDELIVERED, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "email", "status", "attempts", "last_error"]
    list_filter = ["status", "event"]
    search_fields = ["email", "key"]
    readonly_fields = [field.name for field in Notification._meta.fields]
    # Our delete_selected, in place of the site's: it keeps the rows not delivered yet.
    actions = ["requeue_failed", "delete_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        """Not a row still to be delivered: its message would be lost, unsent and unseen."""
        if obj is not None and obj.status in UNDELIVERED:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(
        permissions=["delete"],
        description=_("Delete selected %(verbose_name_plural)s"),
    )
    def delete_selected(self, request, queryset):
        """Django's deletion (with its confirmation page), refused whole when a selected row is
        not delivered yet."""
        undelivered = queryset.filter(status__in=UNDELIVERED).count()
        if undelivered:
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected notification is not delivered yet: deleting it would "
                    "lose its message. Nothing was deleted.",
                    "%(count)d selected notifications are not delivered yet: deleting them would "
                    "lose their messages. Nothing was deleted.",
                    undelivered,
                )
                % {"count": undelivered},
                messages.ERROR,
            )
            return None
        return delete_selected(self, request, queryset)

    def delete_queryset(self, request, queryset):
        # A row that is to be delivered again since the deletion was confirmed (a failed one
        # sent again) stays.
        queryset.exclude(status__in=UNDELIVERED).delete()

    @admin.action(description=_("Send the selected failed notifications again"))
    def requeue_failed(self, request, queryset):
        count = requeue(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d notification queued again.",
                "%(count)d notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
