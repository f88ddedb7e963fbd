"""Readable error pages in the user's language, for every 4xx the app can answer.

Progress is never touched on the way here: the message says so, and a link leads back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

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


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        400,
        _("送信内容を読み取れませんでした"),
        _("形式が正しくないか、大きすぎるデータが送られました。もう一度お試しください。"),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        403,
        _("この操作はできません"),
        _("このページを表示する権限がありません。"),
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


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        404,
        _("ページが見つかりません"),
        _("URL が間違っているか、ページが削除された可能性があります。"),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(
        request,
        500,
        _("問題が発生しました"),
        _("しばらくしてから、もう一度お試しください。"),
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
