"""Kept pages: cut at their holes, filled per response, and compressed by joining pieces that were
deflated once."""

from __future__ import annotations

import gzip
import time
import zlib

import pytest
from django.template.loader import render_to_string

from quiz import pages
from quiz.pages import CSRF, NONCE, Kept, marker

PAGE = (
    '<!doctype html><script nonce="{n}"></script>'
    '<body data-hx-headers=\'{{"X-CSRFToken": "{c}"}}\'>'
    + "<p>人脈づくりは実績から。</p>" * 200
    + '<input name="csrfmiddlewaretoken" value="{c}"><a href="{r}">{r}</a>'
)
VALUES = {
    NONCE: b"n0nce-Value_1",
    CSRF: b"A" * 64,
    "resume_url": b"http://testserver/resume/abc_DEF-123/",
}


def kept(page: str = PAGE) -> Kept:
    return Kept.cut(
        page.format(n=marker(NONCE), c=marker(CSRF), r=marker("resume_url")),
        (NONCE, CSRF, "resume_url"),
    )


def expected(page: str = PAGE) -> bytes:
    return page.format(
        n=VALUES[NONCE].decode(), c=VALUES[CSRF].decode(), r=VALUES["resume_url"].decode()
    ).encode()


def test_a_page_is_cut_at_every_marker_in_order():
    page = kept()

    assert page.names == (NONCE, CSRF, CSRF, "resume_url", "resume_url")
    assert len(page.pieces) == len(page.deflated) == 6
    assert page.pieces[-1] == b"</a>"


def test_filled_text_is_the_page_as_rendered_with_the_values():
    assert kept().text(VALUES) == expected()


def test_the_joined_gzip_stream_decompresses_to_the_same_text():
    body = kept().gzipped(VALUES)

    assert gzip.decompress(body) == expected()
    # As a browser reads it: one stream, checked against its CRC and length.
    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert stream.decompress(body) + stream.flush() == expected()
    assert stream.eof and stream.unused_data == b""


@pytest.mark.parametrize(
    "page",
    [
        "{n}{c}{r}",
        "no holes at all",
        "",
        "{r}" + "あ" * 70000 + "{n}",
    ],
)
def test_edge_cases_compress_correctly(page):
    assert gzip.decompress(kept(page).gzipped(VALUES)) == expected(page)


def test_a_value_longer_than_a_stored_block_is_split():
    page = Kept.cut(f"<p>{marker('long')}</p>", ("long",))
    value = bytes(range(256)) * 300  # 76,800 bytes

    assert gzip.decompress(page.gzipped({"long": value})) == b"<p>" + value + b"</p>"


def test_a_hole_is_filled_as_the_template_would_have_printed_it(rf, settings, tmp_path):
    (tmp_path / "hole.html").write_text('<a href="{{ link }}">{{ link }}</a>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    link = "/next/?a=1&b='2'\"<x>"

    responses = [
        pages.cached(rf.get("/"), "hole", "hole.html", dict, holes={"link": link}) for _ in range(2)
    ]

    assert [r.content.decode() for r in responses] == [
        render_to_string("hole.html", {"link": link})
    ] * 2


def test_memory_keeps_the_most_recently_used_pages_up_to_its_size(settings):
    settings.KEPT_PAGES_IN_MEMORY = 2
    memory = pages.Memory()
    a, b, c = (kept(f"<p>{n}</p>" + PAGE) for n in "abc")
    memory.set("a", a)
    memory.set("b", b)

    assert memory.get("a") is a  # now the most recently used
    memory.set("c", c)

    assert [memory.get(key) for key in "abc"] == [a, None, c]


def test_memory_forgets_a_page_after_a_day(monkeypatch):
    memory = pages.Memory()
    memory.set("a", kept())
    now = time.monotonic()

    monkeypatch.setattr("quiz.pages.time.monotonic", lambda: now + pages.SECONDS + 1)

    assert memory.get("a") is None


def test_memory_of_size_zero_keeps_nothing(settings):
    settings.KEPT_PAGES_IN_MEMORY = 0
    memory = pages.Memory()
    memory.set("a", kept())

    assert memory.get("a") is None
