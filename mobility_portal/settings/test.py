"""Test settings: fast hashing, in-memory e-mail, isolated media."""

import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="mobility-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="mobility-test-static-")
CELERY_TASK_ALWAYS_EAGER = True
