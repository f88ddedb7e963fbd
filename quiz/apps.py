from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("人脈診断")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from quiz.criteria import forget_newest
        from quiz.models import CriteriaVersion

        post_delete.connect(forget_newest, sender=CriteriaVersion, dispatch_uid="forget-newest")


class QuizAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "quiz.admin_site.QuizAdminSite"


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_set(**kwargs: Any) -> list[checks.CheckMessage]:
    """Without the site's address, share links follow the Host header and friends' pages are
    rendered on every request."""
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        checks.Warning(
            "DJANGO_SITE_URL is not an https:// address.",
            hint="Set it to the public address, e.g. https://jinmyaku.example.jp, so share "
            "links name it and shared result pages are kept in the cache.",
            id="quiz.W001",
        )
    ]


@checks.register(checks.Tags.compatibility, deploy=True)
def share_image_font_is_installed(**kwargs: Any) -> list[checks.CheckMessage]:
    """Without the Japanese font every result's share image is the fallback card."""
    if Path(settings.OG_FONT_PATH).is_file():
        return []
    return [
        checks.Error(
            f"The font for share images is missing: {settings.OG_FONT_PATH}",
            hint="Install it (sudo apt-get install fonts-ipaexfont-gothic) or set "
            "DJANGO_OG_FONT_PATH to a Japanese TrueType or OpenType font.",
            id="quiz.E001",
        )
    ]


@checks.register(checks.Tags.translation, deploy=True)
def catalogues_are_compiled(**kwargs: Any) -> list[checks.CheckMessage]:
    """Gettext reads only the compiled .mo files: without them English visitors read Japanese."""
    missing = [
        str(po.with_suffix(".mo"))
        for folder in settings.LOCALE_PATHS
        for po in sorted(Path(folder).glob("*/LC_MESSAGES/*.po"))
        if not po.with_suffix(".mo").is_file()
    ]
    if not missing:
        return []
    return [
        checks.Error(
            f"Translations are not compiled: {', '.join(missing)}",
            hint="Run: python manage.py compilemessages --ignore=.venv",
            id="quiz.E002",
        )
    ]
