"""The result page in Chromium: accessible for owner and friend, screenshots at phone and desktop
widths, the details printed whole, the owner's first screens within three phone screens, and
what was left out at a phone's width."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import factories as f
from tests.browser.conftest import assert_accessible
from tests.browser.walk import start, walk_to_result

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def finished(page: Page, site: str) -> str:
    start(page, site)
    walk_to_result(page)
    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{43}/$"))
    return page.url


def test_result_page_is_accessible_for_the_owner_and_for_a_friend(
    browser: Browser, page: Page, site: str
) -> None:
    url = finished(page, site)
    assert_accessible(page)
    page.goto(url + "details/")
    assert_accessible(page)
    expect(page.get_by_text("この結果を削除する")).to_be_visible()

    friend = browser.new_context(locale="ja-JP")
    shared = friend.new_page()
    shared.goto(url)

    expect(shared.locator("h1")).to_have_text("友だちの診断結果")
    expect(shared.get_by_text("この結果を削除する")).to_have_count(0)
    assert_accessible(shared)
    friend.close()


def test_result_page_screenshots_at_360_and_1280_pixels(
    browser: Browser, page: Page, site: str
) -> None:
    url = finished(page, site)
    ARTIFACTS.mkdir(exist_ok=True)

    for width in (360, 1280):
        context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": 900})
        view = context.new_page()
        view.goto(url)
        path = ARTIFACTS / f"result-{width}.png"
        view.screenshot(path=str(path), full_page=True)
        assert view.evaluate("document.documentElement.scrollWidth") <= width
        assert path.stat().st_size > 10_000
        context.close()


def test_the_details_print_whole_in_at_most_five_pages(page: Page, site: str) -> None:
    # Issue 31: the details print whole (every suggestion with its reasons, the warnings, the
    # chart and the answers), no longer the two-page digest of the old single page.
    page.goto(finished(page, site) + "details/")
    page.emulate_media(media="print")
    expect(page.locator("#answers-heading")).to_be_visible()
    expect(page.locator(".more-strategies .strategy-card").first).to_be_visible()
    # A warning folded on screen prints whole: paper cannot be tapped open.
    expect(page.locator(".warning-card").first.get_by_text("見分け方：")).to_be_visible()

    pdf = page.pdf(format="A4")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "result-print.pdf").write_bytes(pdf)

    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 5, pages


def test_what_was_left_out_is_accessible_and_fits_a_phone(browser: Browser, site: str) -> None:
    loner = next(p for p in f.personas() if p["slug"] == "strong-minded-loner")["answers"]
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    view = context.new_page()
    start(view, site)

    while "/q/" in view.url:
        question = view.url.rstrip("/").rsplit("/", 1)[-1]
        value = loner[question]
        for choice in value if isinstance(value, list) else [value]:
            view.locator(f'#step input[value="{choice}"]').check()
        before = view.url
        view.locator("#step").get_by_role("button").click()
        view.wait_for_function("url => location.href !== url", arg=before)

    view.goto(view.url + "details/")
    left_out = view.locator("section.excluded")
    expect(left_out.locator("h2")).to_have_text("あなたの答えに合わせて外した提案")
    expect(left_out.locator("#excluded-peer-networking")).to_be_visible()
    assert_accessible(view)
    assert view.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    left_out.screenshot(path=str(ARTIFACTS / "result-left-out-390.png"))
    view.screenshot(path=str(ARTIFACTS / "result-left-out-390-full.png"), full_page=True)
    context.close()


def walk_as(view: Page, site: str, slug: str) -> None:
    answers = next(p for p in f.personas() if p["slug"] == slug)["answers"]
    start(view, site)
    while "/q/" in view.url:
        question = view.url.rstrip("/").rsplit("/", 1)[-1]
        value = answers[question]
        for choice in value if isinstance(value, list) else [value]:
            view.locator(f'#step input[value="{choice}"]').check()
        before = view.url
        view.locator("#step").get_by_role("button").click()
        view.wait_for_function("url => location.href !== url", arg=before)


def test_the_type_and_three_actions_are_in_a_phones_first_view(browser: Browser, site: str) -> None:
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    view = context.new_page()
    walk_as(view, site, "no-record-mixer-regular")
    view.evaluate("window.scrollTo(0, 0)")

    glance = view.locator("section.at-a-glance")
    expect(glance.locator(".type-name")).to_have_text("合わない場から離れるタイプ")
    actions = glance.locator(".first-actions a")
    expect(actions).to_have_text(
        [
            "知らない人と次々に会うのを、いったんやめる",
            "まず実績とポートフォリオをつくる",
            "名刺を何枚も渡すのをやめ、「指名される仕事」をつくる",
        ]
    )
    for element in [glance.locator(".type-name"), *actions.all()]:
        box = element.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, box
    ARTIFACTS.mkdir(exist_ok=True)
    view.screenshot(path=str(ARTIFACTS / "result-glance-390.png"))
    assert_accessible(view)

    actions.first.click()
    expect(view).to_have_url(re.compile(r"#strategy-stop-stranger-mixers$"))
    warning = view.locator("#warning-organiser-only-gains")
    expect(warning.get_by_text("見分け方：")).to_be_hidden()
    warning.locator("summary").click()
    expect(warning.get_by_text("見分け方：")).to_be_visible()
    context.close()


def test_a_retake_on_the_same_phone_shows_what_changed(browser: Browser, site: str) -> None:
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    view = context.new_page()
    walk_as(view, site, "strong-minded-solo")
    first = view.url
    walk_as(view, site, "no-record-mixer-regular")

    retake = view.locator("section.retake")
    expect(retake.locator("#change-type")).to_have_text(
        "タイプが「一人で力をつけるタイプ」から「合わない場から離れるタイプ」に変わりました。"
    )
    expect(retake.locator("a.tap")).to_have_count(1)
    assert_accessible(view)
    assert view.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    retake.screenshot(path=str(ARTIFACTS / "result-retake-390.png"))
    retake.locator("a.tap").click()
    expect(view).to_have_url(first)
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_owners_result_is_at_most_three_phone_screens(
    browser: Browser, site: str, javascript: bool
) -> None:
    """Issue 31: 390 px wide, nothing opened, at most 2,600 px, with and without an earlier
    result to compare with."""
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 390, "height": 844}, java_script_enabled=javascript
    )
    view = context.new_page()
    walk_as(view, site, "strong-minded-solo")
    heights = [view.evaluate("document.documentElement.scrollHeight")]
    walk_as(view, site, "no-record-mixer-regular")
    expect(view.locator("section.retake")).to_be_visible()
    heights.append(view.evaluate("document.documentElement.scrollHeight"))
    assert view.evaluate("document.documentElement.scrollWidth") <= 390
    assert max(heights) <= 2600, heights
    expect(view.locator("h1")).to_have_text("合わない場から離れるタイプ")
    view.get_by_role("link", name="くわしい結果を見る").click()
    expect(view.locator("#answers-heading")).to_be_visible()
    context.close()
