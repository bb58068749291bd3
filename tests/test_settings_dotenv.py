"""The `.env` file beside manage.py and variables the environment declares empty.

README: "Everything comes from environment variables (or a `.env` file beside `manage.py`) ...
A variable set empty (`CACHE_URL=`) counts as not set". read_env(overwrite=False) fills
os.environ with setdefault, so a variable declared empty (a compose file or a systemd unit
listing every variable) keeps the `.env` value out, and SetVariables then reads it as unset:
the development default wins over what the `.env` file says."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s" * 60 + "-from-the-dotenv-file"


def _checkout(tmp_path: Path) -> Path:
    """The project with its own .env: settings read BASE_DIR / ".env" from their own path."""
    shutil.copytree(
        ROOT / "mobility_portal",
        tmp_path / "mobility_portal",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    for name in ("apps", "templates", "locale", "static"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / ".env").write_text(f"DEBUG=false\nSECRET_KEY={SECRET}\n")
    return tmp_path


def test_an_empty_variable_lets_the_dotenv_file_apply(tmp_path):
    checkout = _checkout(tmp_path)
    inherited = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY)",
        ],
        cwd=checkout,
        env={
            **inherited,
            "DJANGO_SETTINGS_MODULE": "mobility_portal.settings.base",  # wsgi.py's default
            "DEBUG": "",
            "SECRET_KEY": "",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # Not the development key and DEBUG on, as when the empty variables kept the file out.
    assert result.stdout.split()[-2:] == ["False", SECRET]


def test_production_reads_the_dotenv_cache_and_mail_when_the_environment_leaves_them_empty(
    tmp_path,
):
    """Production then runs on a per-process memory cache (sessions, page cache and the
    others' changes are not shared) and writes its e-mails to the console: only a manual
    `check --deploy` would say so."""
    checkout = _checkout(tmp_path)
    (checkout / ".env").write_text(
        f"SECRET_KEY={SECRET}\nALLOWED_HOSTS=mobility.example.org\n"
        "CACHE_URL=redis://127.0.0.1:6379/1\nEMAIL_URL=smtp+tls://portal:pw@smtp.example.org:587\n"
    )
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CACHE_URL", "EMAIL_URL")
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; "
            "print(s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND)",
        ],
        cwd=checkout,
        env={
            **inherited,
            "DJANGO_SETTINGS_MODULE": "mobility_portal.settings.production",
            "CACHE_URL": "",
            "EMAIL_URL": "",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == [
        "mobility_portal.redis_cache.ReusedClientRedisCache",
        "django.core.mail.backends.smtp.EmailBackend",
    ]
