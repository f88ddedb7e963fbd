"""Settings of the wizard peer: the project's database and security defaults, nothing else."""

from __future__ import annotations

from pathlib import Path

# The same database as the project (its sessions table is already migrated there), with the same
# engine options (SQLite in WAL mode with IMMEDIATE transactions, or PostgreSQL).
from config.settings import DATABASES, SECRET_KEY  # noqa: F401

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.wizard_site.urls"
WSGI_APPLICATION = "bench.wizard_site.wsgi.application"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "formtools",
]
# What any Django form site keeps: security headers, sessions, CSRF.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
    }
]
SESSION_ENGINE = "django.contrib.sessions.backends.db"
USE_TZ = True
