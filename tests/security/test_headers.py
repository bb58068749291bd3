import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_csp_forbids_inline_scripts_and_framing(client):
    response = client.get(reverse("programmes:catalogue"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


@pytest.mark.django_db
def test_pages_carry_no_inline_script(client, student):
    client.force_login(student)
    for name in ("applications:dashboard", "applications:plan", "applications:activity_add"):
        content = client.get(reverse(name)).content.decode()
        for chunk in content.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), name


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("programmes:catalogue"))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_production_cookies_and_hsts():
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT)"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "mobility_portal.settings.production",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "mobility.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "Lax", "True", "True", "True"], result.stderr
