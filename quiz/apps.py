from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("人脈診断")


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
