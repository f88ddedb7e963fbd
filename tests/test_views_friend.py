"""A friend's view of a shared result (#32): private by default and as the owner chooses, one tap
from the invitation into question 1, and the comparison the friend sees on their own result."""

from __future__ import annotations

import html as html_lib
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import timezone

from quiz import travel
from quiz.models import Assessment, Result, TravelCount
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")

INVITATION = '<button type="submit" class="button">あなたも診断する（約3分）</button>'
FIRST_QUESTION = "/q/work-style/"


def shared_page(token: str, **headers: Any) -> str:
    response = Client().get(f"/r/{token}/", **headers)
    assert response.status_code == 200
    return html_lib.unescape(f.main_of(response.content.decode()))


def choose(owner: Client, result: Result, *shown: str) -> None:
    response = owner.post(
        f"/r/{result.token}/manage/", {"action": "share", **dict.fromkeys(shown, "1")}
    )
    assert response.status_code == 302


def counts() -> dict[tuple[str, str], int]:
    return {(c.event, c.type_slug): c.count for c in TravelCount.objects.all()}


def finish(client: Client) -> Result:
    """The rest of the assessment, from its first question, as a person answers it."""
    for slug, data in f.STEP_POSTS:
        response = client.post(f"/q/{slug}/", data)
        assert response.status_code == 302, (slug, response.content.decode()[:300])
    assessment = Assessment.objects.get(
        token=client.cookies[f"{settings.COOKIE_PREFIX}assessment"].value
    )
    assert assessment.result is not None
    return assessment.result


def test_a_friend_sees_the_type_its_line_and_three_actions_and_nothing_from_the_answers(client):
    result = f.take(client)
    snapshot = result.snapshot

    html = shared_page(result.token)

    assert f'<h2 id="type-heading" class="type-name">{snapshot["type"]["name"]["ja"]}</h2>' in html
    assert f'<p class="type-line">{snapshot["type"]["line"]["ja"]}</p>' in html
    first = [r["title"]["ja"] for r in snapshot["recommendations"][:3]]
    assert '<ol class="first-actions">' + "".join(f"<li>{t}</li>" for t in first) + "</ol>" in html
    assert 'class="emblem"' in html
    # No warning, score, reason, further suggestion nor answer: each would tell an answer.
    for warning in snapshot["warnings"]:
        assert warning["title"]["ja"] not in html
    for item in snapshot["recommendations"]:
        for reason in item["reasons"]:
            assert reason["text"]["ja"] not in html
    for item in snapshot["recommendations"][3:]:
        assert item["title"]["ja"] not in html
    for answered in snapshot["answered"]:
        # A scale's answer is a digit, found in any drawing: the labelled ones are told apart.
        if len(answered["answer"]["ja"]) > 2:
            assert answered["answer"]["ja"] not in html
        assert answered["text"]["ja"] not in html
    for axis in snapshot["profile"]:
        assert axis["name"]["ja"] not in html
    assert "このタイプになった理由" not in html
    # Nor anything of the owner's: no sharing, no choices, no deleting.
    assert '<section class="share' not in html
    assert "/manage/" not in html and "/share/" not in html


@pytest.mark.parametrize(
    ("shown", "seen", "unseen"),
    [
        (("profile",), ["友だちの傾向"], ['id="warnings-heading"', "友だちの回答"]),
        (("warnings",), ['id="warnings-heading"'], ["友だちの傾向", "友だちの回答"]),
        (("answers",), ["友だちの回答", "この提案につながった回答"], ["友だちの傾向"]),
    ],
)
def test_the_owner_chooses_each_thing_a_friend_sees(client, shown, seen, unseen):
    result = f.take(client)

    choose(client, result, *shown)
    html = shared_page(result.token)

    for text in seen:
        assert text in html, text
    for text in unseen:
        assert text not in html, text
    assert Result.objects.filter(pk=result.pk).values_list(
        "share_profile", "share_warnings", "share_answers"
    ).get() == tuple(name in shown for name in ("profile", "warnings", "answers"))


def test_beside_the_share_buttons_the_owner_reads_exactly_what_a_friend_sees(client):
    result = f.take(client)
    choose(client, result, "warnings")

    html = html_lib.unescape(f.main_of(client.get(f"/r/{result.token}/").content.decode()))

    shares = html.index('<section class="share no-print"')
    sees = html.index('<div class="friend-sees" id="friend-sees">')
    assert shares < sees < html.index("</section>", shares)
    assert (
        '<ul class="sees-list"><li>タイプとその説明</li><li>まずやること（3つ）</li>'
        "<li>注意</li></ul>"
    ) in html
    assert "見えないもの：傾向（スコア）、すべての提案と、そのもとになった回答。" in html
    assert '<input type="checkbox" name="warnings" value="1" checked>' in html
    assert '<input type="checkbox" name="profile" value="1">' in html


