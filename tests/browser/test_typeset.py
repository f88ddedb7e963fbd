"""Japanese as an editor sets it, measured in Chromium at a phone's width: on home, a step, the
owner's result and its details, a friend's view, the types pages and a source page, no line
breaks inside a BudouX phrase. Each Japanese text node is laid out character by character (a
Range a character) and a new line is where a character's top moves down; the break must fall
where BudouX, run here on that text, puts a phrase boundary, or at a space."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import budoux
import pytest
from playwright.sync_api import Browser, Page

from tests import factories as f

PARSER = budoux.load_default_japanese_parser()

LINE_BREAKS = """() => {
  const found = [];
  const japanese = /[\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff]/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    const parent = node.parentElement;
    if (!japanese.test(text) || !parent || parent.closest("svg, .visually-hidden")) continue;
    let top = null;
    const breaks = [];
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rects = range.getClientRects();
      if (!rects.length || rects[0].width === 0) continue;
      if (top !== null && rects[0].top > top + 2) breaks.push(i);
      top = rects[0].top;
    }
    found.push({ text, breaks });
  }
  return found;
}"""


def boundaries(text: str) -> set[int]:
    """Where a line may break in `text`: between BudouX's phrases, and at spaces."""
    allowed, at = {0}, 0
    for phrase in PARSER.parse(text):
        at += len(phrase)
        allowed.add(at)
    allowed |= {i for i, c in enumerate(text) if c.isspace()}
    allowed |= {i + 1 for i, c in enumerate(text) if c.isspace()}
    return allowed


def breaks_inside_phrases(page: Page) -> list[str]:
    nodes: list[dict[str, Any]] = page.evaluate(LINE_BREAKS)
    assert nodes, page.url
    wrong = []
    for node in nodes:
        text = node["text"]
        for at in node["breaks"]:
            if at not in boundaries(text):
                wrong.append(f"{text[max(0, at - 8) : at]}/{text[at : at + 8]}")
    return wrong


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    # Closed after the test: an open context keeps its connections to the live server open,
    # and the threads serving them outlive the server (tests/browser/conftest.py).
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def test_no_line_breaks_inside_a_phrase_on_any_public_page(
    browser: Browser, phone_page: Page, site: str
) -> None:
    result = f.result(
        next(p for p in f.personas() if p["slug"] == "no-record-mixer-regular")["answers"]
    )
    phone_page.context.add_cookies(
        [
            {
                "name": result.owner_cookie_name(),
                "value": result.owner_token,
                "domain": urlsplit(site).hostname or "",
                "path": "/",
                "secure": True,  # "__Host-" cookies must be; Chromium allows that on localhost
            }
        ]
    )
    phone_page.goto(site + "/")
    phone_page.get_by_role("button", name="診断をはじめる").click()
    phone_page.wait_for_url("**/q/work-style/")
    kind = f.shipped_type_slugs()[0]
    pages = {
        "a step": phone_page.url,
        "home": site + "/",
        "the result": f"{site}/r/{result.token}/",
        "the details": f"{site}/r/{result.token}/details/",
        "the types": site + "/types/",
        "a type": f"{site}/types/{kind}/",
        "a source": site + "/sources/gaku-record-first/",
    }
    wrong: dict[str, list[str]] = {}
    for name, url in pages.items():
        phone_page.goto(url)
        if name == "the details":
            for fold in phone_page.locator("details").all():
                fold.evaluate("element => { element.open = true; }")
        wrong[name] = breaks_inside_phrases(phone_page)

    friend = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    shared = friend.new_page()
    shared.goto(f"{site}/r/{result.token}/")
    wrong["the friend's view"] = breaks_inside_phrases(shared)
    friend.close()

    assert {name: found for name, found in wrong.items() if found} == {}
