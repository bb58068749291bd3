from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .delivery import requeue
from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "email", "status", "attempts", "last_error"]
    list_filter = ["status", "event"]
    search_fields = ["email", "key"]
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["requeue_failed"]

    def has_add_permission(self, request):
        return False

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
