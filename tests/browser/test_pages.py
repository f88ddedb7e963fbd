"""Home and source pages in a real browser: rendered, accessible, and strict CSP not violated."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible


def test_home_renders_without_csp_violations_and_passes_axe(page: Page, site: str) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))

    page.goto(site + "/")

    assert page.locator("h1").inner_text() == "人脈診断"
    assert page.evaluate("typeof htmx") == "object"
    assert [m for m in messages if "Content Security Policy" in m] == []
    assert_accessible(page)


def test_every_source_page_passes_axe(page: Page, site: str) -> None:
    page.goto(site + "/")
    links = page.locator(".source-list a").evaluate_all("links => links.map(a => a.href)")

    assert len(links) == 5
    for link in links:
        page.goto(link)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_language_switch_is_visible_and_works_without_javascript(browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    page = context.new_page()
    page.goto(site + "/")

    page.get_by_role("button", name="English").click()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Networking Check"
    context.close()
