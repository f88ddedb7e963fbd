"""Phone screenshots for the docs (`make screenshots`): the app under gunicorn in production
settings with the shipped criteria on a throwaway database, one persona from
fixtures/personas.json walked through in Chromium at 390x844, and what a phone shows first of
each page saved as docs/screens/<language>-<page>.png (the owner's result also whole), in
Japanese and English, with the result's share image beside them, and the share images of three
results of other types."""

from __future__ import annotations

import io
import json
import re
import urllib.request
from typing import Any

from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from bench.app import ROOT, running
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

OUT = ROOT / "docs" / "screens"
PHONE: ViewportSize = {"width": 390, "height": 844}
PERSONA = "no-record-mixer-regular"
# The steps shown: the scale, and the longest list (its button stays in reach).
STEPS = {"sociability": "step-scale", "where-you-network": "step-list"}
LOCALES = {"ja": "ja-JP", "en": "en-US"}
# Three more results, each of another type than PERSONA's, whose share images are saved too
# (docs/screens/<language>-share-image-<type>.png): how three friends' posts differ in a timeline.
SHARE_PERSONAS = {
    "shima-builder": "lonely-introvert-beginner",
    "sns-reach": "content-introvert",
    "purpose-first": "new-venture-consult",
}
# The friend who takes it from the invitation on the result's shared page, a persona of another
# type: their result compared with the first (docs/screens/<language>-compare.png).
FRIEND_PERSONA = "content-introvert"


def save(page: Page, name: str, whole: bool = False, at: str = "") -> None:
    """The viewport as a phone shows it (or the `whole` page), in 256 colours: a tenth of the
    size, and text on flat colours loses nothing a reader sees. From the top, or with the element
    `at` at the top."""
    if at:
        page.locator(at).evaluate("e => e.scrollIntoView()")
    else:
        page.evaluate("window.scrollTo(0, 0)")
    shot = Image.open(io.BytesIO(page.screenshot(full_page=whole)))
    path = OUT / f"{name}.png"
    shot.convert("RGB").quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")


def save_image(url: str, name: str) -> None:
    """The result's share image as a post shows it, in 256 colours like the screenshots."""
    with urllib.request.urlopen(url, timeout=30) as response:
        shot = Image.open(io.BytesIO(response.read()))
    path = OUT / f"{name}.png"
    shot.convert("RGB").quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")


def answer(page: Page, slug: str, value: Any) -> None:
    for chosen in value if isinstance(value, list) else [value]:
        page.locator(f'#step input[name="{slug}"][value="{chosen}"]').check()
    before = page.url
    page.locator("#step button[type=submit]").click()
    page.wait_for_function("url => location.href !== url", arg=before)


def walk(
    browser: Browser,
    host: str,
    language: str,
    answers: dict[str, Any],
    kind: str = "",
    friend_answers: dict[str, Any] | None = None,
) -> None:
    """The assessment taken with `answers`, saving each page, then by a friend with `friend_answers` from its shared
    page's invitation; with `kind` (the type those answers get), only the result's share image,
    as <language>-share-image-<kind>."""
    context = browser.new_context(locale=LOCALES[language], viewport=PHONE)
    page = context.new_page()
    page.goto(host + "/")
    if not kind:
        save(page, f"{language}-home")
    page.locator("form.start button[type=submit]").click()
    while (step := re.search(r"/q/([a-z0-9-]+)/$", page.url)) is not None:
        slug = step.group(1)
        page.locator("#step h1").wait_for()
        if slug in STEPS and not kind:
            save(page, f"{language}-{STEPS[slug]}")
        answer(page, slug, answers[slug])
    page.locator("h1").wait_for()
    if kind:
        save_image(page.url + "og.png", f"{language}-share-image-{kind}")
        context.close()
        return
    save(page, f"{language}-result")
    # The owner's result whole: at most three phone screens (issue 31).
    save(page, f"{language}-result-whole", whole=True)
    save_image(page.url + "og.png", f"{language}-share-image")
    result = page.url
    page.goto(result + "details/")
    save(page, f"{language}-details")
    page.goto(host + "/")
    save(page, f"{language}-home-again")
    page.goto(host + "/mine/")
    save(page, f"{language}-mine")
    page.goto(result)
    friend = browser.new_context(locale=LOCALES[language], viewport=PHONE)
    shared = friend.new_page()
    shared.goto(page.url)
    save(shared, f"{language}-friend")
    # The friend takes it from the invitation, and finds the two types side by side.
    shared.locator("form.invite button[type=submit]").click()
    while (step := re.search(r"/q/([a-z0-9-]+)/$", shared.url)) is not None:
        shared.locator("#step h1").wait_for()
        answer(shared, step.group(1), (friend_answers or {})[step.group(1)])
    save(shared, f"{language}-compare", at="section.with-friend")
    shared.goto(host + "/types/")
    save(shared, f"{language}-types")
    friend.close()
    context.close()


def main() -> int:
    personas = json.loads((ROOT / "fixtures" / "personas.json").read_text(encoding="utf-8"))
    friend = next(p["answers"] for p in personas if p["slug"] == FRIEND_PERSONA)
    answers = next(p["answers"] for p in personas if p["slug"] == PERSONA)
    OUT.mkdir(parents=True, exist_ok=True)
    with running("screens-") as app, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for language in LOCALES:
            walk(browser, app.host, language, answers, friend_answers=friend)
            for kind, persona in SHARE_PERSONAS.items():
                others = next(p["answers"] for p in personas if p["slug"] == persona)
                walk(browser, app.host, language, others, kind)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
