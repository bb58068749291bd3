from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's own says both fields may be case-sensitive: e-mail addresses are not here.
        "invalid_login": _(
            "The e-mail address or the password is wrong. Mind the password's capitals."
        ),
    }
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


# One reset e-mail per address in this time, however often the form is sent: the form would
# otherwise let anyone fill a person's mailbox.
PASSWORD_RESET_INTERVAL_SECONDS = 5 * 60


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's form, which answers the same whether the address is known or not; a second
    request for one address within the interval sends nothing (and says the same)."""

    def get_users(self, email):
        key = f"password-reset-sent:{email.strip().lower()}"
        try:
            first = cache.add(key, True, timeout=PASSWORD_RESET_INTERVAL_SECONDS)
        except Exception:  # the cache is away: a reset still goes out, unthrottled
            first = True
        if not first:
            return iter(())
        return super().get_users(email)
