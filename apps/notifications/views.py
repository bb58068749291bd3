from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts.models import User
from apps.accounts.roles import Role
from mobility_portal.numbers import grouped

from . import services
from .selectors import with_quotes
from .targets import target_gone

PAGE_SIZE = 25


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language", "notify_new_applications"]


def notification_list(request):
    notifications = request.user.notifications.all()
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_quotes(list(page.object_list))
    form = PreferencesForm(instance=request.user)
    if request.user.role != Role.DRI:
        del form.fields["notify_new_applications"]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "preferences": form},
    )


@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go to the page it asks the reader to act on."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = notification.link
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications:list"
    elif target_gone(target):
        # A course plan, a stay removed since: the list says so rather than a 404.
        messages.info(request, _("What this notification is about no longer exists."))
        target = "notifications:list"
    return redirect(target)


@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked as read.",
            "%(count)s notifications marked as read.",
            count,
        )
        % {"count": grouped(count)},
    )
    return redirect("notifications:list")


@require_POST
def preferences(request):
    form = PreferencesForm(request.POST, instance=request.user)
    if form.is_valid():
        services.notification_preferences_update(
            actor=request.user,
            language=form.cleaned_data["language"],
            notify_new_applications=(
                request.user.role == Role.DRI and form.cleaned_data["notify_new_applications"]
            ),
        )
        messages.success(request, _("Your preferences are saved."))
    else:
        messages.error(request, _("Your preferences could not be saved."))
    return redirect("notifications:list")
