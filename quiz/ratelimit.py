"""Rate limits on anonymous actions, counted in the database (shared by every server process).

A client is identified by an HMAC of its address with the secret key, so no raw IP address is
ever stored, and the hash cannot be reversed by someone who reads the table.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from quiz.models import RateLimit


def client_address(request: HttpRequest) -> str:
    if settings.RATE_LIMIT_TRUST_FORWARDED_FOR:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        if forwarded:
            # The proxy appends the address it saw; anything before it is the client's own claim.
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def client_key(request: HttpRequest, scope: str) -> str:
    message = f"{scope}|{client_address(request)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


class Exceeded(Exception):
    """Raised by `check` inside a transaction, so that what the request wrote is undone."""


def check(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> None:
    """`hit`, raising `Exceeded` past the limit: in the transaction that writes what the limit
    guards, one commit counts the request and keeps its work, or a rollback undoes both."""
    if not hit(request, scope, limit, window_seconds):
        raise Exceeded


def hit(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one request; False once the client has made more than `limit` in this window.

    One statement, an upsert that returns the new count, so concurrent requests on several
    servers cannot both slip under the limit.
    """
    period = int(time.time()) // window_seconds
    q = connection.ops.quote_name
    table, key, period_column, count = (
        q(RateLimit._meta.db_table),
        q("key"),
        q("period"),
        q("count"),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {period_column}, {count}) VALUES (%s, %s, 1) "
            f"ON CONFLICT ({key}, {period_column}) DO UPDATE SET {count} = {table}.{count} + 1 "
            f"RETURNING {count}",
            [client_key(request, scope), period],
        )
        row = cursor.fetchone()
    return int(row[0]) <= limit
