"""Playwright driving Debian's Chromium (never a downloaded browser) against pytest-django's
live server, plus axe-core from the installed axe-playwright-python package."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from quiz import criteria as store
from tests import factories as f
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_SOURCE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def live_server(live_server: Any) -> Iterator[Any]:
    """pytest-django's live server, stopped only once the requests it is serving have ended.

    When the test database exists before the server starts (a database test ran first, as in
    a whole run), the server's request threads use the test's own in-memory SQLite connection,
    shared with them until the server stops, and each closes it as it ends. Those threads are
    daemons, which the server does not wait for: one still ending as the session's last test
    closes its browser would find the connection handed back, fail, and pytest would warn of
    an exception in a thread. So they are given a few seconds to end first (a thread serving a
    browser context still open waits for it: every test closes the contexts it opens)."""
    yield live_server
    deadline = time.monotonic() + 10
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


@pytest.fixture
def site(live_server: Any, transactional_db: Any) -> str:
    store.replace_criteria(f.shipped_criteria())
    return str(live_server.url)


def axe_violations(page: Page, within: str = "") -> list[dict[str, Any]]:
    """Run axe-core in the page, or in the elements matching the selector `within`; a list of
    violations with their failing targets."""
    page.evaluate(AXE_SOURCE + "\n;undefined")
    result = page.evaluate(
        "([tags, within]) => axe.run(within ? {include: [[within]]} : document,"
        " {runOnly: {type: 'tag', values: tags}})",
        [AXE_TAGS, within],
    )
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]],
        }
        for v in result["violations"]
    ]


def assert_accessible(page: Page, within: str = "") -> None:
    violations = axe_violations(page, within)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=2)
