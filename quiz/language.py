"""The language switch in every page's header."""

from __future__ import annotations

from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from quiz.errors import error_page


@require_safe
def switch(request: HttpRequest) -> HttpResponse:
    """Switch the display language, then go back to the page the switch was on. A GET form, not
    Django's set_language (POST): a shared result page then has no form needing a CSRF token, so
    it is the same for everyone. A forged request could only change the language someone reads
    in, and the SameSite=Lax cookie is set only by a top-level navigation."""
    code = request.GET.get("language", "")
    if code not in dict(settings.LANGUAGES):
        return error_page(
            request,
            400,
            _("この言語には切り替えられません"),
            _("日本語か英語を選んでください。"),
        )
    back = request.GET.get("next") or request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("quiz:home")
    response = _remember(HttpResponseRedirect(back), code)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _remember(response: HttpResponse, code: str) -> HttpResponse:
    """The language cookie, set as Django's set_language sets it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
    )
    return response
