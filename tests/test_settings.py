import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="mobility_portal.settings.production",
        SECRET_KEY="x" * 64 + "-production-test-key-with-enough-entropy",
        ALLOWED_HOSTS="mobility.example.org",
        CACHE_URL="redis://127.0.0.1:6379/1",
        SITE_URL="https://mobility.example.org",
        EMAIL_URL="smtp+tls://portal:secret@smtp.example.org:587",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("environment", "warning"),
    [
        ({"EMAIL_URL": "consolemail://"}, "mobility.W002"),
        ({"EMAIL_URL": "dummymail://"}, "mobility.W002"),
        ({"SITE_URL": "http://127.0.0.1:8000"}, "mobility.W003"),
        ({"SITE_URL": "http://mobility.example.org"}, "mobility.W003"),
        ({"SITE_URL": "https://localhost"}, "mobility.W003"),
    ],
)
def test_check_deploy_warns_when_e_mails_would_not_reach_people(environment, warning):
    settings = {
        "SITE_URL": "https://mobility.example.org",
        "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.org:587",
        **environment,
    }
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="mobility_portal.settings.production",
        SECRET_KEY="x" * 64 + "-production-test-key-with-enough-entropy",
        ALLOWED_HOSTS="mobility.example.org",
        CACHE_URL="redis://127.0.0.1:6379/1",
        **settings,
    )
    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


def test_check_deploy_warns_when_web_processes_share_no_cache():
    inherited = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **inherited,
            "DJANGO_SETTINGS_MODULE": "mobility_portal.settings.production",
            "SECRET_KEY": "x" * 64 + "-production-test-key-with-enough-entropy",
            "ALLOWED_HOSTS": "mobility.example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "mobility.W001" in result.stderr + result.stdout
    assert "CACHE_URL" in result.stderr + result.stdout


# DEBUG=true left in the environment (a .env copied from a laptop) gave production the public
# development key, with which anyone can sign sessions and password reset links.
@pytest.mark.parametrize("debug", [{}, {"DEBUG": "true"}])
def test_production_refuses_to_start_without_secret_key(debug):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, **debug, "DJANGO_SETTINGS_MODULE": "mobility_portal.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# A compose file or a systemd unit listing every variable writes `CACHE_URL=` for "not set": the
# empty values stopped the settings ("Invalid cache schema", a ValueError for a number).
def test_an_empty_variable_reads_as_unset():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND, s.MAX_UPLOAD_SIZE, "
        "s.NOTIFICATION_MAX_ATTEMPTS)",
        DJANGO_SETTINGS_MODULE="mobility_portal.settings.base",
        CACHE_URL="",
        EMAIL_URL="",
        MAX_UPLOAD_SIZE="",
        NOTIFICATION_MAX_ATTEMPTS="",
        CONN_MAX_AGE="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.mail.backends.console.EmailBackend",
        str(10 * 1024 * 1024),
        "5",
    ]


def test_production_reads_an_empty_debug_as_off():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="mobility_portal.settings.production",
        DEBUG="",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"


def test_a_redis_cache_url_selects_the_client_reusing_backend():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    assert result.stdout.splitlines()[-1] == "mobility_portal.redis_cache.ReusedClientRedisCache"
    assert (
        "cached_db"
        in run_manage(
            "shell",
            "-c",
            "from django.conf import settings; print(settings.SESSION_ENGINE)",
            CACHE_URL="redis://127.0.0.1:6379/1",
        ).stdout
    )


def database_options(**env: str) -> str:
    return run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))",
        **env,
    ).stdout.splitlines()[-1]


def test_postgresql_prepares_the_statements_a_connection_repeats():
    url = "postgres://postgres@127.0.0.1:5432/mobility"
    assert database_options(DATABASE_URL=url) == (
        "{'server_side_binding': True, 'prepare_threshold': 2}"
    )
    assert database_options(DATABASE_URL=url, PREPARED_STATEMENTS="false") == (
        "{'server_side_binding': True, 'prepare_threshold': None}"
    )


TWO_WRITERS = """
import threading, time
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER)")
connection.close()
failures = []
both_read = threading.Barrier(2, timeout=5)

def read_then_write():
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM counter")
                try:
                    both_read.wait()
                except threading.BrokenBarrierError:
                    pass  # the other is waiting for this one's lock: as it should
                time.sleep(0.1)
                cursor.execute("INSERT INTO counter VALUES (1)")
    except Exception as error:
        failures.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=read_then_write) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(failures or "both wrote")
"""


def test_sqlite_makes_concurrent_writers_wait_instead_of_failing(tmp_path):
    """Two decisions at once (each reads the dossier, then writes) gave "database is locked",
    a 500, on the default SQLite set-up: the second now waits for the first."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = run_manage("shell", "-c", TWO_WRITERS, DATABASE_URL=url)
    assert result.stdout.splitlines()[-1] == "both wrote", result.stderr
