"""The questionnaire in Chromium, with JavaScript (htmx swaps) and without (plain forms)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.walk import answer_current_step, start, walk_to_result


def test_whole_assessment_with_javascript_swaps_steps_and_passes_axe_on_each(
    page: Page, site: str
) -> None:
    start(page, site)
    page.evaluate("window.__notReloaded = true")

    steps = walk_to_result(page, check_each_step=True)

    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{43}/$"))
    # The result is headed by the type (issue 31).
    expect(page.locator("h1.type-name")).to_have_count(1)
    assert steps >= 9
    assert_accessible(page)


def test_htmx_swap_keeps_the_page_moves_focus_and_announces_the_question(
    page: Page, site: str
) -> None:
    start(page, site)
    page.evaluate("window.__notReloaded = true")
    before = page.locator("#step").bounding_box()

    answer_current_step(page)

    expect(page).to_have_url(re.compile(r"/q/track-record/$"))
    assert page.evaluate("window.__notReloaded") is True
    after = page.locator("#step").bounding_box()
    assert before is not None and after is not None
    assert (after["x"], after["y"], after["width"]) == (before["x"], before["y"], before["width"])
    heading = page.locator("#step h1")
    expect(heading).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text(heading.inner_text())
    page.go_back()
    expect(page).to_have_url(re.compile(r"/q/work-style/$"))
    expect(page.locator("#step input:checked")).to_have_count(1)


def test_whole_assessment_without_javascript(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    page = context.new_page()
    start(page, site)

    steps = walk_to_result(page)

    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{43}/$"))
    assert steps >= 9
    context.close()


def test_an_error_is_shown_focused_and_fixed(page: Page, site: str) -> None:
    start(page, site)

    page.locator("#step").get_by_role("button", name="次へ").click()

    error = page.locator("#step .error")
    expect(error).to_have_text("この質問に答えてください。")
    expect(error).to_be_focused()
    answer_current_step(page)
    expect(page).to_have_url(re.compile(r"/q/track-record/$"))


def test_going_back_and_changing_an_answer_hides_a_later_question(page: Page, site: str) -> None:
    start(page, site)
    answer_current_step(page)  # work style
    expect(page).to_have_url(re.compile(r"/q/track-record/$"))
    answer_current_step(page)
    expect(page).to_have_url(re.compile(r"/q/sociability/$"))
    answer_current_step(page)
    expect(page).to_have_url(re.compile(r"/q/temperament/$"))
    answer_current_step(page)
    expect(page).to_have_url(re.compile(r"/q/purpose/$"))
    answer_current_step(page)
    expect(page).to_have_url(re.compile(r"/q/where-you-network/$"))
    page.locator("input[value=paid-mixers]").check()
    page.get_by_role("button", name="次へ").click()
    expect(page).to_have_url(re.compile(r"/q/network-results/$"))
    total_with_results = page.locator("#progress-label").inner_text()

    page.get_by_role("link", name="前の質問に戻る").click()
    expect(page).to_have_url(re.compile(r"/q/where-you-network/$"))
    page.locator("input[value=paid-mixers]").uncheck()
    page.locator("input[value=nothing]").check()
    page.get_by_role("button", name="次へ").click()

    expect(page).to_have_url(re.compile(r"/q/time/$"))
    assert page.locator("#progress-label").inner_text() != total_with_results
    page.goto(site + "/q/network-results/")
    expect(page).to_have_url(re.compile(r"/q/time/$"))


def test_reload_mid_way_keeps_the_saved_answer(page: Page, site: str) -> None:
    start(page, site)
    answer_current_step(page)
    expect(page).to_have_url(re.compile(r"/q/track-record/$"))

    page.goto(site + "/q/work-style/")
    page.reload()

    expect(page.locator("#step input:checked")).to_have_count(1)


def test_continue_later_link_resumes_in_a_fresh_browser(
    browser: Browser, page: Page, site: str
) -> None:
    start(page, site)
    answer_current_step(page)
    expect(page).to_have_url(re.compile(r"/q/track-record/$"))
    page.locator("summary", has_text="あとで続ける").click()
    link = page.locator(".resume-link").get_attribute("href")
    assert link is not None

    fresh = browser.new_context(locale="ja-JP")
    other = fresh.new_page()
    other.goto(link)
    expect(other.locator("h1")).to_have_text("途中の診断を続けますか？")
    assert_accessible(other)
    other.get_by_role("button", name="このリンクの診断を続ける").click()

    expect(other).to_have_url(re.compile(r"/q/track-record/$"))
    other.goto(site + "/q/work-style/")
    expect(other.locator("#step input:checked")).to_have_count(1)
    fresh.close()


def test_language_switch_after_htmx_steps_stays_on_the_current_step(page: Page, site: str) -> None:
    start(page, site)
    answer_current_step(page)
    expect(page).to_have_url(re.compile(r"/q/track-record/$"))
    answer_current_step(page)
    expect(page).to_have_url(re.compile(r"/q/sociability/$"))
    expect(page).to_have_title(re.compile(r"^人と会うのが好きか（3問目） \| "))

    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(re.compile(r"/q/sociability/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#progress-label")).to_contain_text("Question 3")
    assert_accessible(page)


def test_steps_are_laid_out_for_a_360_pixel_screen(browser: Browser, site: str) -> None:
    context = browser.new_context(locale="ja-JP", viewport={"width": 360, "height": 740})
    page = context.new_page()
    start(page, site)

    for slug in ("work-style", "track-record", "sociability", "temperament"):
        expect(page).to_have_url(re.compile(rf"/q/{slug}/$"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        options = page.locator("#step .choice, #step .scale-option")
        boxes = [options.nth(i).bounding_box() for i in range(options.count())]
        assert len(boxes) >= 3
        assert all(box is not None and box["height"] >= 44 for box in boxes)
        if slug != "sociability":  # choices stack, each the full width of the column
            assert all(box is not None and box["width"] >= 300 for box in boxes)
            assert len({box["y"] for box in boxes if box}) == len(boxes)
        answer_current_step(page)
    context.close()
