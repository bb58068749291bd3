"""The nominations pages' forms: the call picker, and what a page showed of a partner's list
when the DRI chose to send it (compared again when it is sent)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mobility_portal.numbers import digits_number

from .services.nominations import SeenList


class NominationsFilterForm(forms.Form):
    call = forms.ModelChoiceField(queryset=None, label=_("Call"), required=False)
    q = forms.CharField(label=_("Partner name"), required=False, max_length=200)

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls


class NominationSendForm(forms.Form):
    """Hidden fields: the students listed (application ids, comma-separated), the address and
    the last list sent, as the page showed them."""

    applications = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100_000)
    email = forms.EmailField(widget=forms.HiddenInput)
    last_notice = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def clean_applications(self) -> list[int]:
        text = self.cleaned_data["applications"].strip()
        ids = (
            [digits_number(part.strip(), most_digits=18) for part in text.split(",")]
            if text
            else []
        )
        if None in ids:
            raise forms.ValidationError(_("The page sent an unreadable list: open it again."))
        return ids

    def clean_last_notice(self) -> int | None:
        text = self.cleaned_data["last_notice"].strip()
        if not text:
            return None
        number = digits_number(text, most_digits=18)
        if number is None:
            raise forms.ValidationError(_("The page sent an unreadable list: open it again."))
        return number

    def seen(self) -> SeenList:
        return SeenList(
            application_ids=self.cleaned_data["applications"],
            email=self.cleaned_data["email"],
            last_notice_id=self.cleaned_data["last_notice"],
        )

    @staticmethod
    def initial_for(status, email: str) -> dict:
        return {
            "applications": ",".join(str(pk) for pk in status.application_ids),
            "email": email,
            "last_notice": str(status.last_notice.pk) if status.last_notice else "",
        }
