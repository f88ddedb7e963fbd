"""Whole pages kept rendered and compressed, with the values that must be new in every response
left as holes.

A page's CSP nonce and CSRF token may not be shared between responses (nor may a private link
such as the resume URL), so a page is rendered once with a marker in their place, cut at the
markers, and the pieces between them are kept both as text and compressed. Each response then
costs a few joins instead of a template rendering and a compression, and the policy stays
nonce-based: every response still carries its own nonce, in its header and in its tags.

Compression without compressing again: each piece is deflated on its own and ends on a byte
boundary (a full flush), so deflated pieces can follow one another in one stream, and each hole's
value goes between them as a stored (uncompressed) block. Secrets are thus never compressed
together with anything else, which is what BREACH needs, so no random padding is added.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import itertools
import logging
import math
import os
import re
import struct
import tempfile
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)
SECONDS = 24 * 60 * 60
# The context variables base.html prints that differ on every response.
NONCE, CSRF = "csp_nonce", "csrf_token"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time, no flags
LAST_BLOCK = b"\x01\x00\x00\xff\xff"  # an empty stored block marked final


def marker(name: str) -> str:
    # Letters, digits and hyphens only, so escaping leaves it as it is wherever it is printed.
    return f"jm-hole-{name.replace('_', '-')}-7f3a"


@dataclass(frozen=True)
class Kept:
    """A rendered page cut at its holes: `names[i]` goes between `pieces[i]` and `pieces[i+1]`."""

    pieces: tuple[bytes, ...]
    deflated: tuple[bytes, ...]
    names: tuple[str, ...]

    @classmethod
    def cut(cls, page: str, names: tuple[str, ...]) -> Kept:
        by_marker = {marker(name): name for name in names}
        parts = re.split(f"({'|'.join(map(re.escape, by_marker))})", page)
        pieces = tuple(part.encode() for part in parts[::2])
        return cls(
            pieces=pieces,
            deflated=tuple(map(_deflated, pieces)),
            names=tuple(by_marker[m] for m in parts[1::2]),
        )

    def text(self, values: Mapping[str, bytes]) -> bytes:
        out = [self.pieces[0]]
        for name, piece in zip(self.names, self.pieces[1:], strict=True):
            out += [values[name], piece]
        return b"".join(out)

    def gzipped(self, values: Mapping[str, bytes]) -> bytes:
        out = [GZIP_HEADER, self.deflated[0]]
        crc = zlib.crc32(self.pieces[0])
        size = len(self.pieces[0])
        for name, piece, deflated in zip(
            self.names, self.pieces[1:], self.deflated[1:], strict=True
        ):
            value = values[name]
            # A stored block holds at most 65,535 bytes.
            for start in range(0, len(value), 0xFFFF):
                block = value[start : start + 0xFFFF]
                out += [b"\x00", struct.pack("<HH", len(block), len(block) ^ 0xFFFF), block]
            out.append(deflated)
            crc = zlib.crc32(piece, zlib.crc32(value, crc))
            size += len(value) + len(piece)
        out += [LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
        return b"".join(out)


def _deflated(piece: bytes) -> bytes:
    # Level 4: a tenth of level 9's time on a result page (a page often sent only once or twice)
    # for about 4% more bytes.
    compressor = zlib.compressobj(4, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(piece) + compressor.flush(zlib.Z_FULL_FLUSH)


class Memory:
    """The pages this process keeps, as objects, most recently used last.

    Not a LocMemCache: that one unpickles the whole page on every read and checks every key
    character by character (a few percent of a kept page under load). Pages are immutable, so
    handing out the same object is safe.
    """

    def __init__(self) -> None:
        self._pages: OrderedDict[str, tuple[float, Kept]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Kept | None:
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return found[1]

    def set(self, key: str, kept: Kept) -> None:
        # Read here, not once, so that tests and DEBUG (0: nothing kept) can change it.
        entries = settings.KEPT_PAGES_IN_MEMORY
        with self._lock:
            self._pages[key] = (time.monotonic() + SECONDS, kept)
            self._pages.move_to_end(key)
            while len(self._pages) > entries:
                self._pages.popitem(last=False)

    def delete_many(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._pages.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


memory = Memory()


class Files:
    """The pages the processes of one host share, a file each, in a folder of the app's own.

    Not Django's FileBasedCache: that one lists its whole folder on every write to cull it (about
    2 ms at 2,000 pages, on every completed assessment) and compresses an already compressed
    page again. Here each file is the page's pieces laid out with their lengths and a checksum,
    read back without unpickling anything, written to a temporary name and then renamed, so that
    another process reads a whole page or none. Each process culls the folder on every
    `CULL_EVERY`th write of its own, so between two culls the folder can hold up to that many
    pages per process beyond `KEPT_PAGES_IN_FILES`.
    """

    MAGIC = b"jm-kept-1\n"
    CULL_EVERY = 100
    # Expiry (epoch seconds), CRC-32 of all that follows the head, number of pieces and of holes.
    _HEAD = struct.Struct("<dIHH")

    def __init__(self) -> None:
        self._writes = itertools.count(1)

    @property
    def directory(self) -> Path | None:
        # Read here, not once, so that tests can change it.
        folder: Path | None = settings.KEPT_PAGES_DIR
        return folder

    def _path(self, folder: Path, key: str) -> Path:
        return folder / hashlib.sha256(key.encode()).hexdigest()

    def get(self, key: str) -> Kept | None:
        folder = self.directory
        if folder is None:
            return None
        path = self._path(folder, key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        kept, expiry = self.decode(data)
        if kept is None:
            # Damaged (a crash before the data reached the disk, say): it would fail every time.
            path.unlink(missing_ok=True)
            return None
        return kept if expiry >= time.time() else None

    def set(self, key: str, kept: Kept) -> None:
        folder = self.directory
        if folder is None:
            return
        if not folder.is_dir():
            _private_folders(folder)
        if next(self._writes) % self.CULL_EVERY == 0:
            self.cull(folder)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".new-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(self.encode(kept, time.time() + SECONDS))
            os.replace(temporary, self._path(folder, key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def delete_many(self, keys: Iterable[str]) -> None:
        folder = self.directory
        if folder is not None:
            for key in keys:
                self._path(folder, key).unlink(missing_ok=True)

    def clear(self) -> None:
        folder = self.directory
        if folder is not None and folder.is_dir():
            for entry in os.scandir(folder):
                if entry.is_file(follow_symlinks=False):
                    Path(entry.path).unlink(missing_ok=True)

    def cull(self, folder: Path) -> None:
        """Remove expired pages, then the oldest beyond `KEPT_PAGES_IN_FILES`."""
        ages = sorted(_remove_expired(folder)[1])
        for _modified, path in ages[: max(0, len(ages) - settings.KEPT_PAGES_IN_FILES)]:
            Path(path).unlink(missing_ok=True)

    @classmethod
    def encode(cls, kept: Kept, expiry: float) -> bytes:
        names = [name.encode() for name in kept.names]
        parts = [*kept.pieces, *kept.deflated, *names]
        body = b"".join([struct.pack(f"<{len(parts)}I", *map(len, parts)), *parts])
        head = cls._HEAD.pack(expiry, zlib.crc32(body), len(kept.pieces), len(names))
        return cls.MAGIC + head + body

    @classmethod
    def decode(cls, data: bytes) -> tuple[Kept | None, float]:
        """The page and its expiry; no page, whatever the bytes, unless this class wrote them."""
        offset = len(cls.MAGIC) + cls._HEAD.size
        if not data.startswith(cls.MAGIC) or len(data) < offset:
            return None, 0.0
        expiry, crc, pieces, holes = cls._HEAD.unpack_from(data, len(cls.MAGIC))
        if zlib.crc32(data[offset:]) != crc or not math.isfinite(expiry) or pieces != holes + 1:
            return None, 0.0
        count = 2 * pieces + holes
        if len(data) < offset + 4 * count:
            return None, 0.0
        lengths = struct.unpack_from(f"<{count}I", data, offset)
        offset += 4 * count
        if offset + sum(lengths) != len(data):
            return None, 0.0
        parts = []
        for length in lengths:
            parts.append(data[offset : offset + length])
            offset += length
        try:
            names = tuple(name.decode() for name in parts[2 * pieces :])
        except UnicodeDecodeError:
            return None, 0.0
        kept = Kept(
            pieces=tuple(parts[:pieces]), deflated=tuple(parts[pieces : 2 * pieces]), names=names
        )
        return kept, expiry


def purge_expired(root: Path, current: Path | None) -> int:
    """Remove the expired pages in each release's folder under `root`, then the folders of other
    releases once they are empty: a deploy starts a new folder and nothing reads the old one
    again. Returns how many pages were removed."""
    if not root.is_dir():
        return 0
    removed = 0
    for folder in os.scandir(root):
        if not folder.is_dir(follow_symlinks=False):
            continue
        removed += _remove_expired(Path(folder.path))[0]
        if Path(folder.path) != current:
            with contextlib.suppress(OSError):  # not empty yet, or already gone
                os.rmdir(folder.path)
    return removed


def _remove_expired(folder: Path) -> tuple[int, list[tuple[float, str]]]:
    """Remove the pages in the folder older than a day: how many, and (modified, path) of the
    pages left. Anything but a plain file is left alone."""
    now = time.time()
    removed, left = 0, []
    for entry in os.scandir(folder):
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            modified = entry.stat(follow_symlinks=False).st_mtime
        except FileNotFoundError:
            continue  # removed by another process meanwhile
        if modified + SECONDS < now:
            Path(entry.path).unlink(missing_ok=True)
            removed += 1
        else:
            left.append((modified, entry.path))
    return removed, left


def _private_folders(folder: Path) -> None:
    """Make the folder and each missing parent readable by us alone (Path.mkdir applies its mode
    to the last one only), so that nobody else can put pages there for us to send."""
    for path in reversed([folder, *folder.parents]):
        if not path.exists():
            with contextlib.suppress(FileExistsError):  # made by another process meanwhile
                path.mkdir(mode=0o700)


files = Files()


def _kept(key: str) -> Kept | None:
    """From this process's memory, else from the files this host's processes share."""
    kept = memory.get(key)
    if kept is None:
        try:
            kept = files.get(key)
        except OSError:
            logger.exception("kept pages cannot be read")
        if kept is not None:
            memory.set(key, kept)
    return kept


def _keep(key: str, kept: Kept, share: bool) -> None:
    memory.set(key, kept)
    if not share:
        return
    try:
        files.set(key, kept)
    except OSError:
        # A full or read-only disk costs renderings, never the page.
        logger.exception("kept pages cannot be written")


def forget(keys: Iterable[str]) -> None:
    keys = list(keys)
    memory.delete_many(keys)
    try:
        files.delete_many(keys)
    except OSError:
        logger.exception("kept pages cannot be removed")


def prepare(
    request: HttpRequest,
    key: str,
    template: str,
    context: dict[str, Any],
    holes: tuple[str, ...] = (),
    share: bool = True,
) -> Kept:
    """Render a page and keep it, for a request that will come later (see `cached`)."""
    names = (NONCE, CSRF, *holes)
    page = render_to_string(
        template, {**context, **{name: marker(name) for name in names}}, request
    )
    kept = Kept.cut(page, names)
    _keep(key, kept, share)
    return kept


def cached(
    request: HttpRequest,
    key: str,
    template: str,
    context: Callable[[], dict[str, Any]],
    holes: Mapping[str, str] | None = None,
    share: bool = True,
) -> HttpResponse:
    """The page kept under `key`, rendered now if it is not kept yet, with `holes` (context
    variables whose values differ per response) and the nonce and CSRF token filled in.

    The key must name everything else the page shows (pending messages are never kept);
    `context` is called only on a miss.
    Without `share`, the page is kept only by this process (a page one person will see).
    """
    holes = dict(holes or {})
    if messages.get_messages(request):
        # A message is shown once, to one person: a page showing one is rendered, never kept.
        return render(request, template, {**context(), **holes})
    kept = _kept(key) or prepare(request, key, template, context(), tuple(holes), share)
    if NONCE in kept.names:
        # Reading the nonce is what makes the CSP middleware put it in this response's header.
        # (It is lazy and falsy until read, so it is compared with None, not tested for truth.)
        nonce = get_nonce(request)
        holes[NONCE] = "" if nonce is None else str(nonce)
    if CSRF in kept.names:
        # Only a page with a form asks for a token: for a visitor without the cookie, that
        # means a new secret and a cookie.
        holes[CSRF] = get_token(request)
    # Each value as the template would have printed it: Django's escape is the standard
    # library's, wrapped in a check for lazy strings that cost more than the escaping.
    values = {name: html.escape(value).encode() for name, value in holes.items()}
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(kept.gzipped(values))
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(kept.text(values))
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
