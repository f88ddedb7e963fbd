"""The type pages: the list of types and each type with its explanation, sources and actions."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz.emblem import emblem_svg
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_the_types_page_lists_every_type_with_its_line(client):
    html = client.get("/types/").content.decode()

    assert "<h1>どんなタイプがある？</h1>" in html
    assert re.findall(r'<div><a href="/types/([a-z-]+)/"><strong>', html) == (
        f.shipped_type_slugs()
    )
    assert (
        '<a href="/types/peer-ready/"><strong>実績のある人とつながるタイプ</strong></a><br>'
        "実績ができた今は、実績のある人同士でつながる段階です。"
    ) in html


def test_each_type_in_the_list_is_headed_by_its_emblem(client):
    html = client.get("/types/").content.decode()

    items = re.findall(r"<li>\s*(.*?)</li>", html, re.S)
    shipped = f.shipped_criteria()["types"]
    listed = [item for item in items if "/types/" in item]
    assert len(listed) == len(shipped) == 9
    for item, kind in zip(listed, shipped, strict=True):
        emblem = emblem_svg(kind["icon"], kind["colour"])
        assert item.startswith(f'<span class="emblem">{emblem}</span>'), kind["slug"]
        assert f'href="/types/{kind["slug"]}/"' in item
    # Nine different faces: no two types share an icon or a colour.
    assert len({k["icon"] for k in shipped}) == len({k["colour"] for k in shipped}) == 9


def test_a_type_page_is_headed_by_its_emblem_beside_its_name(client):
    html = client.get("/types/grow-alone/").content.decode()

    emblem = emblem_svg("sprout", "#4d7c0f")
    assert (
        '<header class="type-head">'
        f'<span class="emblem emblem-large">{emblem}</span>'
        '<div><p class="eyebrow">人脈診断のタイプ</p>'
        "<h1>ひとりで力をつけるタイプ</h1>"
    ) in re.sub(r">\s+<", "><", html)
    # The colour is an SVG attribute: the strict CSP allows no style attribute.
    assert "style=" not in f.main_of(html)


def test_a_type_page_explains_the_type_cites_its_sources_and_lists_its_actions(client):
    html = client.get("/types/grow-alone/").content.decode()

    assert "<h1>ひとりで力をつけるタイプ</h1>" in html
    assert "心が強い人なら、人とのつながりがなくても" in html
    assert re.findall(r'<li id="strategy-([a-z-]+)"><strong>', html) == ["grow-alone"]
    assert re.findall(r'<cite><a href="(/sources/[^"]+)" lang="ja">', html) == [
        "/sources/ordinary-introvert-shima/#cautions-and-summary",
        "/sources/ordinary-introvert-shima/#own-strength-first",
    ]


def test_a_type_page_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/types/grow-alone/").content.decode()

    assert "<h1>Grows alone</h1>" in html
    assert "<h2>Suggestions for this type</h2>" in html


def test_an_unknown_type_is_a_readable_404(client):
    response = client.get("/types/nope/")

    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_the_type_pages_cost_one_query_once_the_criteria_are_parsed(client):
    client.get("/types/")
    counts = []
    for url in ("/types/", "/types/step-away/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts == [1, 1]


def test_home_and_result_link_the_type_pages(client):
    home = client.get("/").content.decode()

    assert '<a class="tap" href="/types/">どんなタイプがある？</a>' in home
