"""Production: DEBUG off, HTTPS only, hashed static files, persistent connections.

Select with DJANGO_SETTINGS_MODULE=mobility_portal.settings.production and set
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL, CACHE_URL, EMAIL_URL and SITE_URL
(`check --deploy` warns about the last three).
"""

import os

if not os.environ.get("DEBUG"):  # unset or empty (base.py reads an empty one as unset)
    os.environ["DEBUG"] = "false"

from .base import *  # noqa: E402,F403
from .base import DATABASES, STORAGES, env  # noqa: E402

DEBUG = False
# Required whatever DEBUG the environment says: base.py falls back on its public development key
# when DEBUG is true there, and production turns DEBUG off only after that.
SECRET_KEY = env("SECRET_KEY")

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
