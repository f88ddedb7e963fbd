"""A result a person comes back to (issue 31), with JavaScript on and off, in Japanese and
English: the home page offers the last result and the list of this browser's results; an
unfinished assessment is continued from the home page, and starting over asks first; the
owner's first screens fit three phone screens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests import factories as f
from tests.browser.conftest import assert_accessible

PHONE: ViewportSize = {"width": 390, "height": 844}
LOCALES = {"ja": "ja-JP", "en": "en-US"}
WORDS: dict[str, dict[str, Any]] = {
    "ja": {
        "last": "前回の結果を見る",
        "mine": "このブラウザの結果一覧",
        "continue": re.compile(r"^続きから（1/\d+問回答済み）$"),
        "restart": "最初からやり直す",
        "restart-heading": "最初からやり直しますか？",
        "back": "続きから答える",
        "details": "くわしい結果を見る",
    },
    "en": {
        "last": "See my last result",
        "mine": "My results on this browser",
        "continue": re.compile(r"^Continue \(1 of \d+ answered\)$"),
        "restart": "Start over",
        "restart-heading": "Start over?",
        "back": "Continue where I left off",
        "details": "See the full result",
    },
}


def answers(slug: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in f.personas() if p["slug"] == slug)["answers"]
    return found


def take(page: Page, site: str, slug: str) -> str:
    """The whole assessment as `slug` answers it; the result's address."""
    given = answers(slug)
    page.goto(site + "/")
    page.locator("form.start button[type=submit]").click()
    page.wait_for_url(re.compile(r"/q/"))
    while "/q/" in page.url:
        question = page.url.rstrip("/").rsplit("/", 1)[-1]
        value = given[question]
        for choice in value if isinstance(value, list) else [value]:
            page.locator(f'#step input[value="{choice}"]').check()
        before = page.url
        page.locator("#step button[type=submit]").click()
        page.wait_for_function("url => location.href !== url", arg=before)
    return page.url


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_coming_back_to_a_result_and_to_an_unfinished_assessment(
    browser: Browser, site: str, language: str, javascript: bool
) -> None:
    words = WORDS[language]
    context = browser.new_context(
        locale=LOCALES[language], viewport=PHONE, java_script_enabled=javascript
    )
    page = context.new_page()
    first = take(page, site, "strong-minded-solo")
    heights = [page.evaluate("document.documentElement.scrollHeight")]
    second = take(page, site, "no-record-mixer-regular")
    expect(page.locator("section.retake")).to_be_visible()
    heights.append(page.evaluate("document.documentElement.scrollHeight"))
    # Three phone screens at most, nothing opened, with and without an earlier result.
    assert max(heights) <= 2600, heights
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(site + "/")
    page.get_by_role("link", name=words["last"]).click()
    expect(page).to_have_url(second)
    page.goto(site + "/")
    page.get_by_role("link", name=words["mine"]).click()
    listed = page.locator(".mine-list a")
    expect(listed).to_have_count(2)
    assert [a.get_attribute("href") for a in listed.all()] == [
        re.sub(r"^https?://[^/]+", "", url) for url in (second, first)
    ]
    if javascript:
        assert_accessible(page)

    page.goto(site + "/")
    page.locator("form.start button[type=submit]").click()
    page.wait_for_url(re.compile(r"/q/work-style/$"))
    page.locator('#step input[type="radio"]').first.check()
    page.locator("#step button[type=submit]").click()
    page.wait_for_url(re.compile(r"/q/track-record/$"))
    page.goto(site + "/")
    main = page.locator("p.start a.button").first
    expect(main).to_have_text(words["continue"])
    if javascript:
        assert_accessible(page)
    page.get_by_role("link", name=words["restart"]).click()
    expect(page.locator("h1")).to_have_text(words["restart-heading"])
    page.get_by_role("link", name=words["back"]).click()
    expect(page).to_have_url(re.compile(r"/q/track-record/$"))
    expect(page.locator("#step input:checked")).to_have_count(0)
    context.close()
