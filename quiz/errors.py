"""Readable error pages in the user's language, for every 4xx the app can answer.

Progress is never touched on the way here: the message says so, and a link leads back.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def error_page(request: HttpRequest, status: int, heading: str, detail: str) -> HttpResponse:
    response = render(
        request,
        "error.html",
        {"status": status, "heading": heading, "detail": detail},
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
