"""Settings for 人脈診断, read from the environment.

Defaults are safe for production: DEBUG is off unless DJANGO_DEBUG=1, and then a secret key must be
given. For local development `make setup` writes a `.env` file (DJANGO_DEBUG=1 and a generated key)
that is read here, so `manage.py` commands work as the README prints them; variables set in the
environment always win over it, and production has no such file.
"""

import os
from pathlib import Path

import dj_database_url
import dotenv
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# DJANGO_ENV_FILE="" reads no file: the tests and the benchmark set it, so that a developer's
# `.env` cannot turn debug mode on where production settings are being checked.
if env_file := os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env")):
    dotenv.load_dotenv(env_file, override=False)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "127.0.0.1,localhost"
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "quiz.apps.QuizAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "quiz",
]

MIDDLEWARE = [
    # First, so that every line logged while serving a request names it (quiz/logs.py).
    "quiz.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed here (static files come precompressed from WhiteNoise above). Django
    # pads each compressed response with random bytes against BREACH, and CSRF tokens are masked.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "quiz.errors.ReadableErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite is the embedded default. WAL lets readers work beside a writer; IMMEDIATE transactions
# plus a busy timeout make concurrent writers queue instead of failing with "database is locked".
SQLITE_PATH = os.environ.get("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
if database_url := os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # Kept open between requests: opening one runs the PRAGMAs below every time.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
# Without collected files (development, tests) whitenoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let whitenoise send far-future immutable cache headers; compression adds
    # gzip and brotli copies at collectstatic time.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


# The site's public address, e.g. https://jinmyaku.example.jp: links meant for other sites (share
# links, Open Graph) are made on it rather than on the request's Host header, which lets the page a
# friend sees be kept whole, once per language, whatever Host a request sends. Unset, those links
# follow the request and shared pages are rendered every time.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").rstrip("/")
# One cache for every process and host: the database, so a deleted result's kept page is removed
# everywhere at once. Its table is made by a migration (`manage.py migrate`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "quiz_cache",
        # Django's default keeps 300 entries and then drops a third of them at random: with more
        # shared results than that, friends' pages were rendered again and again (the bench's
        # shared phase rendered half of its pages). A kept page takes about 16 KB in the table
        # (base64 of the compressed page), so 10,000 are about 160 MB; expired pages go only when
        # the table is culled, and a cull deletes a third in one statement.
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}
# How long a friend's view of a result stays kept (a change to what it shows replaces it sooner).
SHARED_PAGE_SECONDS = 24 * 60 * 60

# Strict policy: scripts and styles only from files of this site, nothing inline, nothing from
# other origins; with no nonce, a page holds nothing that differs per response, so HTTP caches
# can keep public pages. htmx is configured (templates/base.html) to need neither eval nor
# injected styles.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "manifest-src": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CSRF_FAILURE_VIEW = "quiz.errors.csrf_failure"
# Every form here is a handful of short fields; anything far larger is junk or an attack.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# Flash messages ride in a signed cookie, so a quiz step costs no session query.
MESSAGE_STORAGE = "quiz.storage.PrefixedCookieStorage"
SESSION_COOKIE_HTTPONLY = True
# htmx posts a form with the token it holds, so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Behind TLS in production; off for local development over plain HTTP (`make run`, `make serve`).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer or monitor may ask an app server directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env_bool(
    "DJANGO_SECURE_COOKIES", not DEBUG
)
# Over HTTPS every cookie is bound to this exact host: Secure, Path=/, no Domain.
COOKIE_PREFIX = "__Host-" if SESSION_COOKIE_SECURE else ""
SESSION_COOKIE_NAME = f"{COOKIE_PREFIX}sessionid"
CSRF_COOKIE_NAME = f"{COOKIE_PREFIX}csrftoken"
LANGUAGE_COOKIE_NAME = f"{COOKIE_PREFIX}language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_PATH = "/"
SECURE_HSTS_SECONDS = 0 if DEBUG else 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Anonymous actions per client (address hashed, never stored raw) and hour.
# Generous: in Japan many phones share an address behind carrier-grade NAT.
RATE_LIMIT_STARTS_PER_HOUR = int(os.environ.get("DJANGO_RATE_LIMIT_STARTS", "120"))
RATE_LIMIT_RESULTS_PER_HOUR = int(os.environ.get("DJANGO_RATE_LIMIT_RESULTS", "120"))
RATE_LIMIT_ADMIN_LOGINS_PER_HOUR = int(os.environ.get("DJANGO_RATE_LIMIT_ADMIN_LOGINS", "10"))
# Behind a reverse proxy the client address is the last one it appended to X-Forwarded-For.
RATE_LIMIT_TRUST_FORWARDED_FOR = env_bool("DJANGO_BEHIND_PROXY")
# Abandoned assessments are removed by `manage.py purge_stale` after this many days.
STALE_ASSESSMENT_DAYS = int(os.environ.get("DJANGO_STALE_ASSESSMENT_DAYS", "30"))

# A Japanese font for result images (Debian's fonts-ipaexfont-gothic, installed by `make`).
OG_FONT_PATH = os.environ.get(
    "DJANGO_OG_FONT_PATH", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
)

LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING")
# To stderr (the journal under systemd), each line naming its request's id, with resume and result
# tokens masked, tracebacks included (quiz/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "quiz.logs.RequestIdFilter"}},
    "formatters": {
        "masked": {
            "()": "quiz.logs.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request=%(request_id)s %(message)s",
        },
        "server": {"()": "quiz.logs.MaskingFormatter", "format": "[%(asctime)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "masked",
        },
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Instead of Django's own handlers, which print paths unmasked (in debug mode).
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # runserver's request lines (`make run`)
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
