"""The admin site: Django's, with login attempts limited per client."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
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

    def get_urls(self) -> list[URLResolver | URLPattern]:
        from quiz import admin_views

        views = {
            "preview": admin_views.preview,
            "test-cases": admin_views.test_cases,
            "coverage": admin_views.coverage_report,
            "import": admin_views.import_criteria,
            "export": admin_views.export,
            "outcomes": admin_views.outcomes,
        }
        tools = [
            path(f"tools/{name}/", self.admin_view(view), name=f"quiz_{name.replace('-', '_')}")
            for name, view in views.items()
        ]
        return tools + super().get_urls()
