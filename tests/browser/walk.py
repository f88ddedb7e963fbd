"""Walking through the assessment in a browser, for the browser tests."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible


def answer_current_step(page: Page) -> None:
    """Pick a plausible answer on whatever step is shown: the first choice or the middle."""
    step = page.locator("#step")
    radios = step.locator("input[type=radio]")
    if radios.count():
        radios.nth(radios.count() // 2 if step.locator(".scale").count() else 0).check()
    else:
        step.locator("input[type=checkbox]").first.check()
    step.get_by_role("button").click()


def walk_to_result(page: Page, check_each_step: bool = False) -> int:
    steps = 0
    while "/q/" in page.url:
        expect(page.locator("#step h1")).to_be_visible()
        if check_each_step:
            assert_accessible(page)
        before = page.url
        answer_current_step(page)
        page.wait_for_function("url => location.href !== url", arg=before)
        steps += 1
        assert steps < 30
    # The result page whole, its images and styles too: a request still in flight when the test
    # ends would be served while its database is emptied for the next test.
    page.wait_for_load_state("load")
    return steps


def start(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.get_by_role("button", name="診断をはじめる").click()
    expect(page).to_have_url(re.compile(r"/q/work-style/$"))
