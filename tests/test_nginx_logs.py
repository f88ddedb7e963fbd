"""deploy/nginx/jinmyaku.conf's log maps mask a resume or result token wherever a request line or
a Referer carries one. The maps are read from the file and applied as nginx applies them (the
first regular expression that matches, its named groups in the value); `make deploy-check` and
deploy/debian-check.sh check the same on a running nginx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CONF = (Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "jinmyaku.conf").read_text()
TOKEN = "PEjKP-1N0zGEoAfcYuyNqDMcICV9O-AahegY5HwIrAg"


def logged(variable: str, value: str) -> str:
    (body,) = re.findall(rf"map \$\w+ \${variable} \{{\n(.*?)\n\}}", CONF, flags=re.DOTALL)
    for pattern, replacement in re.findall(r'^\s*"~(.*)" "(.*)";$', body, flags=re.MULTILINE):
        # nginx's PCRE names groups (?<name>…), Python's re (?P<name>…).
        if match := re.match(pattern.replace("(?<", "(?P<"), value):
            return re.sub(r"\$(\w+)", lambda m: match[m[1]], replacement)
    return value


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        (f"/r/{TOKEN}/", "/r/.../"),
        (f"/r/{TOKEN}/og.png", "/r/.../og.png"),
        (f"/resume/{TOKEN}/?x=1", "/resume/.../?x=1"),
        (
            f"/language/?language=en&next=%2Fr%2F{TOKEN}%2F",
            "/language/?language=en&next=%2Fr%2F...%2F",
        ),
        (f"/language/?language=en&next=/r/{TOKEN}/", "/language/?language=en&next=/r/.../"),
        (f"/language/?next=/resume/{TOKEN}&language=en", "/language/?next=/resume/...&language=en"),
        ("/types/", "/types/"),
        ("/static/css/site.3dfc9c265d60.css", "/static/css/site.3dfc9c265d60.css"),
    ],
)
def test_the_access_log_masks_tokens_in_the_path_and_the_query(uri: str, expected: str) -> None:
    assert logged("jinmyaku_logged_uri", uri) == expected


@pytest.mark.parametrize(
    ("referer", "expected"),
    [
        (f"https://h.example/r/{TOKEN}/", "https://h.example/r/.../"),
        (f"https://h.example/r/{TOKEN}/details/", "https://h.example/r/.../details/"),
        (
            f"https://h.example/language/?next=%2Fr%2F{TOKEN}%2F",
            "https://h.example/language/?next=%2Fr%2F...%2F",
        ),
        (
            f"https://h.example/language/?next=/r/{TOKEN}/",
            "https://h.example/language/?next=/r/.../",
        ),
        ("https://h.example/types/", "https://h.example/types/"),
    ],
)
def test_the_access_log_masks_tokens_in_the_referer(referer: str, expected: str) -> None:
    assert logged("jinmyaku_logged_referer", referer) == expected
