"""The HTTP page cache of friends' pages: what is kept, for how long, and when it is replaced.

The page a friend sees holds nothing that differs between the people who open it, so it is kept
rendered, once per language, with what it showed (its state): a kept page whose state differs is
replaced. Only with DJANGO_SITE_URL set: its absolute links must not follow a request's Host.
Shared caches in front of the site (a CDN, a reverse proxy) may keep it briefly too.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from quiz.models import Result

# What a shared result page and its image may be kept for by a browser and by a shared cache (a
# CDN or reverse proxy): briefly, so that a deleted result is gone from them within minutes.
SHARED_CACHE_CONTROL = "public, max-age=60, s-maxage=300"


def shared_page(
    request: HttpRequest,
    result: Result,
    criteria_updated: bool,
    type_slugs: frozenset[str],
    render: Callable[[], str],
) -> HttpResponse:
    """A friend's page of `result`, kept or rendered by `render` and kept, for this language."""
    # Whatever changes what the page shows; a kept page with other values is replaced. Not
    # the version itself: every save in the admin publishes one, and would replace them all.
    state = (
        result.updated_at.isoformat(),
        result.share_profile,
        result.share_warnings,
        result.share_answers,
        criteria_updated,
        sorted(type_slugs),
    )
    language = get_language() or "ja"
    page = kept_shared_page(result.token, language, state)
    if page is None:
        page = keep_shared_page(result.token, language, state, render())
    response = page.response(request.headers.get("Accept-Encoding", ""))
    response["Cache-Control"] = SHARED_CACHE_CONTROL
    return response


def _shared_page_key(token: str, language: str) -> str:
    return f"shared-result:{token}:{language}"


# Read as GZipMiddleware reads Accept-Encoding.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@dataclass(frozen=True)
class SharedPage:
    """A friend's page as kept: compressed once, with its ETag, so that a request finding it
    kept neither compresses nor hashes the page again (the profile's largest cost after the
    queries). It holds no secret, so compressing it once without padding gives BREACH nothing."""

    etag: str
    gzipped: bytes

    @classmethod
    def of(cls, html: str) -> SharedPage:
        body = html.encode()
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        return cls(etag, gzip.compress(body, compresslevel=6, mtime=0))

    def response(self, accept_encoding: str) -> HttpResponse:
        """The page as GZipMiddleware would send it (it leaves a compressed response alone):
        gzip with a weak ETag where accepted, plain with the strong one otherwise."""
        if ACCEPTS_GZIP.search(accept_encoding):
            response = HttpResponse(self.gzipped)
            response["Content-Encoding"] = "gzip"
            response["ETag"] = f"W/{self.etag}"
            return response
        response = HttpResponse(gzip.decompress(self.gzipped))
        response["ETag"] = self.etag
        return response


def kept_shared_page(token: str, language: str, state: tuple[Any, ...]) -> SharedPage | None:
    kept = cache.get(_shared_page_key(token, language)) if settings.SITE_URL else None
    # Kept as plain values, never as a class of ours, so that unpickling survives a deploy.
    if kept is None or len(kept) != 3 or kept[0] != state:
        return None
    return SharedPage(kept[1], kept[2])


def keep_shared_page(token: str, language: str, state: tuple[Any, ...], html: str) -> SharedPage:
    page = SharedPage.of(html)
    if settings.SITE_URL:
        cache.set(
            _shared_page_key(token, language),
            (state, page.etag, page.gzipped),
            settings.SHARED_PAGE_SECONDS,
        )
    return page


def forget_shared_pages(token: str) -> None:
    """Remove every kept copy of a result's shared page, before it is deleted or what it shares
    changes."""
    cache.delete_many([_shared_page_key(token, code) for code, _name in settings.LANGUAGES])
