"""The public pages on a 390x844 phone: targets a thumb can hit, a count of questions that never
goes backwards, a 次へ that shows it is busy and cannot be sent twice, the next question in view
after a swap, the button in reach on long lists, and no control that does nothing without
JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    FloatRect,
    Locator,
    Page,
    Route,
    ViewportSize,
    expect,
)

from tests.browser.conftest import assert_accessible
from tests.browser.walk import start, walk_to_result

PHONE: ViewportSize = {"width": 390, "height": 844}
RESULT_URL = re.compile(r"/r/[A-Za-z0-9_-]{43}/$")

# Every link, button, summary and form field as a thumb meets it, at least 44 x 44 CSS px
# (WCAG 2.5.5). What is measured is what a tap hits: a radio button's or a checkbox's label (a tap
# on it sets the input), otherwise the element itself. Closed <details> are opened first so that
# what they hold is measured too. Exceptions: none. Links inside a sentence would be allowed
# smaller by WCAG 2.5.8's inline exception, but these pages have none left: each link stands on
# its own (citations one a line), so the test needs no such rule. The admin is not measured.
SMALL_TARGETS = """() => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const small = [];
  const fields = "a[href], button, summary, input:not([type=hidden]), select, textarea";
  for (const element of document.querySelectorAll(fields)) {
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    const target = (element.matches("input") && element.closest("label")) || element;
    const box = target.getBoundingClientRect();
    if (box.width < 44 || box.height < 44) {
      const size = `${box.width.toFixed(1)}x${box.height.toFixed(1)}`;
      small.push(`${target.outerHTML.slice(0, 80)}: ${size}`);
    }
  }
  return small;
}"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="ja-JP", viewport=PHONE, has_touch=True)
    yield context
    context.close()


def box(locator: Locator) -> FloatRect:
    found = locator.bounding_box()
    assert found is not None
    return found


def check(page: Page, pick: str = "first") -> None:
    """Answer the step shown: the first or the last choice, the middle of a scale."""
    step = page.locator("#step")
    if step.locator(".scale").count():
        step.locator("input[type=radio]").nth(2).check()
    else:
        inputs = step.locator("input[type=radio], input[type=checkbox]")
        (inputs.first if pick == "first" else inputs.last).check()


def next_step(page: Page, pick: str = "first") -> None:
    check(page, pick)
    before = page.url
    page.locator("#step button[type=submit]").click()
    page.wait_for_function("url => location.href !== url", arg=before)


def walk_to(page: Page, slug: str) -> None:
    while not page.url.endswith(f"/q/{slug}/"):
        next_step(page)


def assert_targets_fit_a_thumb(page: Page) -> None:
    assert page.evaluate(SMALL_TARGETS) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_every_public_page_has_targets_of_at_least_44_pixels(
    browser: Browser, phone: BrowserContext, site: str
) -> None:
    page = phone.new_page()
    page.goto(site + "/")
    assert_targets_fit_a_thumb(page)
    start(page, site)
    kinds = {"work-style": "single", "sociability": "scale", "temperament": "multiple"}
    for slug in kinds:
        walk_to(page, slug)
        assert_targets_fit_a_thumb(page)
    page.locator("#step button[type=submit]").click()
    expect(page.locator("#step .error")).to_be_visible()
    assert_targets_fit_a_thumb(page)
    friend = browser.new_context(locale="ja-JP", viewport=PHONE, has_touch=True)
    other = friend.new_page()
    other.goto(page.locator(".resume-link").get_attribute("href") or "")
    expect(other.locator("h1")).to_have_text("途中の診断を続けますか？")
    assert_targets_fit_a_thumb(other)
    walk_to_result(page)
    expect(page).to_have_url(RESULT_URL)
    assert_targets_fit_a_thumb(page)

    pages = (page.url, site + "/types/", site + "/types/peer-ready/")
    for url in (*pages, site + "/sources/gaku-record-first/", site + "/sources/nope/"):
        other.goto(url)
        assert_targets_fit_a_thumb(other)
    friend.close()


