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
        from quiz import admin_drafts, admin_import, admin_views

        # (route under tools/, view, URL name after "admin:quiz_")
        tools: list[tuple[str, Any, str]] = [
            ("preview", admin_views.preview, "preview"),
            ("test-cases", admin_views.test_cases, "test_cases"),
            ("test-cases/answers", admin_drafts.missing_answers, "missing_answers"),
            ("coverage", admin_views.coverage_report, "coverage"),
            ("import", admin_import.import_criteria, "import"),
            ("export", admin_views.export, "export"),
            ("outcomes", admin_views.outcomes, "outcomes"),
            ("draft", admin_drafts.draft, "draft"),
            ("draft/discard", admin_drafts.discard, "discard"),
            ("versions", admin_drafts.versions, "versions"),
            ("versions/<int:number>/restore", admin_drafts.restore, "restore"),
            ("proposals", admin_drafts.proposals, "proposals"),
            ("proposals/<int:pk>/adopt", admin_drafts.adopt, "adopt"),
            ("proposals/<int:pk>/dismiss", admin_drafts.dismiss, "dismiss"),
        ]
        urls: list[URLResolver | URLPattern] = [
            path(f"tools/{route}/", self.admin_view(view), name=f"quiz_{name}")
            for route, view, name in tools
        ]
        return urls + super().get_urls()
