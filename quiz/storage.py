"""Flash messages in a cookie that carries the same `__Host-` prefix as every other cookie."""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage


class PrefixedCookieStorage(CookieStorage):
    cookie_name = f"{settings.COOKIE_PREFIX}messages"
