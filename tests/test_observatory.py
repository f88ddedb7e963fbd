"""Production response headers scored with the Mozilla HTTP Observatory's published rules."""

from __future__ import annotations

import pytest

from tests import observatory

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_production_headers_score_at_least_125(client):
    home = client.get("/", secure=True)
    started = client.post("/start/", secure=True)
    step = client.get(started["Location"], secure=True)
    set_cookies = [
        morsel.OutputString()
        for response in (home, started, step)
        for morsel in response.cookies.values()
    ]

    total, outcomes = observatory.score(dict(home.headers), set_cookies, home.content.decode())

    assert {o.test: o.result for o in outcomes} == {
        "content-security-policy": "csp-implemented-with-no-unsafe-default-src-none",
        "x-frame-options": "x-frame-options-implemented-via-csp",
        "cookies": "cookies-secure-with-httponly-sessions-and-samesite",
        "referrer-policy": "referrer-policy-private",
        "strict-transport-security": "hsts-implemented-max-age-at-least-six-months",
        "subresource-integrity": "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
        "x-content-type-options": "x-content-type-options-nosniff",
    }
    assert total == 125
    assert home.headers["Strict-Transport-Security"] == (
        "max-age=63072000; includeSubDomains; preload"
    )
    assert home.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert {m.key for r in (home, started) for m in r.cookies.values()} >= {
        "__Host-csrftoken",
        "__Host-assessment",
    }


def test_the_scorer_penalises_what_it_should():
    total, outcomes = observatory.score(
        {"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"},
        ["sessionid=x; Path=/"],
        '<script src="https://cdn.example/x.js"></script>',
    )

    assert [o.modifier for o in outcomes] == [-20, -20, -40, 0, -20, -5, -5]
    assert total == 0
