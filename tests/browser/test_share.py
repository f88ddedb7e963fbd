"""Sharing a result on a 390x844 phone: a friend's view that says whose result it is and invites
them to take the assessment above the fold, the share actions right after the top of the page,
the phone's share sheet where the browser has one, copying the link, and, with JavaScript off,
no button that does nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from quiz.models import Result
from tests import factories as f
from tests.browser.conftest import assert_accessible

PHONE: ViewportSize = {"width": 390, "height": 844}
LOCALES = {"ja": "ja-JP", "en": "en-US"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def made(site: str) -> Result:
    return f.result()


@pytest.fixture
def friend(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="ja-JP", viewport=PHONE, has_touch=True)
    yield context
    context.close()


def owned_by(context: BrowserContext, site: str, made: Result) -> BrowserContext:
    """The context holds the owner's cookie, as the browser that took the assessment does."""
    context.add_cookies(
        [
            {
                "name": made.owner_cookie_name(),
                "value": made.owner_token,
                "domain": urlsplit(site).hostname or "",
                "path": "/",
                "secure": True,  # "__Host-" cookies must be; Chromium allows that on localhost
            }
        ]
    )
    return context


def in_first_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def before(page: Page, first: str, then: str) -> bool:
    """Whether `first` comes before `then` in the page."""
    return bool(
        page.evaluate(
            """([a, b]) => !!(document.querySelector(a).compareDocumentPosition(
                 document.querySelector(b)) & Node.DOCUMENT_POSITION_FOLLOWING)""",
            [first, then],
        )
    )


@pytest.mark.parametrize(
    ("language", "heading", "kind", "invitation"),
    [
        ("ja", "友だちの診断結果", "友だちのタイプ", "あなたも診断する（約3分）"),
        ("en", "A friend's result", "Your friend's type", "Try it yourself (about 3 min)"),
    ],
)
def test_a_friends_view_says_whose_result_it_is_and_invites_above_the_fold(
    browser: Browser,
    site: str,
    made: Result,
    language: str,
    heading: str,
    kind: str,
    invitation: str,
) -> None:
    context = browser.new_context(locale=LOCALES[language], viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.goto(f"{site}/r/{made.token}/")

    expect(page.locator("h1")).to_have_text(heading)
    invite = page.locator(".invite button")
    expect(invite).to_have_text(invitation)
    # It leads with the friend's type; the invitation follows, both in the first screenful.
    expect(page.locator(".at-a-glance .eyebrow")).to_have_text(kind)
    assert in_first_viewport(page, "#type-heading")
    assert in_first_viewport(page, ".invite button")
    assert before(page, "#type-heading", ".invite")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"friend-{language}.png"))
    # One tap into the first question (#32).
    invite.click()
    expect(page).to_have_url(re.compile(r"/q/work-style/$"))
    context.close()


def test_the_friends_page_never_calls_the_friend_you(friend: BrowserContext, site: str) -> None:
    made = f.result()
    page = friend.new_page()
    page.goto(f"{site}/r/{made.token}/")

    headings = page.locator("main").locator("h1, h2, caption, .eyebrow, .friend-lead, .hint")
    texts = headings.all_inner_texts()

    assert "友だちのタイプ" in texts
    assert [text for text in texts if "あなた" in text] == []
    expect(page.get_by_text("もう一度診断する")).to_have_count(0)


