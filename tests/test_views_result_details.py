"""The owner's result in a few screens and its details one tap away (issue 31): what the first
screens hold, what only the details hold, who may open the details, and starting over only
after being asked."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quiz.models import Assessment
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_the_first_screens_hold_the_type_why_sharing_and_one_way_into_the_details(client):
    result = f.take(client)

    html = f.main_of(client.get(f"/r/{result.token}/").content.decode())

    top_reason = result.snapshot["recommendations"][0]["reasons"][0]["text"]["ja"]
    assert f"<strong>このタイプになった理由：</strong>{top_reason}</p>" in html
    assert '<section class="share no-print"' in html
    # The link to share: a copy button (shown by app.js), and without JS a fold showing it.
    assert '<details class="share-link" data-copy-fallback>' in html
    assert f'<a class="button" href="/r/{result.token}/details/">くわしい結果を見る</a>' in html
    # Beside the share buttons, what a friend sees and the choice of it (#32).
    assert '<div class="friend-sees" id="friend-sees">' in html
    assert '<input type="hidden" name="action" value="share">' in html
    # Nothing of the details: no cards, warnings, chart, answers, nor deleting.
    for detail in ("strategy-card", "warning-card", 'class="chart"', "answers-heading", "delete"):
        assert detail not in html, detail
    assert html.index("type-heading") < html.index("share-heading") < html.index("details-heading")


def test_the_details_hold_everything_once_with_each_article_cited_once_a_card(client):
    result = f.take(client)

    html = f.main_of(client.get(f"/r/{result.token}/details/").content.decode())

    for recommendation in result.snapshot["recommendations"]:
        assert f'id="strategy-{recommendation["slug"]}"' in html
    for card in re.findall(r'<div class="(?:strategy|warning)-card.*?</ul></div>', html, re.S):
        cited = re.findall(r'<a href="/sources/([^/]+)/#', card)
        assert len(cited) == len(set(cited)), cited
    assert "あなたの回答" in html
    assert "この結果を削除する" in html
    assert f'<a class="tap" href="/r/{result.token}/">結果のまとめに戻る</a>' in html


def test_a_card_citing_two_sections_of_one_article_names_the_article_once(client):
    result = f.take(client)
    snapshot = result.snapshot
    top = snapshot["recommendations"][0]
    twice = {**top["citations"][0], "section_heading": {"ja": "別の節", "en": "Another"}}
    top["citations"] = [top["citations"][0], twice]
    type(result).objects.filter(pk=result.pk).update(snapshot=snapshot)

    html = f.main_of(client.get(f"/r/{result.token}/details/").content.decode())

    card = html[html.index(f'id="strategy-{top["slug"]}"') :]
    card = card[: card.index("</ul></div>")]
    heading = top["citations"][0]["section_heading"]["ja"]
    assert card.count("<cite>") == 1
    assert f"（{heading}、別の節）</li>" in card


def test_only_the_owner_opens_the_details_anyone_else_gets_the_shared_page(client):
    result = f.take(client)

    response = Client().get(f"/r/{result.token}/details/")

    assert (response.status_code, response["Location"]) == (302, f"/r/{result.token}/")


def test_the_owners_first_screens_and_the_details_cost_two_queries_each(client):
    result = f.take(client)
    counts = []
    for path in (f"/r/{result.token}/", f"/r/{result.token}/details/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    # The result and the newest criteria version; the earlier results only with their cookies.
    assert counts == [2, 2]


def test_starting_over_asks_first_and_says_what_is_lost(client):
    client.post("/start/")
    client.post("/q/work-style/", {"work-style": "freelance"})
    kept = Assessment.objects.get()

    page = client.get("/start/again/").content.decode()

    assert "<h1>最初からやり直しますか？</h1>" in page
    assert "いままでの回答はこのブラウザから開けなくなり" in page
    assert '<a class="button" href="/q/track-record/">続きから答える</a>' in page
    assert '<form method="post" action="/start/" class="start">' in page
    client.post("/start/")
    assert Assessment.objects.count() == 2
    assert Assessment.objects.get(pk=kept.pk).answers == {"work-style": "freelance"}


def test_starting_over_without_an_assessment_goes_home(client):
    response = client.get("/start/again/")

    assert (response.status_code, response["Location"]) == (302, "/")