def test_only_the_owner_may_change_what_is_shared(client):
    result = f.take(client)

    response = Client().post(
        f"/r/{result.token}/manage/", {"action": "share", "profile": "1", "answers": "1"}
    )

    assert response.status_code == 403
    assert Result.objects.get(pk=result.pk).share_profile is False


def test_the_friends_page_carries_no_csrf_token_and_sets_no_cookie(client):
    result = f.take(client)

    response = Client().get(f"/r/{result.token}/")

    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=300"


def test_one_tap_from_the_invitation_lands_a_first_time_visitor_on_question_one(client):
    result = f.take(client)
    newcomer = Client(enforce_csrf_checks=True)  # no cookie at all, and CSRF checked

    response = newcomer.post(f"/r/{result.token}/invite/", HTTP_SEC_FETCH_SITE="same-origin")

    assert response.status_code == 303
    assert response["Location"] == FIRST_QUESTION
    assessment = Assessment.objects.get(
        token=newcomer.cookies[f"{settings.COOKIE_PREFIX}assessment"].value
    )
    assert assessment.invited_by_id == result.pk
    assert newcomer.get(FIRST_QUESTION).status_code == 200
    assert counts() == {("invited", result.type_slug): 1}


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_an_invitation_posted_from_another_site_starts_nothing(client, headers):
    result = f.take(client)
    before = Assessment.objects.count()

    response = Client().post(f"/r/{result.token}/invite/", **headers)

    assert response.status_code == 303
    assert response["Location"] == f"/r/{result.token}/"
    assert Assessment.objects.count() == before
    assert not response.cookies


def test_an_invitation_from_the_sites_own_origin_starts(client):
    result = f.take(client)

    response = Client().post(f"/r/{result.token}/invite/", HTTP_ORIGIN="http://testserver")

    assert response["Location"] == FIRST_QUESTION


def test_an_invitation_continues_an_assessment_under_way_and_loses_no_answer(client):
    result = f.take(client)
    friend = Client()
    friend.post("/start/")
    slug, data = f.STEP_POSTS[0]
    friend.post(f"/q/{slug}/", data)
    own = Assessment.objects.get(token=friend.cookies[f"{settings.COOKIE_PREFIX}assessment"].value)

    response = friend.post(f"/r/{result.token}/invite/")

    own.refresh_from_db()
    assert response["Location"] == f"/q/{f.STEP_POSTS[1][0]}/"
    assert own.invited_by_id == result.pk
    assert own.answers == {slug: data[slug]}
    assert friend.cookies[f"{settings.COOKIE_PREFIX}assessment"].value == own.token


def test_an_invitation_to_a_deleted_result_is_gone(client):
    result = f.take(client)
    client.post(f"/r/{result.token}/manage/", {"action": "delete"})

    assert Client().post(f"/r/{result.token}/invite/").status_code == 410
    assert Client().get(f"/r/{result.token}/invite/").status_code == 405


def test_a_friend_who_finishes_from_the_invitation_sees_both_types_side_by_side(client):
    inviting = f.owned(client, f.result(loner()))
    friend = Client()
    friend.post(f"/r/{inviting.token}/invite/")

    mine = finish(friend)
    html = html_lib.unescape(f.main_of(friend.get(f"/r/{mine.token}/").content.decode()))

    assert mine.invited_by_id == inviting.pk
    section = html[html.index('<section class="with-friend"') :]
    section = section[: section.index("</section>")]
    assert f'<p class="pair-type">{mine.snapshot["type"]["name"]["ja"]}</p>' in section
    assert f'<p class="pair-type">{inviting.snapshot["type"]["name"]["ja"]}</p>' in section
    assert section.count('class="emblem"') == 2
    gifts = {t["slug"]: t["gift_ja"] for t in f.shipped_criteria()["types"]}
    assert f"<dd>{gifts[mine.type_slug]}</dd>" in section
    assert f"<dd>{gifts[inviting.type_slug]}</dd>" in section
    # The friend shares no profile or warnings: none of theirs is compared, nor shown.
    assert "近い傾向" not in section and "差が大きい傾向" not in section
    assert "pair-scores" not in section
    for warning in inviting.snapshot["warnings"]:
        assert warning["title"]["ja"] not in section
    assert "友だちが傾向も見せる設定にすると、傾向もくらべられます。" in section
    assert f'<a class="tap" href="/r/{inviting.token}/">友だちの結果を見る</a>' in section
    # The inviting owner sees nothing of the friend.
    owners = client.get(f"/r/{inviting.token}/").content.decode()
    assert mine.token not in owners and "あなたと友だち" not in owners
    assert counts()[("completed", inviting.type_slug)] == 1


