"""Readable error pages in the user's language, for every 4xx the app can answer.

Progress is never touched on the way here: the message says so, and a link leads back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from quiz.models import CriteriaVersion


def error_page(request: HttpRequest, status: int, heading: str, detail: str) -> HttpResponse:
    response = render(
        request,
        "error.html",
        {
            "status": status,
            "heading": heading,
            "detail": detail,
            "progress_kept": f"{settings.COOKIE_PREFIX}assessment" in request.COOKIES,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


class Gone(Exception):
    """What is asked for was here and was removed on purpose: a 410 page saying so, rendered by
    `ReadableErrorsMiddleware`."""

    def __init__(self, heading: str, detail: str) -> None:
        super().__init__(heading)
        self.heading, self.detail = heading, detail


def _handler(status: int, heading: str, detail: str) -> Callable[..., HttpResponse]:
    """Django's handler for `status` (handler400 and the like): a readable page."""

    def handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        return error_page(request, status, _(heading), _(detail))

    return handler


bad_request = _handler(
    400,
    gettext_noop("送信内容を読み取れませんでした"),
    gettext_noop("形式が正しくないか、大きすぎるデータが送られました。もう一度お試しください。"),
)
permission_denied = _handler(
    403,
    gettext_noop("この操作はできません"),
    gettext_noop("このページを表示する権限がありません。"),
)
not_found = _handler(
    404,
    gettext_noop("ページが見つかりません"),
    gettext_noop("URL が間違っているか、ページが削除された可能性があります。"),
)
server_error = _handler(
    500,
    gettext_noop("問題が発生しました"),
    gettext_noop("しばらくしてから、もう一度お試しください。"),
)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(
        request,
        403,
        _("送信を確認できませんでした"),
        _(
            "ページを開いてから時間がたったか、Cookie が無効になっている可能性があります。"
            "ページを読み込み直してから、もう一度送信してください。"
        ),
    )


def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = error_page(
        request,
        429,
        _("少し時間をおいてください"),
        _("短時間に同じ操作が繰り返されました。しばらく待ってから、もう一度お試しください。"),
    )
    response["Retry-After"] = "3600"
    return response


class ReadableErrorsMiddleware:
    """Turns the bare responses Django gives for a wrong method, and the error of a site whose
    criteria were never loaded, into readable pages in the user's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = error_page(
                request,
                405,
                _("この方法では開けません"),
                _("このページはリンクやボタンから開いてください。"),
            )
            page["Allow"] = response["Allow"]
            return page
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Gone):
            return error_page(request, 410, exception.heading, exception.detail)
        if isinstance(exception, CriteriaVersion.DoesNotExist):
            return error_page(
                request,
                503,
                _("準備中です"),
                _(
                    "診断の基準がまだ読み込まれていません。しばらくしてから、もう一度お試しください。"
                ),
            )
        return None
