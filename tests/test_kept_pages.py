"""The HTTP page cache of friends' pages: kept compressed with its ETag, many at once."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from django.db import connection

from quiz import kept_pages

pytestmark = pytest.mark.django_db


def cached_keys() -> list[str]:
    """The kept pages' keys (the cache also knows which criteria version is the newest)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM quiz_cache WHERE cache_key LIKE '%shared-result%'")
        return [key for (key,) in cursor.fetchall()]


def test_more_shared_pages_than_djangos_default_300_stay_kept(settings):
    # With Django's default MAX_ENTRIES (300), the 301st page dropped a third of the others.
    for n in range(400):
        kept_pages.keep_shared_page(f"token{n:03}", "ja", ("state",), f"<p>{n}</p>")

    assert len(cached_keys()) == 400
    assert kept_pages.kept_shared_page("token000", "ja", ("state",)) is not None


def test_a_kept_page_is_replaced_when_what_it_shows_changes(settings):
    kept_pages.keep_shared_page("token", "ja", ("before",), "<p>before</p>")

    assert kept_pages.kept_shared_page("token", "ja", ("after",)) is None
    assert kept_pages.kept_shared_page("token", "en", ("before",)) is None


def test_a_kept_page_goes_out_gzipped_with_a_weak_etag_or_plain_with_the_strong_one():
    page = kept_pages.SharedPage.of("<p>人脈</p>")
    etag = f'"{hashlib.sha256("<p>人脈</p>".encode()).hexdigest()[:32]}"'

    zipped = page.response("br, gzip;q=0.9")
    plain = page.response("br")

    assert (zipped["ETag"], zipped["Content-Encoding"]) == (f"W/{etag}", "gzip")
    assert gzip.decompress(zipped.content).decode() == "<p>人脈</p>"
    assert (plain["ETag"], plain.has_header("Content-Encoding")) == (etag, False)
    assert plain.content.decode() == "<p>人脈</p>"
