"""The admin site: Django's, with login attempts limited per client."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from quiz import ratelimit
from quiz.errors import too_many_requests


class QuizAdminSite(admin.AdminSite):
    site_header = _("人脈診断 管理画面")
    site_title = _("人脈診断 管理画面")
    index_title = _("診断の基準と結果")

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST" and not ratelimit.hit(
            request, "admin-login", settings.RATE_LIMIT_ADMIN_LOGINS_PER_HOUR, 3600
        ):
            return too_many_requests(request)
        return super().login(request, extra_context)
