"""Home and source pages in a real browser: rendered, accessible, and strict CSP not violated."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


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


def test_the_types_page_and_every_type_page_pass_axe_in_both_languages(
    page: Page, site: str
) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(site + "/")
    page.get_by_role("link", name="どんなタイプがある？").click()
    assert page.locator("h1").inner_text() == "どんなタイプがある？"
    assert_accessible(page)
    links = page.locator("main li a").evaluate_all("links => links.map(a => a.href)")

    assert len(links) == 9
    for language in ("ja", "en"):
        if language == "en":
            page.get_by_role("button", name="English").click()
        for link in links:
            page.goto(link)
            assert page.locator("h1").count() == 1
            assert page.locator("html").get_attribute("lang") == language
            assert_accessible(page)
    assert [m for m in messages if "Content Security Policy" in m] == []


def test_language_switch_is_visible_and_works_without_javascript(browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    page = context.new_page()
    page.goto(site + "/")

    page.get_by_role("button", name="English").click()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Networking Check"
    context.close()


def test_the_type_pages_are_accessible_and_fit_a_phone(browser: Browser, site: str) -> None:
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    view = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    view.goto(site + "/")
    view.get_by_role("link", name="どんなタイプがある？").click()
    expect(view.locator("h1")).to_have_text("どんなタイプがある？")
    assert_accessible(view)
    assert view.evaluate("document.documentElement.scrollWidth") <= 390
    view.screenshot(path=str(ARTIFACTS / "types-390.png"), full_page=True)

    view.get_by_role("link", name="自分の「シマ」をつくるタイプ").click()
    expect(view.locator("h1")).to_have_text("自分の「シマ」をつくるタイプ")
    assert_accessible(view)
    assert view.evaluate("document.documentElement.scrollWidth") <= 390
    view.screenshot(path=str(ARTIFACTS / "type-390.png"), full_page=True)
    context.close()