def test_the_comparison_reads_scores_only_when_the_inviting_friend_shares_them(client):
    inviting = f.owned(client, f.result(loner()))
    choose(client, inviting, "profile", "warnings")
    friend = Client()
    friend.post(f"/r/{inviting.token}/invite/")
    mine = finish(friend)

    html = html_lib.unescape(f.main_of(friend.get(f"/r/{mine.token}/").content.decode()))

    theirs = {p["dimension"]: p["score"] for p in inviting.snapshot["profile"]}
    rows = "".join(
        f'<tr><th scope="row">{p["name"]["ja"]}</th>'
        f"<td>{p['score']}</td><td>{theirs[p['dimension']]}</td></tr>"
        for p in mine.snapshot["profile"]
    )
    assert f"<tbody>{rows}</tbody>" in html
    gaps = {
        p["name"]["ja"]: abs(p["score"] - theirs[p["dimension"]]) for p in mine.snapshot["profile"]
    }
    close = "、".join(name for name, gap in gaps.items() if gap <= 15)
    apart = "、".join(name for name, gap in gaps.items() if gap >= 30)
    assert close or apart
    if close:
        assert f"<li>近い傾向：{close}</li>" in html
    if apart:
        assert f"<li>差が大きい傾向：{apart}</li>" in html
    assert "友だちが傾向も見せる設定にすると" not in html


def test_the_comparison_goes_when_the_inviting_friend_deletes_their_result(client):
    inviting = f.owned(client, f.result(loner()))
    friend = Client()
    friend.post(f"/r/{inviting.token}/invite/")
    mine = finish(friend)

    client.post(f"/r/{inviting.token}/manage/", {"action": "delete"})

    assert "あなたと友だち" not in friend.get(f"/r/{mine.token}/").content.decode()


def test_an_english_friend_reads_a_friends_result_never_your_result(client):
    result = f.take(client)

    response = Client().get(f"/r/{result.token}/", HTTP_ACCEPT_LANGUAGE="en")
    html = html_lib.unescape(response.content.decode())

    name = result.snapshot["type"]["name"]["en"]
    assert f"<title>A friend's result: {name} | Networking Check</title>" in html
    assert "Your result" not in html
    assert "When you finish, you can compare your type with your friend's." in html


def test_an_english_reader_sees_each_article_title_as_published_with_its_english_rendering(client):
    result = f.take(client)
    choose(client, result, "answers")
    sources = {s["slug"]: s for s in f.shipped_criteria()["sources"]}

    english = shared_page(result.token, HTTP_ACCEPT_LANGUAGE="en")
    japanese = shared_page(result.token)

    cited = {c["source"] for r in result.snapshot["recommendations"] for c in r["citations"]}
    for slug in cited:
        assert f'lang="ja">{sources[slug]["title"]}</a></cite>' in english
        assert f'<span class="title-en">{sources[slug]["title_en"]}</span>' in english
        assert sources[slug]["title_en"] not in japanese


def test_sharing_is_counted_once_per_result_and_only_for_its_owner(client):
    result = f.take(client)

    Client().get(f"/r/{result.token}/share/line/")
    client.get(f"/r/{result.token}/share/line/")
    client.get(f"/r/{result.token}/share/x/")

    assert counts().get(("shared", result.type_slug)) == 1
    assert Client().get(f"/r/{result.token}/share/line/")["Location"] == f"/r/{result.token}/"
    assert client.get(f"/r/{result.token}/share/mail/").status_code == 404


def test_friends_views_are_counted_per_type_and_week_without_who(client):
    result = f.take(client)

    for _ in range(3):
        Client().get(f"/r/{result.token}/")
    client.get(f"/r/{result.token}/")  # the owner's own visit is not a friend's

    (row,) = travel.by_type(travel.week_of(timezone.localdate()))
    assert row == {"type_slug": result.type_slug, "event": "viewed", "total": 3}
    assert [f.name for f in TravelCount._meta.get_fields()] == [
        "id",
        "week",
        "type_slug",
        "event",
        "count",
    ]


def test_an_old_result_shared_with_its_answers_keeps_showing_everything(client):
    migration = importlib.import_module("quiz.migrations.0011_friend_view")
    everything = f.take(client)
    private = f.result()
    Result.objects.filter(pk=everything.pk).update(share_answers=True, type_slug="")
    Result.objects.filter(pk=private.pk).update(type_slug="")

    migration.keep_what_was_shared(apps, None)

    assert list(
        Result.objects.order_by("pk").values_list(
            "share_profile", "share_warnings", "share_answers", "type_slug"
        )
    ) == [
        (True, True, True, everything.snapshot["type"]["slug"]),
        (False, False, False, private.snapshot["type"]["slug"]),
    ]


def loner() -> dict[str, Any]:
    return next(p for p in f.personas() if p["slug"] == "strong-minded-loner")["answers"]
