"""Logs that keep secrets, and say which request they are about.

A resume link (`/resume/<token>/`) lets whoever holds it read and change someone's answers, and a
result link (`/r/<token>/`) shows their advice: neither token may reach a log line. `mask` hides
them in any text, also percent-encoded (a `next=` or a Referer can carry them); the formatter
below masks everything Django logs, tracebacks included, and gunicorn.conf.py masks the access
log with it.

Every request gets an id: the proxy's `X-Request-ID` when it sends a plausible one (so a line of
nginx's log and the app's line for it share it), a new one otherwise. It is sent back in the
response's `X-Request-ID` (gunicorn's access log prints it from there) and named in every line
the app logs while serving the request.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

TOKEN_PATH = re.compile(r"(/(?:resume|r)/)[^/\s?#\"']+|(%2F(?:resume|r)%2F)[^%&\s\"']+", re.I)
MASK = "…"
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

request_id: ContextVar[str] = ContextVar("request_id", default="-")


def mask(text: str) -> str:
    """`text` with every token of a resume or result path replaced by an ellipsis."""
    return TOKEN_PATH.sub(lambda m: (m[1] or m[2]) + MASK, text)


class MaskingFormatter(logging.Formatter):
    """Formats as logging.Formatter does, then masks the whole line and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request being served ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    """Names the request for the logs, first of all middleware so every line has the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get("X-Request-ID", "")
        current = sent if REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        # Kept until the response is finished: Django logs a 4xx or 5xx after every middleware
        # has returned.
        request_id.set(current)
        response = self.get_response(request)
        response["X-Request-ID"] = current
        return response


def _forget_request(**kwargs: object) -> None:
    request_id.set("-")


request_finished.connect(_forget_request, dispatch_uid="quiz.logs.forget_request")
