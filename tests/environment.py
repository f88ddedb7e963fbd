"""Loaded with `-p tests.environment` before Django starts, so settings see a test environment.

Tests run with DEBUG off, as production does, but over plain HTTP and without the manifest of
collected static files (the static-file tests collect their own).
"""

import os
import tempfile

# The tests set their own environment; a developer's `.env` (DEBUG on) must not leak into it.
os.environ["DJANGO_ENV_FILE"] = ""

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="quiz-static-"))
os.environ.setdefault("DJANGO_SITE_URL", "http://testserver")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Playwright's sync API runs an event loop in the main thread; the ORM calls made by tests around
# it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
