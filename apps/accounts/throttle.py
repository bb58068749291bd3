"""Which account a login attempt is for, as django-axes counts failures (AXES_USERNAME_CALLABLE):
the e-mail typed in the login form's `username` field, as RoleBackend reads it (trimmed,
any case), so that "LEA@…" and " lea@… " count against the same account."""

from .backends import login_email


def login_name(request, credentials: dict | None) -> str | None:
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username")
    return login_email(typed) if isinstance(typed, str) and typed.strip() else None
