"""Result pages: frozen snapshots, unguessable tokens, owner and public views, deletion, sharing
tags, the OG image, the profile chart, citations that land on sections, and one query with ETag."""

from __future__ import annotations

import gzip
import html as html_lib
import io
import re
import secrets
import string
from collections.abc import Iterator
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from PIL import Image

from quiz import criteria as store
from quiz.models import Assessment, Result, new_token
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")
main_of = f.main_of


# The owner's choice of what a friend sees: everything, or nothing beyond the type.
SHARE_ALL = {"action": "share", "profile": "1", "warnings": "1", "answers": "1"}
HIDE_ALL = {"action": "share"}


def take(client: Client) -> Result:
    """A result owned by `client` (test_views_quiz walks the pages to one)."""
    return f.owned(client, f.result())


def normalised(html: str) -> str:
    """The page without what differs on every response by design: CSRF tokens."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)


def test_tokens_are_long_urlsafe_and_random():
    tokens = {new_token() for _ in range(1000)}

    assert len(tokens) == 1000
    assert {len(t) for t in tokens} == {43}
    assert set("".join(tokens)) <= set(string.ascii_letters + string.digits + "-_")


def test_the_owner_sees_warnings_first_then_the_top_strategy_answers_and_reasons(client):
    result = take(client)

    html = main_of(client.get(f"/r/{result.token}/details/").content.decode())

    warnings = html.index(">注意</h2>")
    top = html.index("いちばんの提案")
    assert warnings < top < html.index("ほかの提案")
    assert "あなたの回答" in html
    assert "この提案につながった回答" in html
    assert "この結果を削除する" in html


def test_the_public_view_hides_raw_answers_and_reasons_unless_the_owner_shares_them(client):
    result = take(client)
    friend = Client()

    public = main_of(friend.get(f"/r/{result.token}/").content.decode())
    client.post(f"/r/{result.token}/manage/", SHARE_ALL)
    shared = main_of(friend.get(f"/r/{result.token}/").content.decode())

    assert "あなたの回答" not in public
    assert "この提案につながった回答" not in public
    assert "この結果を削除する" not in public
    # Private by default (#32): nothing from which an answer could be read.
    assert ">注意</h2>" not in public
    assert "友だちの傾向" not in public
    assert "いちばんの提案" not in public
    assert ">注意</h2>" in shared
    assert "友だちの傾向" in shared
    assert "友だちの回答" in shared
    assert "あなたの回答" not in shared
    assert "この提案につながった回答" in shared


def japanese_texts(value: Any) -> Iterator[str]:
    """Every Japanese text a snapshot holds (the criteria's words, not the page's)."""
    if isinstance(value, dict):
        if value.keys() == {"ja", "en"}:
            yield value["ja"]
        else:
            for item in value.values():
                yield from japanese_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from japanese_texts(item)


INVITATION = '<button type="submit" class="button">あなたも診断する（約3分）</button>'


@pytest.mark.parametrize("shared", [False, True])
def test_a_friends_page_says_whose_result_it_is_and_invites_them_to_take_it(client, shared):
    result = f.owned(client, f.result(loner()))
    if shared:
        client.post(f"/r/{result.token}/manage/", SHARE_ALL)

    html = html_lib.unescape(main_of(Client().get(f"/r/{result.token}/").content.decode()))
    owner = main_of(client.get(f"/r/{result.token}/").content.decode())

    assert '<p class="eyebrow">人脈診断</p>\n  <h1>友だちの診断結果</h1>' in html
    assert html.index("<h1>") < html.index('class="at-a-glance"') < html.index(INVITATION)
    assert html.count(INVITATION) == 1  # under the type
    assert f'<form method="post" action="/r/{result.token}/invite/" class="invite' in html
    # Friends are never offered to share or manage someone else's result.
    assert '<section class="share' not in html
    assert "/manage/" not in html
    assert "もう一度診断する" not in html
    # The page's own words never call the friend "you" (あなた): what is left once the criteria's
    # texts and the invitation are taken out has none.
    for text in sorted(japanese_texts(result.snapshot), key=len, reverse=True):
        html = html.replace(text, "")
    assert "あなた" not in html.replace(INVITATION, "")
    # The owner's page is headed by their type (issue 31).
    assert '<h1 id="type-heading" class="type-name">一人で力をつけるタイプ</h1>' in owner
    assert '<a class="tap" href="/">もう一度診断する</a>' in owner
    assert "あなたも診断する" not in owner


def loner() -> dict[str, Any]:
    return next(p for p in f.personas() if p["slug"] == "strong-minded-loner")["answers"]


def test_the_owner_sees_what_was_left_out_because_of_their_answers_and_friends_do_not(client):
    result = f.owned(client, f.result(loner()))

    owner = main_of(client.get(f"/r/{result.token}/details/").content.decode())
    public = main_of(Client().get(f"/r/{result.token}/").content.decode())

    left_out = re.search(r'<section class="excluded".*?</section>', owner, re.S)
    assert left_out is not None
    assert "あなたの答えに合わせて外した提案" in left_out.group(0)
    assert '<li id="excluded-peer-networking"><strong>実績のある人同士で' in left_out.group(0)
    assert "実績のある人とつながる提案は外しました" in left_out.group(0)
    assert 'id="strategy-peer-networking"' not in owner
    assert 'class="excluded"' not in public


def test_a_result_saved_before_exclusions_existed_still_renders(client):
    result = take(client)
    snapshot = dict(result.snapshot)
    del snapshot["excluded"]
    Result.objects.filter(pk=result.pk).update(snapshot=snapshot)

    response = client.get(f"/r/{result.token}/details/")

    assert response.status_code == 200
    assert 'class="excluded"' not in response.content.decode()
    assert "いちばんの提案" in response.content.decode()


def test_the_warnings_heading_shows_only_with_something_to_watch_for(client):
    result = take(client)
    with_warnings = main_of(client.get(f"/r/{result.token}/details/").content.decode())
    Result.objects.filter(pk=result.pk).update(snapshot={**result.snapshot, "warnings": []})

    without = main_of(client.get(f"/r/{result.token}/details/").content.decode())

    assert '<h2 id="warnings-heading">注意</h2>' in with_warnings
    assert "warnings-heading" not in without


def test_citations_name_each_article_as_published_one_a_line(client):
    result = take(client)

    html = main_of(client.get(f"/r/{result.token}/details/").content.decode())

    cited = result.snapshot["recommendations"][0]["citations"][0]
    assert (
        f'<li><cite><a href="/sources/{cited["source"]}/#{cited["section"]}" lang="ja">'
        f"{cited['source_title']}</a></cite>（{cited['section_heading']['ja']}）</li>"
    ) in html


def test_only_the_owner_can_manage_a_result(client):
    result = take(client)

    response = Client().post(f"/r/{result.token}/manage/", {"action": "delete"})

    assert response.status_code == 403
    assert "結果を変更・削除できるのは、診断を受けたブラウザだけです。" in response.content.decode()
    assert Result.objects.get().deleted_at is None


def test_a_deleted_result_answers_410_and_keeps_nothing(client):
    result = take(client)

    response = client.post(f"/r/{result.token}/manage/", {"action": "delete"}, follow=True)
    gone = Client().get(f"/r/{result.token}/")

    assert "結果を削除しました。共有したリンクはもう開けません。" in response.content.decode()
    assert gone.status_code == 410
    assert "この結果は削除されました" in gone.content.decode()
    assert Result.objects.get().snapshot == {}
    assert Assessment.objects.count() == 0
    assert Client().get(f"/r/{result.token}/og.png").status_code == 410


def test_unknown_and_malformed_tokens_are_404(client):
    assert client.get(f"/r/{secrets.token_urlsafe(32)}/").status_code == 404
    assert client.get("/r/" + "a" * 200 + "/").status_code == 404
    assert client.get("/r/1/").status_code == 404


def test_the_page_is_frozen_against_criteria_changes_apart_from_a_notice(client):
    result = take(client)
    before = normalised(client.get(f"/r/{result.token}/").content.decode())
    changed = f.shipped_criteria()
    changed["strategies"][0]["title_ja"] = "書き換えた題名"
    changed["rules"] = changed["rules"][1:]
    store.replace_criteria(changed)

    after = normalised(client.get(f"/r/{result.token}/").content.decode())

    notice = re.search(r'<p class="notice no-print">.*?</p>', after)
    assert notice is not None
    assert "診断の基準が更新されました" in notice.group(0)
    assert '<a class="tap" href="/">今の基準でもう一度診断する</a>' in notice.group(0)
    assert after.replace(notice.group(0), "") == before
    assert "書き換えた題名" not in after
    # A friend, who never took it, is not asked to take it "again": the invitation stands.
    shared = main_of(Client().get(f"/r/{result.token}/").content.decode())
    assert "診断の基準が更新されました" in shared
    assert "もう一度診断する" not in shared


def test_open_graph_and_twitter_tags_and_noindex(client):
    result = take(client)
    name = result.snapshot["type"]["name"]["ja"]

    response = Client().get(f"/r/{result.token}/")

    html = response.content.decode()
    assert f'<meta property="og:title" content="人脈診断の結果：{name}">' in html
    assert f'<meta property="og:url" content="http://testserver/r/{result.token}/">' in html
    assert f'<meta property="og:image" content="http://testserver/r/{result.token}/og.png">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"


def cached_keys() -> list[str]:
    """The kept pages' keys (the cache also knows which criteria version is the newest)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM quiz_cache WHERE cache_key LIKE '%shared-result%'")
        return [key for (key,) in cursor.fetchall()]


