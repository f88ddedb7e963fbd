"""Retake and compare: the owner's page of a later result says what changed since the last one
(the type and the scores; the suggestions new and gone in the details), and "my results" lists
every result this browser took, newest first; nothing of other browsers, nothing deleted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quiz.models import Result
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def persona(slug: str) -> dict[str, Any]:
    return next(p for p in f.personas() if p["slug"] == slug)["answers"]


def section(html: str) -> str:
    start = html.find('<section class="retake"')
    return "" if start < 0 else html[start : html.index("</section>", start)]


def test_a_retake_shows_what_changed_and_links_the_earlier_result(client):
    first = f.owned(client, f.result(persona("strong-minded-solo")))
    second = f.owned(client, f.result())

    summary = section(client.get(f"/r/{second.token}/").content.decode())
    retake = section(client.get(f"/r/{second.token}/details/").content.decode())

    change_type = (
        '<li id="change-type">タイプが「一人で力をつけるタイプ」から'
        "「合わない場から離れるタイプ」に変わりました。</li>"
    )
    before = {p["dimension"]: p["score"] for p in first.snapshot["profile"]}
    expected_axes = [
        f"「{p['name']['ja']}」のスコアが{'上がりました' if p['score'] > was else '下がりました'}"
        f"（{was}→{p['score']}）。"
        for p in second.snapshot["profile"]
        if p["score"] != (was := before[p["dimension"]])
    ]
    assert expected_axes != []
    for html in (summary, retake):
        assert '<h2 id="retake-heading">前回の結果からの変化</h2>' in html
        assert change_type in html
        assert re.findall(r'<li class="change-axis">([^<]+)</li>', html) == expected_axes
        assert re.findall(r'<a class="tap" href="/r/([^/]+)/">', html) == [first.token]
    # The suggestions new and gone: in the details only, to keep the first screens short.
    assert "change-new" not in summary
    earlier = {r["slug"] for r in first.snapshot["recommendations"]}
    later = {r["slug"] for r in second.snapshot["recommendations"]}
    new = re.search(r'<li id="change-new">新しく出た提案：<ul>(.*?)</ul>', retake)
    gone = re.search(r'<li id="change-gone">出なくなった提案：<ul>(.*?)</ul>', retake)
    assert new is not None and gone is not None
    assert re.findall(r"<li>([^<]+)</li>", new.group(1)) == [
        r["title"]["ja"] for r in second.snapshot["recommendations"] if r["slug"] not in earlier
    ]
    assert re.findall(r"<li>([^<]+)</li>", gone.group(1)) == [
        r["title"]["ja"] for r in first.snapshot["recommendations"] if r["slug"] not in later
    ]


def test_the_first_result_and_a_friend_see_no_comparison(client):
    first = f.owned(client, f.result(persona("strong-minded-solo")))
    second = f.owned(client, f.result())

    own_first = client.get(f"/r/{first.token}/").content.decode()
    friends = Client().get(f"/r/{second.token}/").content.decode()

    assert section(own_first) == ""
    assert section(friends) == ""


def test_another_browsers_results_are_never_listed(client):
    other = Client()
    f.owned(other, f.result(persona("strong-minded-solo")))
    mine = f.owned(client, f.result())

    html = client.get(f"/r/{mine.token}/").content.decode()

    assert section(html) == ""


def test_a_cookie_with_the_wrong_owner_token_lists_nothing(client):
    first = f.result(persona("strong-minded-solo"))
    client.cookies[first.owner_cookie_name()] = "x" * 43
    second = f.owned(client, f.result())

    assert section(client.get(f"/r/{second.token}/").content.decode()) == ""


MINE = re.compile(r'<li>\s*<a href="/r/([^/]+)/"><strong>([^<]+)</strong>')


def test_my_results_lists_this_browsers_results_newest_first_and_says_what_keeps_it(client):
    first = f.owned(client, f.result(persona("strong-minded-solo")))
    second = f.owned(client, f.result())
    f.owned(Client(), f.result())

    html = client.get("/mine/").content.decode()

    assert MINE.findall(html) == [
        (second.token, "合わない場から離れるタイプ"),
        (first.token, "一人で力をつけるタイプ"),
    ]
    assert "Cookieを消すと一覧も消えますが、結果のリンク自体は開けます。" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "このブラウザで受けた結果はまだありません。" in Client().get("/mine/").content.decode()


def test_home_offers_the_last_result_once_this_browser_has_one(client):
    assert "前回の結果を見る" not in client.get("/").content.decode()
    f.owned(client, f.result(persona("strong-minded-solo")))
    last = f.owned(client, f.result())

    html = client.get("/").content.decode()

    assert f'<a class="button secondary" href="/r/{last.token}/">前回の結果を見る</a>' in html
    assert '<a class="tap" href="/mine/">このブラウザの結果一覧</a>' in html


def test_a_deleted_result_disappears_from_the_list(client):
    first = f.owned(client, f.result(persona("strong-minded-solo")))
    middle = f.owned(client, f.result(persona("lonely-introvert-beginner")))
    last = f.owned(client, f.result())

    listed = [token for token, _ in MINE.findall(client.get("/mine/").content.decode())]
    client.post(f"/r/{middle.token}/manage/", {"action": "delete"})
    after = [token for token, _ in MINE.findall(client.get("/mine/").content.decode())]
    html = client.get(f"/r/{last.token}/").content.decode()

    assert listed == [last.token, middle.token, first.token]
    assert after == [last.token, first.token]
    assert "タイプが「一人で力をつけるタイプ」から" in section(html)
    client.post(f"/r/{last.token}/manage/", {"action": "delete"})
    home = client.get("/").content.decode()
    assert f'<a class="button secondary" href="/r/{first.token}/">前回の結果を見る</a>' in home


def test_my_results_and_home_cost_one_query_with_owner_cookies_and_none_without(client):
    f.owned(client, f.result())
    counts = []
    for browser in (Client(), client):
        with CaptureQueriesContext(connection) as queries:
            assert browser.get("/mine/").status_code == 200
        counts.append(len(queries))
    assert counts == [0, 1]


def test_the_comparison_costs_one_query_and_none_without_other_results(client):
    alone = Client()
    only = f.owned(alone, f.result())
    first = f.owned(client, f.result(persona("strong-minded-solo")))
    second = f.owned(client, f.result())
    counts = []
    for browser, result in ((alone, only), (client, second)):
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(f"/r/{result.token}/").status_code == 200
        counts.append(len(queries))

    assert counts == [2, 3]
    owned = Result.objects.owned_by({k: v.value for k, v in client.cookies.items()})
    assert sorted(owned.values_list("pk", flat=True)) == [first.pk, second.pk]
