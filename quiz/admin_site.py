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
        from quiz import admin_drafts, admin_views

        views: dict[str, Any] = {
            "preview": admin_views.preview,
            "test-cases": admin_views.test_cases,
            "test-cases/answers": admin_drafts.missing_answers,
            "coverage": admin_views.coverage_report,
            "import": admin_drafts.import_criteria,
            "export": admin_views.export,
            "outcomes": admin_views.outcomes,
            "draft": admin_drafts.draft,
            "draft/discard": admin_drafts.discard,
            "versions": admin_drafts.versions,
            "versions/<int:number>/restore": admin_drafts.restore,
            "proposals": admin_drafts.proposals,
            "proposals/<int:pk>/adopt": admin_drafts.adopt,
            "proposals/<int:pk>/dismiss": admin_drafts.dismiss,
        }
        names = {
            "test-cases/answers": "missing_answers",
            "draft/discard": "discard",
            "versions/<int:number>/restore": "restore",
            "proposals/<int:pk>/adopt": "adopt",
            "proposals/<int:pk>/dismiss": "dismiss",
        }
        tools = [
            path(
                f"tools/{route}/",
                self.admin_view(view),
                name=f"quiz_{names.get(route, route.replace('-', '_'))}",
            )
            for route, view in views.items()
        ]
        return tools + super().get_urls()
