from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.cache import cache
from django.utils import translation
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

    # Named as on the login form (Django's own label is "Email", "Courriel" in French).
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        key = f"password-reset-sent:{email.strip().lower()}"
        try:
            first = cache.add(key, True, timeout=PASSWORD_RESET_INTERVAL_SECONDS)
        except Exception:  # the cache is away: a reset still goes out, unthrottled
            first = True
        if not first:
            return iter(())
        return super().get_users(email)

    def save(self, *args, **kwargs):
        # The link names the portal's own address (SITE_URL), as every other e-mail's does, not
        # the host the request came through: any name in ALLOWED_HOSTS would do, a load
        # balancer's internal health-check name among them.
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        return super().save(*args, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # In the account's preferred language, as every other e-mail, not the language of the
        # page the request came from (French for anyone who has not switched it).
        with translation.override(context["user"].language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
