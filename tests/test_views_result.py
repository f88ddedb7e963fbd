"""Result pages: frozen snapshots, unguessable tokens, owner and public views, deletion, sharing
tags, the OG image, the profile chart, citations that land on sections, and one query with ETag."""

from __future__ import annotations

import gzip
import io
import re
import secrets
import string
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from quiz import criteria as store
from quiz import pages
from quiz.models import Assessment, Result, new_token
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")
ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("work-style", {"work-style": "freelance"}),
    ("track-record", {"track-record": "none"}),
    ("sociability", {"sociability": "2"}),
    ("temperament", {"temperament": ["introvert", "hard-to-refuse"]}),
    ("purpose", {"purpose": ["customers"]}),
    ("where-you-network", {"where-you-network": ["paid-mixers", "drinking"]}),
    ("network-results", {"network-results": "drained"}),
    ("event-spend", {"event-spend": "high"}),
    ("time", {"time": "solo-everything"}),
    ("business-cards", {"business-cards": "two-or-more"}),
    ("warning-signs", {"warning-signs": ["mlm", "drunk-pitch"]}),
]


def take(client: Client) -> Result:
    client.post("/start/")
    for slug, data in ANSWERS:
        response = client.post(f"/q/{slug}/", data)
        assert response.status_code == 302, (slug, response.content.decode()[:300])
    return Result.objects.get()


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def normalised(html: str) -> str:
    """The page without what differs on every response by design: CSRF tokens and CSP nonces."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    return re.sub(r'nonce="[^"]+"', "nonce", html)


def test_tokens_are_long_urlsafe_and_random():
    tokens = {new_token() for _ in range(1000)}

    assert len(tokens) == 1000
    assert {len(t) for t in tokens} == {43}
    assert set("".join(tokens)) <= set(string.ascii_letters + string.digits + "-_")


def test_the_owner_sees_warnings_first_then_the_top_strategy_answers_and_reasons(client):
    result = take(client)

    html = main_of(client.get(f"/r/{result.token}/").content.decode())

    warnings = html.index("まず気をつけたいこと")
    top = html.index("いちばんのおすすめ")
    assert warnings < top < html.index("ほかにおすすめの進め方")
    assert "あなたの回答" in html
    assert "この提案につながった回答" in html
    assert "この結果を削除する" in html


def test_the_public_view_hides_raw_answers_and_reasons_unless_the_owner_shares_them(client):
    result = take(client)
    friend = Client()

    public = main_of(friend.get(f"/r/{result.token}/").content.decode())
    client.post(f"/r/{result.token}/manage/", {"action": "share-answers"})
    shared = main_of(friend.get(f"/r/{result.token}/").content.decode())

    assert "あなたの回答" not in public
    assert "この提案につながった回答" not in public
    assert "この結果を削除する" not in public
    assert "まず気をつけたいこと" in public
    assert "あなたの傾向" in public
    assert "あなたの回答" in shared
    assert "この提案につながった回答" in shared


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
    assert '<a href="/">今の基準でもう一度診断する</a>' in notice.group(0)
    assert after.replace(notice.group(0), "") == before
    assert "書き換えた題名" not in after


def test_open_graph_and_twitter_tags_and_noindex(client):
    result = take(client)
    top = result.snapshot["recommendations"][0]["title"]["ja"]

    response = Client().get(f"/r/{result.token}/")

    html = response.content.decode()
    assert f'<meta property="og:title" content="人脈診断の結果: {top}">' in html
    assert f'<meta property="og:url" content="http://testserver/r/{result.token}/">' in html
    assert f'<meta property="og:image" content="http://testserver/r/{result.token}/og.png">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"


def test_share_links_are_plain_links(client):
    result = take(client)

    html = Client().get(f"/r/{result.token}/").content.decode()

    url = f"http%3A%2F%2Ftestserver%2Fr%2F{result.token}%2F"
    assert f'href="https://social-plugins.line.me/lineit/share?url={url}"' in html
    assert 'href="https://twitter.com/intent/tweet?text=' in html
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

    html = main_of(Client().get(f"/r/{result.token}/").content.decode())

    assert '<svg class="chart" viewBox="0 0 640 228" width="100%" role="img"' in html
    assert 'aria-labelledby="profile-caption"' in html
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', html)
    assert [name for name, _ in rows] == [p["name"]["ja"] for p in result.snapshot["profile"]]
    assert [int(score) for _, score in rows] == [p["score"] for p in result.snapshot["profile"]]


def test_every_citation_link_opens_and_lands_on_an_existing_section(client):
    result = take(client)
    html = main_of(Client().get(f"/r/{result.token}/").content.decode())
    links = set(re.findall(r'<a href="(/sources/[^"#]+/)#([^"]+)"', html))

    assert len(links) >= 3
    for page, anchor in links:
        response = client.get(page)
        assert response.status_code == 200
        assert f'id="{anchor}"' in response.content.decode()


def test_a_result_page_costs_one_query_and_a_repeat_visit_gets_304(client):
    result = take(client)
    friend = Client()
    pages.memory.clear()

    with CaptureQueriesContext(connection) as first:
        friend.get(f"/r/{result.token}/")
    # Read now: the next request outside the context clears Django's query log.
    first_count = len(first)
    with CaptureQueriesContext(connection) as queries:
        response = friend.get(f"/r/{result.token}/")
    query_count = len(queries)
    repeat = friend.get(f"/r/{result.token}/", HTTP_IF_NONE_MATCH=response["ETag"])

    assert first_count == 1
    assert query_count == 1
    assert response.status_code == 200
    assert repeat.status_code == 304
    assert repeat.content == b""


def test_the_page_is_rendered_once_per_language_and_audience_then_reused(client):
    result = take(client)
    friend = Client()
    pages.memory.clear()
    pages.files.clear()

    first = friend.get(f"/r/{result.token}/")
    again = friend.get(f"/r/{result.token}/")
    english = friend.get(f"/r/{result.token}/", HTTP_ACCEPT_LANGUAGE="en")
    owner = client.get(f"/r/{result.token}/")
    owner_again = client.get(f"/r/{result.token}/")

    def renderings(response: Any) -> int:
        return sum(t.name == "quiz/result.html" for t in response.templates)

    assert [renderings(r) for r in (first, again, english, owner, owner_again)] == [1, 0, 1, 1, 0]
    assert normalised(first.content.decode()) == normalised(again.content.decode())
    assert "Sources: " in english.content.decode()
    assert "あなたの回答" in owner.content.decode()
    assert "あなたの回答" not in again.content.decode()


def test_the_page_a_friend_sees_is_ready_when_the_result_is_made(client):
    result = take(client)
    friend = Client()

    ready = friend.get(f"/r/{result.token}/")
    pages.memory.clear()
    pages.files.clear()
    fresh = friend.get(f"/r/{result.token}/")

    assert sum(t.name == "quiz/result.html" for t in ready.templates) == 0
    assert sum(t.name == "quiz/result.html" for t in fresh.templates) == 1
    assert normalised(ready.content.decode()) == normalised(fresh.content.decode())


def kept_texts() -> list[bytes]:
    """What the files of kept pages hold, as bytes on disk (the text pieces are not compressed)."""
    return [path.read_bytes() for path in settings.KEPT_PAGES_DIR.iterdir()]


@pytest.mark.parametrize("action", ["delete", "share-answers"])
def test_deleting_or_changing_what_is_shared_removes_the_kept_pages(client, action):
    result = take(client)
    Client().get(f"/r/{result.token}/")
    client.get(f"/r/{result.token}/")
    assert any(result.token.encode() in text for text in kept_texts())

    client.post(f"/r/{result.token}/manage/", {"action": action})

    assert not any(result.token.encode() in text for text in kept_texts())


def test_a_result_is_completed_even_if_its_shared_page_cannot_be_prepared(client, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("quiz.pages.prepare", broken)

    result = take(client)
    monkeypatch.undo()

    assert client.cookies[result.owner_cookie_name()].value == result.owner_token
    assert "あなたの回答" in client.get(f"/r/{result.token}/").content.decode()


def nonces_of(response: Any) -> set[str]:
    return set(re.findall(r'nonce="([^"]+)"', response.content.decode()))


def test_a_kept_page_still_gets_a_new_nonce_and_csrf_token_in_every_response(client):
    result = take(client)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies  # the owner: their page has forms
    pages.memory.clear()

    first = strict.get(f"/r/{result.token}/")
    again = strict.get(f"/r/{result.token}/")

    for response in (first, again):
        assert "jm-hole-" not in response.content.decode()
        (nonce,) = nonces_of(response)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert nonces_of(first) != nonces_of(again)
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', again.content.decode())
    assert len(tokens) == 2
    assert len(set(tokens)) == 1
    assert tokens[0] not in first.content.decode()
    # The token filled into the kept page is one the CSRF check accepts.
    shared = strict.post(
        f"/r/{result.token}/manage/",
        {"action": "share-answers", "csrfmiddlewaretoken": tokens[0]},
    )
    assert shared.status_code == 302


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


def test_a_kept_page_goes_out_compressed_to_browsers_that_accept_gzip(client):
    result = take(client)
    friend = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    friend.get(f"/r/{result.token}/")

    kept = friend.get(f"/r/{result.token}/")
    plain = Client().get(f"/r/{result.token}/")

    assert kept["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    for response in (kept, plain):
        assert response["Vary"] == "Accept-Encoding, Cookie, Accept-Language"
        assert response["ETag"].startswith('W/"')
    html = gzip.decompress(kept.content)
    assert normalised(html.decode()) == normalised(plain.content.decode())
    assert int(kept["Content-Length"]) == len(kept.content)
    # Joined from pieces compressed one by one: within a tenth of compressing it whole.
    assert len(kept.content) <= 1.1 * len(gzip.compress(html, compresslevel=6))


def test_a_kept_page_is_kept_per_host_because_its_links_are_absolute(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "example.jp"]
    result = take(client)
    friend = Client()

    here = friend.get(f"/r/{result.token}/").content.decode()
    there = friend.get(f"/r/{result.token}/", HTTP_HOST="example.jp").content.decode()

    assert f"http://testserver/r/{result.token}/" in here
    assert f"http://example.jp/r/{result.token}/" in there
    assert "testserver" not in there


def test_a_page_showing_a_message_is_not_kept(client):
    result = take(client)
    client.get(f"/r/{result.token}/")
    client.post(f"/r/{result.token}/manage/", {"action": "share-answers"})

    with_message = client.get(f"/r/{result.token}/")
    after = client.get(f"/r/{result.token}/")

    assert 'class="messages"' in with_message.content.decode()
    assert 'class="messages"' not in after.content.decode()


def test_hiding_the_answers_again_hides_them_from_friends_at_once(client):
    result = take(client)
    friend = Client()
    client.post(f"/r/{result.token}/manage/", {"action": "share-answers"})
    assert "あなたの回答" in friend.get(f"/r/{result.token}/").content.decode()

    client.post(f"/r/{result.token}/manage/", {"action": "hide-answers"})

    assert "あなたの回答" not in friend.get(f"/r/{result.token}/").content.decode()


def test_the_etag_changes_when_the_owner_changes_what_is_shared(client):
    result = take(client)
    friend = Client()
    etag = friend.get(f"/r/{result.token}/")["ETag"]

    client.post(f"/r/{result.token}/manage/", {"action": "share-answers"})

    assert friend.get(f"/r/{result.token}/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_unknown_owner_action_is_a_readable_400(client):
    result = take(client)

    response = client.post(f"/r/{result.token}/manage/", {"action": "explode"})

    assert response.status_code == 400
    assert "操作の指定が正しくありません。" in response.content.decode()


def test_the_top_three_others_are_open_and_the_rest_fold_away(client):
    result = take(client)
    recommended = [r["slug"] for r in result.snapshot["recommendations"]]
    html = main_of(client.get(f"/r/{result.token}/").content.decode())

    folded = html[html.index('<details class="more-strategies">') :]
    folded = folded[: folded.index("</details>")]
    open_part = html.replace(folded, "")

    def cards(part: str) -> list[str]:
        return re.findall(r'<div class="strategy-card[^"]*" id="strategy-([^"]+)">', part)

    assert len(recommended) > 4
    assert cards(open_part) == recommended[:4]
    assert cards(folded) == recommended[4:]
    assert f"当てはまる進め方をあと{len(recommended) - 4}件見る" in folded


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
    grown["rules"] += [f.rule(f"extra-{n}", [], strategy=f"extra-{n}") for n in range(100)]
    store.replace_criteria(grown)
    friend = Client()
    friend.get(f"/r/{result.token}/")  # rendered once for the new criteria version

    with CaptureQueriesContext(connection) as queries:
        response = friend.get(f"/r/{result.token}/")
    count = len(queries)

    assert response.status_code == 200
    assert "extra-" not in response.content.decode()  # the result keeps its own snapshot
    assert count == 1