def test_the_owners_title_names_the_type_in_the_language_the_page_is_read_in(client):
    result = f.owned(client, f.result(language="ja"))
    names = result.snapshot["type"]["name"]

    japanese = client.get(f"/r/{result.token}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    english = client.get(f"/r/{result.token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"<title>診断結果：{names['ja']} | 人脈診断</title>" in japanese
    assert f"<title>Your result: {names['en']} | Networking Check</title>" in english


@pytest.mark.parametrize("language", ["ja", "en"])
def test_share_links_are_plain_links_carrying_the_text_and_the_link(client, language):
    result = f.owned(client, f.result(language=language))
    title = result.snapshot["type"]["name"][language]

    html = client.get(f"/r/{result.token}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    out = {s: client.get(f"/r/{result.token}/share/{s}/")["Location"] for s in ("line", "x")}

    link = f"http://testserver/r/{result.token}/"
    text = {"ja": "人脈診断の結果：", "en": "Networking Check result: "}[language] + title
    line = "https://line.me/R/share?text=" + quote(f"{text}\n{link}", safe="")
    x = f"https://twitter.com/intent/tweet?text={quote(text, safe='')}&url={quote(link, safe='')}"
    # The owner's buttons pass through the site, which counts a result shared, then go on.
    share = f"/r/{result.token}/share"
    assert f'<a class="button secondary" href="{share}/line/" rel="noopener noreferrer"' in html
    assert f'<a class="button secondary" href="{share}/x/" rel="noopener noreferrer"' in html
    assert out == {"line": line, "x": x}
    # The share sheet and the copy button: shown by app.js only where they work.
    assert (
        f'<button type="button" class="button" data-share-url="{link}"'
        f' data-share-text="{escape(text)}" hidden>'
    ) in html
    assert re.search(
        r'<button type="button" class="button secondary" data-copy="share-url"[^>]* hidden>', html
    )
    assert f'<span class="share-url" id="share-url" translate="no">{link}</span>' in html
    assert len(re.findall(r"<script", html)) == 2


def test_the_og_image_is_a_1200_by_630_png_generated_once(client):
    result = take(client)

    first = Client().get(f"/r/{result.token}/og.png")
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(f"/r/{result.token}/og.png")

    assert first["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(first.content)).size == (1200, 630)
    assert second.content == first.content
    assert len(queries) == 1
    assert bytes(Result.objects.get().og_image or b"") == first.content


def test_the_profile_is_an_svg_chart_with_a_table_alternative(client):
    result = take(client)
    client.post(f"/r/{result.token}/manage/", {"action": "share", "profile": "1"})

    html = main_of(Client().get(f"/r/{result.token}/").content.decode())

    # The scores once: the chart is a picture (hidden from screen readers), the table its text,
    # for screen readers only.
    assert '<svg class="chart" width="100%" height="220" aria-hidden="true"' in html
    assert '<table class="profile-table visually-hidden">' in html
    # (The other picture on the page is the type's emblem.)
    assert html.count('<svg class="chart"') == 1 and html.count("<table") == 1
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', html)
    assert [name for name, _ in rows] == [p["name"]["ja"] for p in result.snapshot["profile"]]
    assert [int(score) for _, score in rows] == [p["score"] for p in result.snapshot["profile"]]


def test_every_citation_link_opens_and_lands_on_an_existing_section(client):
    result = take(client)
    client.post(f"/r/{result.token}/manage/", SHARE_ALL)
    html = main_of(Client().get(f"/r/{result.token}/").content.decode())
    links = set(re.findall(r'<a href="(/sources/[^"#]+/)#([^"]+)"', html))

    assert len(links) >= 3
    for page, anchor in links:
        response = client.get(page)
        assert response.status_code == 200
        assert f'id="{anchor}"' in response.content.decode()


def queries_of(client: Client, url: str, **headers: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def test_a_friends_page_costs_three_queries_the_owners_two_and_a_repeat_visit_gets_304(client):
    result = take(client)
    friend = Client()
    url = f"/r/{result.token}/"

    # The result, the newest criteria version, the week's count of friends' views (quiz.travel)
    # and the cache; the first visit also reads the snapshot (left out of the first query, as a
    # kept page does not need it), starts the week's count (an insert in a savepoint) and
    # writes the page to the cache (the database cache counts, looks up and inserts, in a
    # savepoint).
    _, first = queries_of(friend, url)
    response, kept = queries_of(friend, url)
    _, owner = queries_of(client, url)  # the owner's page is never kept: no cache query
    repeat = friend.get(url, HTTP_IF_NONE_MATCH=response["ETag"])

    assert (first, kept, owner) == (13, 4, 2)
    assert response.status_code == 200
    assert repeat.status_code == 304
    assert repeat.content == b""


def test_a_friends_kept_page_reads_only_what_it_shows_of_the_result(client):
    result = take(client)
    friend = Client()
    friend.get(f"/r/{result.token}/")

    with CaptureQueriesContext(connection) as queries:
        friend.get(f"/r/{result.token}/")

    (select,) = [q["sql"] for q in queries if 'FROM "quiz_result"' in q["sql"]]
    columns = re.findall(r'"quiz_result"\."(\w+)"', select.split(" FROM ")[0])
    assert columns == [
        "id",
        "token",
        "criteria_version",
        "language",
        "share_profile",
        "share_warnings",
        "share_answers",
        "type_slug",
        "updated_at",
        "deleted_at",
    ]


def renderings(response: Any) -> int:
    return sum(t.name == "quiz/result.html" for t in response.templates)


def test_the_friends_page_is_rendered_once_per_language_the_owners_every_time(client):
    result = take(client)
    client.post(f"/r/{result.token}/manage/", {"action": "share", "warnings": "1"})
    client.get(f"/r/{result.token}/")  # the message of that change
    friend = Client()

    first = friend.get(f"/r/{result.token}/")
    again = friend.get(f"/r/{result.token}/")
    english = friend.get(f"/r/{result.token}/", HTTP_ACCEPT_LANGUAGE="en")
    owner = client.get(f"/r/{result.token}/")
    owner_again = client.get(f"/r/{result.token}/")

    assert [renderings(r) for r in (first, again, english, owner, owner_again)] == [1, 0, 1, 1, 1]
    assert first.content == again.content
    assert "<p>Sources</p>" in english.content.decode()
    assert "あなたの回答" in owner.content.decode()
    assert "あなたの回答" not in again.content.decode()


def test_a_friends_page_is_public_for_minutes_and_the_owners_private(client):
    result = take(client)

    friend = Client().get(f"/r/{result.token}/")
    owner = client.get(f"/r/{result.token}/")
    image = Client().get(f"/r/{result.token}/og.png")

    assert friend["Cache-Control"] == "public, max-age=60, s-maxage=300"
    assert image["Cache-Control"] == "public, max-age=60, s-maxage=300"
    assert owner["Cache-Control"] == "private, no-cache"
    for response in (friend, owner):
        assert response["Vary"] == "Cookie, Accept-Language, Accept-Encoding"
        assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])


def test_every_page_is_served_without_a_nonce_and_scripts_only_from_files(client):
    result = take(client)

    for url in ("/", f"/r/{result.token}/", "/sources/contentslab-networking/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "nonce" not in policy
        assert "nonce" not in response.content.decode()
        assert "<script>" not in response.content.decode()


def visit_everywhere(token: str, settings: Any) -> None:
    """Open a friend's page as every host, scheme and language a request could name."""
    settings.ALLOWED_HOSTS = ["testserver", "example.jp"]
    friend = Client()
    for host in ("testserver", "example.jp", "example.jp:8443"):
        for secure in (False, True):
            for language in ("ja", "en"):
                response = friend.get(
                    f"/r/{token}/", HTTP_HOST=host, secure=secure, HTTP_ACCEPT_LANGUAGE=language
                )
                assert response.status_code == 200


@pytest.mark.parametrize("action", ["delete", "share-answers", "hide-answers"])
def test_deleting_or_changing_what_is_shared_leaves_no_kept_copy_anywhere(client, settings, action):
    result = take(client)
    if action == "hide-answers":
        client.post(f"/r/{result.token}/manage/", SHARE_ALL)
    visit_everywhere(result.token, settings)
    assert [key for key in cached_keys() if result.token in key] == [
        f":1:shared-result:{result.token}:ja",
        f":1:shared-result:{result.token}:en",
    ]

    sent = {"delete": {"action": "delete"}, "share-answers": SHARE_ALL, "hide-answers": HIDE_ALL}
    client.post(f"/r/{result.token}/manage/", sent[action])

    assert [key for key in cached_keys() if result.token in key] == []


def test_no_header_or_query_multiplies_the_kept_pages(client, settings):
    result = take(client)
    settings.ALLOWED_HOSTS = ["testserver"]
    friend = Client()

    for n in range(100):
        response = friend.get(
            f"/r/{result.token}/?v={n}",
            HTTP_HOST=f"testserver:{1000 + n}",
            HTTP_ACCEPT_LANGUAGE=f"en-{n}",
            HTTP_COOKIE=f"junk{n}=1",
        )
        assert response.status_code == 200

    assert len(cached_keys()) == 1
    assert f"http://testserver/r/{result.token}/" in response.content.decode()
    assert ":1000" not in response.content.decode()


def test_without_a_site_url_links_follow_the_request_and_nothing_is_kept(client, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "example.jp"]
    result = take(client)

    there = Client().get(f"/r/{result.token}/", HTTP_HOST="example.jp").content.decode()

    assert f"http://example.jp/r/{result.token}/" in there
    assert "testserver" not in there
    assert cached_keys() == []


def test_a_friend_opening_a_shared_result_gets_no_csrf_token_and_no_cookie(client):
    result = take(client)
    friend = Client()
    friend.get(f"/r/{result.token}/")

    kept = friend.get(f"/r/{result.token}/")

    assert kept.status_code == 200
    assert "csrfmiddlewaretoken" not in kept.content.decode()
    assert "CSRFToken" not in kept.content.decode()
    assert "Set-Cookie" not in kept.headers
    assert friend.cookies == {}


@pytest.mark.phrase_breaks
def test_a_page_goes_out_compressed_to_browsers_that_accept_gzip(client):
    result = take(client)
    friend = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    compressed = friend.get(f"/r/{result.token}/")
    plain = Client().get(f"/r/{result.token}/")

    assert compressed["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert compressed["Vary"] == "Cookie, Accept-Language, Accept-Encoding"
    assert compressed["ETag"] == f"W/{plain['ETag']}"
    assert gzip.decompress(compressed.content) == plain.content


def test_a_friends_page_is_compressed_and_hashed_once_when_kept(client):
    result = take(client)
    friend = Client(HTTP_ACCEPT_ENCODING="gzip")

    with mock.patch("quiz.kept_pages.gzip.compress", wraps=gzip.compress) as compress:
        first = friend.get(f"/r/{result.token}/")
        again = friend.get(f"/r/{result.token}/")

    assert compress.call_count == 1
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Length"] == str(len(first.content))


def test_a_page_showing_a_message_is_not_kept(client):
    result = take(client)
    client.get(f"/r/{result.token}/")
    client.post(f"/r/{result.token}/manage/", SHARE_ALL)

    with_message = client.get(f"/r/{result.token}/")
    after = client.get(f"/r/{result.token}/")

    assert 'class="messages"' in with_message.content.decode()
    assert 'class="messages"' not in after.content.decode()


def test_hiding_the_answers_again_hides_them_from_friends_at_once(client):
    result = take(client)
    friend = Client()
    client.post(f"/r/{result.token}/manage/", SHARE_ALL)
    assert "友だちの回答" in friend.get(f"/r/{result.token}/").content.decode()

    client.post(f"/r/{result.token}/manage/", HIDE_ALL)

    assert "友だちの回答" not in friend.get(f"/r/{result.token}/").content.decode()


def test_the_etag_changes_when_the_owner_changes_what_is_shared(client):
    result = take(client)
    friend = Client()
    etag = friend.get(f"/r/{result.token}/")["ETag"]

    client.post(f"/r/{result.token}/manage/", SHARE_ALL)

    assert friend.get(f"/r/{result.token}/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_unknown_owner_action_is_a_readable_400(client):
    result = take(client)

    response = client.post(f"/r/{result.token}/manage/", {"action": "explode"})

    assert response.status_code == 400
    assert "操作の指定が正しくありません。" in response.content.decode()


def test_the_top_three_others_are_open_and_the_rest_fold_away(client):
    result = take(client)
    recommended = [r["slug"] for r in result.snapshot["recommendations"]]
    html = main_of(client.get(f"/r/{result.token}/details/").content.decode())

    folded = html[html.index('<details class="more-strategies">') :]
    folded = folded[: folded.index("</details>")]
    open_part = html.replace(folded, "")

    def cards(part: str) -> list[str]:
        return re.findall(r'<div class="strategy-card[^"]*" id="strategy-([^"]+)">', part)

    assert len(recommended) > 4
    assert cards(open_part) == recommended[:4]
    assert cards(folded) == recommended[4:]
    assert f"当てはまる提案をあと{len(recommended) - 4}件見る" in folded


def test_the_snapshot_is_stored_as_utf8_text_not_escapes(client):
    result = take(client)

    with connection.cursor() as cursor:
        cursor.execute("SELECT CAST(snapshot AS TEXT) FROM quiz_result WHERE id = %s", [result.pk])
        (stored,) = cursor.fetchone()

    assert result.snapshot["recommendations"][0]["title"]["ja"] in stored
    assert "\\u" not in stored


def test_a_result_pages_query_count_does_not_grow_when_the_criteria_grow_a_hundredfold(client):
    result = take(client)
    grown = f.shipped_criteria()
    template = grown["strategies"][0]
    grown["strategies"] += [{**template, "slug": f"extra-{n}"} for n in range(100)]
    grown["types"][0]["strategies"] += [f"extra-{n}" for n in range(100)]
    grown["rules"] += [f.rule(f"extra-{n}", [], strategy=f"extra-{n}") for n in range(100)]
    store.replace_criteria(grown)
    friend = Client()
    friend.get(f"/r/{result.token}/")  # rendered once for the new criteria version

    response, count = queries_of(friend, f"/r/{result.token}/")

    assert response.status_code == 200
    assert "extra-" not in response.content.decode()  # the result keeps its own snapshot
    assert count == 4


def test_the_result_opens_with_its_type_and_three_linked_actions(client):
    result = take(client)

    html = client.get(f"/r/{result.token}/").content.decode()

    glance = html[html.index('<section class="at-a-glance"') :]
    glance = glance[: glance.index("</section>")]
    # The page's <h1> is the type; each first action opens its card in the details.
    assert '<h1 id="type-heading" class="type-name">合わない場から離れるタイプ</h1>' in glance
    details = f"/r/{result.token}/details/"
    assert re.findall(rf'<li><a href="{details}#strategy-([a-z-]+)">', glance) == [
        r["slug"] for r in result.snapshot["recommendations"][:3]
    ]
    assert result.snapshot["type"]["slug"] == "step-away"
    assert '<a class="tap" href="/types/step-away/">このタイプについてくわしく</a>' in glance


def test_the_type_page_is_linked_only_while_editors_keep_that_type(client):
    result = take(client)
    slug = result.snapshot["type"]["slug"]
    link = f'href="/types/{slug}/"'
    friend = Client()
    changed = f.shipped_criteria()
    changed["strategies"][0]["title_ja"] = "書き換えた題名"
    store.replace_criteria(changed)
    kept = friend.get(f"/r/{result.token}/").content.decode()  # kept, as of this version
    (kind,) = [t for t in changed["types"] if t["slug"] == slug]
    kind["slug"] = f"{slug}-renamed"
    store.replace_criteria(changed)

    owner = client.get(f"/r/{result.token}/").content.decode()
    shared = friend.get(f"/r/{result.token}/").content.decode()

    assert link in kept
    assert link not in owner
    assert link not in shared
    # The type itself stays as the result froze it.
    assert result.snapshot["type"]["name"]["ja"] in shared


def test_a_friends_kept_page_outlives_criteria_edits_that_change_nothing_it_shows(client):
    result = take(client)
    friend = Client()
    changed = f.shipped_criteria()
    changed["strategies"][0]["title_ja"] = "書き換えた題名"
    store.replace_criteria(changed)
    first = friend.get(f"/r/{result.token}/")  # the notice that the criteria changed: rendered
    changed["strategies"][0]["title_ja"] = "また書き換えた題名"
    store.replace_criteria(changed)  # every admin save publishes a version like this

    again = friend.get(f"/r/{result.token}/")

    assert [renderings(r) for r in (first, again)] == [1, 0]
