"""Readable error pages: what a view raises (`Gone`) and Django's handlers, in the user's
language, never cached."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from quiz import errors


def gone_view(request: HttpRequest) -> HttpResponse:
    raise errors.Gone("なくなりました", "削除されたためです。")


def test_gone_raised_by_a_view_is_a_readable_410_that_is_never_cached():
    request = RequestFactory().get("/somewhere/")
    middleware = errors.ReadableErrorsMiddleware(gone_view)

    with pytest.raises(errors.Gone) as raised:
        gone_view(request)
    response = middleware.process_exception(request, raised.value)

    assert response is not None
    assert response.status_code == 410
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode().replace("<wbr>", "")  # BudouX's phrase breaks
    assert "なくなりました" in html
    assert "削除されたためです。" in html


def test_other_exceptions_are_left_to_django():
    request = RequestFactory().get("/somewhere/")
    middleware = errors.ReadableErrorsMiddleware(gone_view)

    assert middleware.process_exception(request, ValueError("no")) is None


@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        (errors.bad_request, 400, "We couldn&#x27;t process that request"),
        (errors.permission_denied, 403, "You cannot do this"),
        (errors.not_found, 404, "Page not found"),
        (errors.server_error, 500, "Something went wrong"),
    ],
)
def test_djangos_handlers_answer_in_the_users_language(handler, status, heading):
    request = RequestFactory().get("/somewhere/")

    with translation.override("en"):
        response = handler(request)

    assert response.status_code == status
    assert heading in response.content.decode()
