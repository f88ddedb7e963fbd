"""Kept pages: cut at their holes, filled per response, and compressed by joining pieces that were
deflated once."""

from __future__ import annotations

import gzip
import hashlib
import os
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


@pytest.fixture
def files(settings, tmp_path):
    settings.KEPT_PAGES_DIR = tmp_path / "pages"
    return pages.Files()


def test_files_give_back_the_page_they_were_given(files):
    page = kept()
    files.set("step:ja", page)

    assert files.get("step:ja") == page
    assert files.get("step:en") is None


def test_a_page_is_written_whole_under_a_name_made_from_its_key(files, settings):
    files.set("result-page:abc", kept())

    names = [path.name for path in settings.KEPT_PAGES_DIR.iterdir()]
    assert names == [hashlib.sha256(b"result-page:abc").hexdigest()]
    assert settings.KEPT_PAGES_DIR.stat().st_mode & 0o777 == 0o700


def test_files_forget_a_page_after_a_day(files, monkeypatch):
    files.set("a", kept())
    now = time.time()

    monkeypatch.setattr("quiz.pages.time.time", lambda: now + pages.SECONDS + 1)

    assert files.get("a") is None


def flip_a_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-1],
        lambda data: data + b"x",
        lambda data: b"x" + data,
        lambda data: data[:12],
        lambda data: data[:30],
        lambda data: b"",
        flip_a_byte,
    ],
)
def test_a_damaged_file_is_no_page_and_is_removed(files, settings, damage):
    files.set("a", kept())
    (path,) = settings.KEPT_PAGES_DIR.iterdir()
    path.write_bytes(damage(path.read_bytes()))

    assert files.get("a") is None
    assert list(settings.KEPT_PAGES_DIR.iterdir()) == []


def test_no_prefix_of_a_page_file_is_a_page_and_none_raises():
    data = pages.Files.encode(kept("{n}<p>{c}</p>{r}"), time.time() + 60)

    assert pages.Files.decode(data)[0] is not None
    assert [pages.Files.decode(data[:n]) for n in range(len(data))] == [(None, 0.0)] * len(data)


def test_a_page_that_never_expires_is_no_page():
    assert pages.Files.decode(pages.Files.encode(kept(), float("nan"))) == (None, 0.0)


def test_the_folders_made_for_files_are_ours_alone(settings, tmp_path):
    settings.KEPT_PAGES_DIR = tmp_path / "var" / "pages" / "digest"
    previous = os.umask(0o002)
    try:
        pages.Files().set("a", kept())
    finally:
        os.umask(previous)

    modes = [
        (tmp_path / p).stat().st_mode & 0o777 for p in ("var", "var/pages", "var/pages/digest")
    ]
    assert modes == [0o700, 0o700, 0o700]


def test_deleting_and_clearing_remove_the_files(files, settings):
    for key in "abc":
        files.set(key, kept())

    files.delete_many(["a", "missing"])
    left = [files.get(key) is not None for key in "abc"]
    files.clear()

    assert left == [False, True, True]
    assert list(settings.KEPT_PAGES_DIR.iterdir()) == []


def test_culling_removes_expired_pages_then_the_oldest_beyond_the_limit(files, settings):
    settings.KEPT_PAGES_IN_FILES = 2
    for age, key in enumerate("abcd"):
        files.set(key, kept())
        path = settings.KEPT_PAGES_DIR / hashlib.sha256(key.encode()).hexdigest()
        then = time.time() - (pages.SECONDS + 10 if key == "a" else 100 - age)
        os.utime(path, (then, then))

    files.cull(settings.KEPT_PAGES_DIR)

    assert [files.get(key) is not None for key in "abcd"] == [False, False, True, True]


def test_the_folder_is_culled_every_hundredth_write(files, settings, monkeypatch):
    culled: list[object] = []
    monkeypatch.setattr(files, "cull", culled.append)

    for n in range(250):
        files.set(f"page-{n}", kept("{n}"))

    assert culled == [settings.KEPT_PAGES_DIR] * 2


def test_without_a_folder_nothing_is_kept_in_files(settings):
    settings.KEPT_PAGES_DIR = None
    files = pages.Files()
    files.set("a", kept())

    assert files.get("a") is None
