"""Home and source pages, the language switch, and the security headers every page carries."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.usefixtures("small_criteria")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'; manifest-src 'self'"
)


def test_home_is_the_apps_own_page_in_japanese(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ja"
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "<h1>人脈診断</h1>" in html
    assert '<cite><a href="/sources/article/" lang="ja">記事</a></cite>' in html


def test_home_carries_a_strict_csp_and_loads_every_script_from_a_file(client):
    response = client.get("/")

    assert response.headers["Content-Security-Policy"] == CSP
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert len(scripts) == 2
    assert all(re.fullmatch(r'<script src="/static/[^"]+\.js"( defer)?>', tag) for tag in scripts)


def test_home_carries_the_other_security_headers(client):
    response = client.get("/")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_htmx_is_configured_to_need_neither_eval_nor_inline_styles(client):
    html = client.get("/").content.decode()

    assert (
        '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false,"allowEval":false,'
        '"allowScriptTags":false,"selfRequestsOnly":true,"historyCacheSize":0,'
        '"refreshOnHistoryMiss":true,'
    ) in html
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.js[^"]*"', html)


def test_language_switch_turns_the_page_english(client, settings):
    response = client.get("/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response["Cache-Control"] == "no-store"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert (cookie.value, cookie["samesite"], cookie["httponly"]) == ("en", "Lax", True)

    html = client.get("/").content.decode()

    assert '<html lang="en">' in html
    assert "<h1>Networking Check</h1>" in html
    assert "It is anonymous: we never ask for your name or email address." in html


def test_source_page_lists_sections_and_what_came_from_them(client):
    response = client.get("/sources/article/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 lang="ja"><cite>記事</cite></h1>' in html
    assert '<section class="source-section" id="intro" aria-labelledby="h-intro">' in html
    assert "build title" in html


def test_unknown_source_is_404(client):
    assert client.get("/sources/nope/").status_code == 404


def test_home_refuses_post(client):
    assert client.post("/").status_code == 405


def test_a_source_page_costs_one_query_once_the_criteria_are_parsed(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/sources/article/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sources/article/")
    count = len(queries)

    assert response.status_code == 200
    assert count == 1


def test_every_page_links_an_icon_and_favicon_ico_leads_to_it(client):
    html = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)

    response = client.get("/favicon.ico")

    assert icon is not None
    assert response.status_code == 301
    assert response["Location"] == icon.group(1)


def test_language_switch_goes_back_to_the_page_it_was_on(client):
    response = client.get(
        "/language/", {"language": "en"}, HTTP_REFERER="http://testserver/sources/article/"
    )

    assert response.status_code == 302
    assert response["Location"] == "http://testserver/sources/article/"


@pytest.mark.parametrize(
    "back",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "http://other.test/"],
)
def test_language_switch_never_sends_anyone_off_the_site(client, back):
    response = client.get("/language/", {"language": "en", "next": back}, HTTP_REFERER=back)

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("code", ["fr", "", "EN", "en-us", "ja\x00"])
def test_an_unknown_language_gets_a_readable_400_and_changes_nothing(client, code):
    response = client.get("/language/", {"language": code, "next": "/"})

    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "この言語には切り替えられません" in html
    assert "Set-Cookie" not in response.headers


def test_language_switch_does_not_take_a_post(client):
    response = client.post("/language/", {"language": "en"})

    assert response.status_code == 405
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("factor", [1, 100])
def test_a_source_pages_query_count_does_not_grow_with_the_criteria(client, factor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quiz import criteria as store
    from tests import factories as f

    store.replace_criteria(
        f.criteria(
            questions=[f.question("record", choices=["none", "strong"])],
            rules=[f.rule(f"rule-{n}", [], strategy=f"build-{n}") for n in range(factor)],
            strategies=[f.strategy(f"build-{n}") for n in range(factor)],
            warnings=[f.warning(f"warn-{n}") for n in range(factor)],
        )
    )
    client.get("/sources/article/")  # the criteria are parsed once per process and version
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sources/article/")
    count = len(queries)

    assert response.status_code == 200
    assert response.content.decode().count("build-") >= factor
    assert count == 1
