"""Every public page answers HEAD as it answers GET, without a body: link-preview bots and uptime
monitors ask with HEAD."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def public_urls() -> list[str]:
    made = f.owned(Client(), f.result())
    waiting = f.assessment({})
    slug = next(iter(f.ANSWERS))
    return [
        "/",
        f"/q/{slug}/",
        f"/resume/{waiting.token}/",
        f"/r/{made.token}/",
        f"/r/{made.token}/og.png",
        f"/r/{made.token}/details/",
        f"/r/{made.token}/share/line/",
        "/mine/",
        "/start/again/",
        f"/sources/{f.shipped_criteria()['sources'][0]['slug']}/",
        "/types/",
        f"/types/{f.shipped_type_slugs()[0]}/",
        "/language/?language=en&next=/types/",
        "/favicon.ico",
        "/healthz",
    ]


def test_head_is_get_without_a_body_on_every_public_page():
    urls = public_urls()
    browser = Client()
    browser.post("/start/")

    for url in urls:
        got = browser.get(url)
        head = browser.head(url)

        assert got.status_code in {200, 301, 302}, url
        assert (head.status_code, head.get("Content-Type")) == (
            got.status_code,
            got.get("Content-Type"),
        ), url
        assert head.content == b"", url
        assert got.content != b"" or got.status_code != 200, url


def test_every_public_get_url_is_in_the_list():
    from django.urls import get_resolver

    names = {
        name
        for name in get_resolver("quiz.urls").reverse_dict
        if isinstance(name, str) and name not in {"start", "result_manage", "invite"}
    }

    assert names == {
        "home",
        "step",
        "resume",
        "result",
        "result_image",
        "result_details",
        "result_share",
        "mine",
        "restart",
        "source",
        "types",
        "type",
        "language",
        "favicon",
    }


def test_post_only_pages_still_refuse_head():
    assert Client().head("/start/").status_code == 405
