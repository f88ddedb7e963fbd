"""Owner to friend and back (#32), on a 390x844 phone, in Japanese and English, with JavaScript
on and off: the owner chooses what a friend sees beside the share buttons and shares; the friend
opens the link, sees the type and nothing of the answers, takes the assessment in one tap from
the invitation, and finds the two types compared on their own result; the owner sees nothing of
the friend."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from quiz.models import Result, TravelCount
from tests import factories as f
from tests.browser.conftest import assert_accessible
from tests.browser.walk import walk_to_result

PHONE: ViewportSize = {"width": 390, "height": 844}
LOCALES = {"ja": "ja-JP", "en": "en-US"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WORDS = {
    "ja": {
        "choose": "友だちに見せる内容を選ぶ",
        "profile": "傾向（スコア）",
        "save": "この内容で保存する",
        "saved": "友だちに見える内容を保存しました。",
        "friend": "友だちの診断結果",
        "invite": "あなたも診断する（約3分）",
        "profile_heading": "友だちの傾向",
        "warnings": "気をつけておきたいこと",
        "pair": "あなたと友だち",
        "line": "LINEで送る",
    },
    "en": {
        "choose": "Choose what friends see",
        "profile": "Profile (scores)",
        "save": "Save",
        "saved": "Saved what your friends see.",
        "friend": "A friend's result",
        "invite": "Try it yourself (about 3 min)",
        "profile_heading": "Your friend's profile",
        "warnings": "Worth keeping in mind",
        "pair": "You and your friend",
        "line": "Share on LINE",
    },
}


def owner_of(browser: Browser, site: str, made: Result, language: str, js: bool) -> BrowserContext:
    context = browser.new_context(locale=LOCALES[language], viewport=PHONE, java_script_enabled=js)
    context.add_cookies(
        [
            {
                "name": made.owner_cookie_name(),
                "value": made.owner_token,
                "domain": urlsplit(site).hostname or "",
                "path": "/",
                "secure": True,
            }
        ]
    )
    return context


def share_link_of(page: Page) -> str:
    """The link as the owner copies it: with JavaScript off, from the fold that shows it (with
    it, the copy button takes its place)."""
    fold = page.locator("details.share-link summary")
    if fold.is_visible():
        fold.click()
    return (page.locator("#share-url").text_content() or "").strip()


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_owner_shares_friend_views_takes_it_in_one_tap_and_compares(
    browser: Browser, site: str, language: str, js: bool
) -> None:
    words = WORDS[language]
    made = f.result(next(p for p in f.personas() if p["slug"] == "strong-minded-loner")["answers"])
    # The owner: what a friend sees is listed beside the share buttons; they add the profile.
    owner = owner_of(browser, site, made, language, js)
    mine = owner.new_page()
    mine.goto(f"{site}/r/{made.token}/")
    sees = mine.locator("#friend-sees")
    expect(sees.locator(".sees-list li")).to_have_count(2)
    sees.locator("summary").click()
    sees.get_by_label(words["profile"]).check()
    sees.get_by_role("button", name=words["save"]).click()
    expect(mine.locator(".messages")).to_contain_text(words["saved"])
    expect(mine.locator("#friend-sees .sees-list li")).to_have_count(3)
    if js:  # axe runs in the page: with JavaScript off its promise never settles
        assert_accessible(mine)
    # The LINE button goes through the site, which counts the result shared, then on to LINE.
    line = mine.get_by_role("link", name=words["line"]).get_attribute("href")
    assert line == f"/r/{made.token}/share/line/"
    sent = mine.request.get(site + line, max_redirects=0)
    assert sent.status == 302 and sent.headers["location"].startswith("https://line.me/R/share?")
    link = share_link_of(mine)

    # The friend, a stranger to the site: the type, no warnings, the profile the owner chose.
    friend = browser.new_context(locale=LOCALES[language], viewport=PHONE, java_script_enabled=js)
    theirs = friend.new_page()
    # On DJANGO_SITE_URL's address (the tests' is not this live server's): its path here.
    assert link.endswith(f"/r/{made.token}/")
    theirs.goto(site + urlsplit(link).path)
    expect(theirs.locator("h1")).to_have_text(words["friend"])
    kind = made.snapshot["type"]["name"][language]
    expect(theirs.locator("#type-heading")).to_have_text(kind)
    assert theirs.title().startswith(
        {"ja": "友だちの診断結果：", "en": "A friend's result: "}[language]
    )
    expect(theirs.get_by_text(words["warnings"])).to_have_count(0)
    expect(theirs.locator("#profile-heading")).to_have_text(words["profile_heading"])
    expect(theirs.locator("section.share")).to_have_count(0)
    invite = theirs.get_by_role("button", name=words["invite"])
    box = invite.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    if js:
        assert_accessible(theirs)
        ARTIFACTS.mkdir(exist_ok=True)
        theirs.screenshot(path=str(ARTIFACTS / f"{language}-friend.png"))

    # One tap: the first question.
    invite.click()
    expect(theirs).to_have_url(re.compile(r"/q/work-style/$"))
    walk_to_result(theirs)
    expect(theirs).to_have_url(re.compile(r"/r/[\w-]+/$"))
    together = theirs.locator("section.with-friend")
    expect(together.locator("h2")).to_have_text(words["pair"])
    expect(together.locator(".pair-type").nth(1)).to_have_text(kind)
    expect(together.locator(".gifts dd")).to_have_count(2)
    if js:
        assert_accessible(theirs)
        together.scroll_into_view_if_needed()
        theirs.screenshot(path=str(ARTIFACTS / f"{language}-compare.png"))

    # The owner sees nothing of the friend.
    mine.goto(f"{site}/r/{made.token}/")
    expect(mine.locator("section.with-friend")).to_have_count(0)
    counted = {c.event: c.count for c in TravelCount.objects.all()}
    assert counted["shared"] == 1 and counted["invited"] == 1 and counted["completed"] == 1
    assert counted["viewed"] >= 1
    friend.close()
    owner.close()
