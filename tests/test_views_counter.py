"""The counter a step shows, checked against real walks: every persona of
fixtures/personas.json answered through the pages, in Japanese and in English. At every step
「あと N 問」 ("N more questions") must be exactly the questions that then followed, and
「あと最大 N 問」 ("At most N more") never fewer than followed; the bar counts only the answers
already sent, so it is full only once the last one is."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests import factories as f

PERSONAS = f.personas()
LABEL = re.compile(r'<p id="progress-label"><span>[^<]*</span> <span>([^<]*)</span></p>')
BAR = re.compile(r'<progress max="(\d+)" value="(\d+)" aria-labelledby="progress-label">')
SAYS = {
    "ja": [
        (re.compile(r"^最後の質問です$"), "last"),
        (re.compile(r"^あと(\d+)問$"), "exact"),
        (re.compile(r"^あと最大(\d+)問$"), "most"),
    ],
    "en": [
        (re.compile(r"^Last question$"), "last"),
        (re.compile(r"^(\d+) more questions?$"), "exact"),
        (re.compile(r"^At most (\d+) more questions?$"), "most"),
    ],
}


def read_counter(html: str, language: str) -> tuple[str, int, int, int]:
    """What the step says: its kind ("last", "exact", "most"), N, and the bar's value and max."""
    label = LABEL.search(html)
    bar = BAR.search(html)
    assert label and bar, html
    for pattern, kind in SAYS[language]:
        said = pattern.match(label.group(1))
        if said:
            return kind, int(said.group(1)) if said.groups() else 0, int(bar[2]), int(bar[1])
    raise AssertionError(f"unexpected counter {label.group(1)!r}")


def post_value(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("persona", PERSONAS, ids=[p["slug"] for p in PERSONAS])
def test_the_counter_is_never_more_or_less_than_what_follows(
    persona: dict[str, Any], language: str
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    location = client.post("/start/")["Location"]
    said: list[tuple[str, int, int, int]] = []
    while location.startswith("/q/"):
        slug = location.split("/")[2]
        page = client.get(location)
        assert page.status_code == 200
        said.append(read_counter(page.content.decode(), language))
        answer = persona["answers"].get(slug)
        assert answer is not None, f"{persona['slug']} has no answer to {slug}"
        location = client.post(location, {slug: post_value(answer)})["Location"]
    assert location.startswith("/r/"), location

    asked = len(said)
    for index, (kind, most, value, total) in enumerate(said):
        followed = asked - index - 1
        where = f"{persona['slug']} ({language}), question {index + 1} of {asked}: {kind} {most}"
        if kind == "last":
            assert followed == 0, where
        elif kind == "exact":
            assert most == followed, where
        else:
            assert most >= followed and most > 0, where
        # The bar: the answers sent before this question, out of at most as many as can come.
        assert value == index, where
        assert total >= asked and value < total, where
