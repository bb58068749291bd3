"""The forms of an erasure request: the student's optional reason, an administrator's
refusal with its required one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mobility_portal.forms import BootstrapForm

from .erasure import REASON_MAX_LENGTH


class ErasureRequestForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Read by the administrators who handle your request; erased with the rest."),
    )


class ErasureRefuseForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The student reads it, in a notification and an e-mail."),
    )


class ErasureCarryOutForm(BootstrapForm):
    """Erasure cannot be undone: the administrator ticks that they mean it, as the DRI does to
    refuse an application for good."""

    confirm = forms.BooleanField(
        label=_("I confirm: erase this student's personal data for good."),
        error_messages={
            "required": _("Tick the box to confirm: erasure cannot be undone."),
        },
    )