def test_the_owners_page_keeps_take_it_again(browser: Browser, site: str, made: Result) -> None:
    context = owned_by(browser.new_context(locale="ja-JP", viewport=PHONE), site, made)
    page = context.new_page()
    page.goto(f"{site}/r/{made.token}/")

    # The owner's page is headed by their type (issue 31).
    expect(page.locator("h1")).to_have_text(made.snapshot["type"]["name"]["ja"])
    expect(page.get_by_role("link", name="もう一度診断する")).to_be_visible()
    expect(page.get_by_text("あなたも診断する")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("whose", ["owner", "friend"])
def test_the_share_actions_come_right_after_the_top_of_the_page(
    browser: Browser, site: str, made: Result, whose: str
) -> None:
    context = browser.new_context(locale="ja-JP", viewport=PHONE, has_touch=True)
    if whose == "owner":
        owned_by(context, site, made)
    page = context.new_page()
    page.goto(f"{site}/r/{made.token}/")

    share = page.locator("section.share")
    if whose == "friend":
        # Friends are never offered to share someone else's result (#32).
        expect(share).to_have_count(0)
        context.close()
        return
    expect(share).to_have_count(1)
    # Right after the type and its first actions.
    assert page.evaluate(
        "s => document.querySelector(s).nextElementSibling.matches('section.share')",
        ".at-a-glance",
    )
    # The owner's details (warnings and all) are on a page of their own, one tap away.
    assert before(page, "section.share", ".to-details")
    expect(share.get_by_role("link", name="LINEで送る")).to_be_visible()
    expect(share.get_by_role("link", name="Xでポスト")).to_be_visible()
    heading = page.locator("#share-heading").bounding_box()
    assert heading is not None
    assert heading["y"] < 2 * PHONE["height"]
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / f"share-{whose}.png"), full_page=False)
    context.close()


SHARE_SHEET = """
  window.shared = [];
  Object.defineProperty(navigator, "share", {
    value: data => { window.shared.push(data); return Promise.resolve(); },
  });
"""


def test_the_share_sheet_opens_with_the_text_and_the_link_where_the_browser_has_one(
    browser: Browser, site: str, made: Result
) -> None:
    with_sheet = owned_by(
        browser.new_context(locale="ja-JP", viewport=PHONE, has_touch=True), site, made
    )
    with_sheet.add_init_script(SHARE_SHEET)
    page = with_sheet.new_page()
    page.goto(f"{site}/r/{made.token}/")
    without = owned_by(browser.new_context(locale="ja-JP", viewport=PHONE), site, made)
    plain = without.new_page()
    plain.goto(f"{site}/r/{made.token}/")

    page.get_by_role("button", name="共有する", exact=True).click()

    title = made.snapshot["type"]["name"]["ja"]
    url = page.locator("#share-url").inner_text()
    assert url.endswith(f"/r/{made.token}/")  # on DJANGO_SITE_URL's address
    assert page.evaluate("window.shared") == [{"text": f"人脈診断の結果：{title}", "url": url}]
    assert plain.evaluate("'share' in navigator") is False
    expect(plain.locator("[data-share-url]")).to_be_hidden()
    with_sheet.close()
    without.close()


def test_the_copy_button_copies_the_link(browser: Browser, site: str, made: Result) -> None:
    context = owned_by(browser.new_context(locale="ja-JP", viewport=PHONE), site, made)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    page.goto(f"{site}/r/{made.token}/")
    button = page.locator("[data-copy]")

    button.click()

    expect(button).to_have_text("コピーしました")
    assert (
        page.evaluate("navigator.clipboard.readText()") == page.locator("#share-url").inner_text()
    )
    context.close()


@pytest.mark.parametrize("whose", ["owner", "friend"])
def test_without_javascript_only_controls_that_work_are_shown(
    browser: Browser, site: str, made: Result, whose: str
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="ja-JP", viewport=PHONE)
    if whose == "owner":
        owned_by(context, site, made)
    page = context.new_page()
    page.goto(f"{site}/r/{made.token}/")

    expect(page.locator("[data-copy]")).to_be_hidden()
    expect(page.locator("[data-share-url]")).to_be_hidden()
    if whose == "owner":
        link = page.locator("#share-url")
        expect(link).to_have_text(re.compile(rf"^http://\S+/r/{made.token}/$"))
        assert link.evaluate("e => getComputedStyle(e).userSelect") == "all"
    # Every button shown sends a form; every link goes somewhere.
    shown = page.evaluate(
        """() => [...document.querySelectorAll("button")].filter(b => b.checkVisibility())
          .map(b => [b.textContent.trim(), b.type, !!(b.form && b.form.action)])"""
    )
    assert shown
    assert all(kind == "submit" and sends for _text, kind, sends in shown), shown
    assert page.evaluate("() => [...document.querySelectorAll('a')].every(a => a.href)")
    context.close()