def test_the_profile_chart_text_is_at_least_12_pixels_on_a_phone(
    phone: BrowserContext, site: str
) -> None:
    page = phone.new_page()
    start(page, site)
    walk_to_result(page)

    sizes = page.evaluate(
        """() => [...document.querySelectorAll("svg.chart text")].map(
          text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""
    )

    assert len(sizes) == 10
    assert min(sizes) >= 12


def figures(page: Page) -> tuple[int, int, float]:
    """The step's number, the questions it says can follow (0 on the last), and the bar's share."""
    position, left = page.locator("#progress-label span").all_inner_texts()
    bar = page.locator("#step progress")
    share = float(bar.get_attribute("value") or 0) / float(bar.get_attribute("max") or 1)
    number = re.search(r"\d+", left)
    return int(re.sub(r"\D", "", position)), int(number.group()) if number else 0, share


@pytest.mark.parametrize("pick", ["first", "last"])
def test_the_count_of_questions_never_goes_backwards_over_a_whole_walk(
    phone: BrowserContext, site: str, pick: str
) -> None:
    page = phone.new_page()
    page.goto(site + "/")
    most = int(re.findall(r"質問は最大(\d+)問", page.locator(".facts").inner_text())[0])
    start(page, site)
    seen: list[tuple[int, int, float]] = []
    while "/q/" in page.url:
        seen.append(figures(page))
        next_step(page, pick)

    expect(page).to_have_url(RESULT_URL)
    # The home page counts every question; the first step, the ones after it.
    assert seen[0] == (1, most - 1, 0.0)
    for (position, left, share), after in zip(seen, seen[1:], strict=False):
        assert after[0] == position + 1
        assert after[1] < left
        assert after[2] > share
    assert seen[-1][1] == 0
    # The first choices open the questions about events; the last ("none") close them.
    assert len(seen) == (11 if pick == "first" else 9)


def test_the_last_question_says_so(phone: BrowserContext, site: str) -> None:
    page = phone.new_page()
    start(page, site)
    walk_to(page, "warning-signs")

    expect(page.locator("#progress-label")).to_contain_text("最後の質問です")
    expect(page.locator("#step button[type=submit]")).to_have_text("結果を見る")


def hold_posts(page: Page, pattern: str) -> list[Route]:
    """Requests to `pattern` that post are held until the test lets them go."""
    held: list[Route] = []

    def route(found: Route) -> None:
        if found.request.method == "POST":
            held.append(found)
        else:
            found.continue_()

    page.route(pattern, route)
    return held


def test_next_is_busy_and_cannot_be_sent_twice_while_an_answer_is_on_its_way(
    phone: BrowserContext, site: str
) -> None:
    page = phone.new_page()
    start(page, site)
    held = hold_posts(page, "**/q/**")
    check(page)
    button = page.locator("#step button[type=submit]")

    button.click()

    expect(button).to_be_disabled()
    expect(button).to_have_attribute("aria-busy", "true")
    expect(page.locator("#step form")).to_have_class(re.compile(r"\bhtmx-request\b"))
    button.click(force=True)
    page.locator("#step input:checked").press("Enter")
    page.wait_for_timeout(300)
    assert len(held) == 1
    held[0].continue_()
    expect(page).to_have_url(re.compile(r"/q/track-record/$"))
    expect(button).to_be_enabled()
    expect(button).not_to_have_attribute("aria-busy", "true")


def test_a_plain_form_is_busy_and_sent_once(phone: BrowserContext, site: str) -> None:
    page = phone.new_page()
    page.goto(site + "/")
    held = hold_posts(page, "**/start/")

    # All inside the page: Playwright waits for a navigation it starts, and this one is held.
    busy = page.evaluate(
        """async () => {
          const form = document.querySelector("form.start"), button = form.querySelector("button");
          button.click();
          await new Promise(resolve => setTimeout(resolve, 50));
          const busy = [button.getAttribute("aria-busy"), button.disabled];
          form.requestSubmit();
          return busy;
        }"""
    )
    page.wait_for_timeout(300)

    assert busy == ["true", True]
    assert len(held) == 1
    held[0].continue_()
    expect(page).to_have_url(re.compile(r"/q/work-style/$"))


@pytest.mark.parametrize("slug", ["where-you-network", "warning-signs"])
def test_the_forward_button_is_in_reach_on_the_longest_lists(
    phone: BrowserContext, site: str, slug: str
) -> None:
    page = phone.new_page()
    start(page, site)
    walk_to(page, slug)
    button = page.locator("#step button[type=submit]")

    for scrolled in ("top", "middle", "bottom"):
        if scrolled != "top":
            page.evaluate(
                "part => window.scrollTo(0, document.body.scrollHeight * part)",
                0.4 if scrolled == "middle" else 1,
            )
        shown = box(button)
        assert shown["y"] >= 0 and shown["y"] + shown["height"] <= PHONE["height"], scrolled
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('button') !== null",
            [shown["x"] + shown["width"] / 2, shown["y"] + shown["height"] / 2],
        )
        assert hit, scrolled
    # Scrolled to the end, the last choice sits clear above the bar.
    last = box(page.locator("#step .choice").last)
    assert last["y"] + last["height"] <= box(page.locator(".step-actions"))["y"]


def test_after_a_long_step_the_next_question_is_in_view_and_focused(
    phone: BrowserContext, site: str
) -> None:
    page = phone.new_page()
    start(page, site)
    walk_to(page, "where-you-network")
    page.locator("#step input[value=paid-mixers]").check()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")

    page.locator("#step button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/q/network-results/$"))
    heading = page.locator("#step h1")
    expect(heading).to_be_focused()
    shown = box(heading)
    assert box(page.locator("#progress-label"))["y"] >= 0
    assert shown["y"] + shown["height"] <= PHONE["height"]


@pytest.mark.parametrize(
    ("locale", "ends"), [("ja-JP", ("苦手", "大好き")), ("en-US", ("Not at all", "Love it"))]
)
def test_the_scale_has_its_ends_either_side_of_the_row(
    browser: Browser, site: str, locale: str, ends: tuple[str, str]
) -> None:
    context = browser.new_context(locale=locale, viewport=PHONE)
    page = context.new_page()
    page.goto(site + "/")
    page.locator("form.start button[type=submit]").click()
    walk_to(page, "sociability")
    low, high = page.locator(".scale-end").all()
    options = page.locator(".scale-option")

    left, first, last, right = (box(b) for b in (low, options.first, options.last, high))
    assert (low.inner_text(), high.inner_text()) == ends
    assert left["x"] + left["width"] <= first["x"]
    assert last["x"] + last["width"] <= right["x"]
    for end in (left, right):
        middle = end["y"] + end["height"] / 2
        assert first["y"] <= middle <= first["y"] + first["height"]
    assert min(box(options.nth(i))["width"] for i in range(5)) >= 44
    context.close()


def test_headings_and_labels_break_between_phrases_and_paragraphs_strictly(
    phone: BrowserContext, site: str
) -> None:
    page = phone.new_page()
    page.goto(site + "/")

    style = "([s, p]) => getComputedStyle(document.querySelector(s))[p]"
    assert page.evaluate(style, ["h1", "wordBreak"]) == "auto-phrase"
    assert page.evaluate(style, [".button", "wordBreak"]) == "auto-phrase"
    assert page.evaluate(style, [".lead", "wordBreak"]) == "normal"
    assert page.evaluate(style, [".lead", "lineBreak"]) == "strict"


def test_without_javascript_no_control_is_shown_that_does_nothing(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="ja-JP", viewport=PHONE)
    page = context.new_page()
    start(page, site)
    walk_to_result(page)
    expect(page).to_have_url(RESULT_URL)

    expect(page.locator("[data-copy]")).to_have_count(1)
    expect(page.locator("[data-copy]")).to_be_hidden()
    expect(page.locator("#share-url")).to_be_visible()
    # Every button shown sends a form; every link goes somewhere.
    assert page.evaluate(
        """() => [...document.querySelectorAll("button")].filter(b => b.checkVisibility())
          .every(b => b.type === "submit" && b.form && b.form.action)"""
    )
    assert page.evaluate(
        """() => [...document.querySelectorAll("a")].every(a => a.getAttribute("href"))"""
    )
    context.close()
