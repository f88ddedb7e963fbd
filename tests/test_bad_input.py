"""Tampered and malformed input: every endpoint answers with a readable 4xx page in the user's
language and the progress already saved stays exactly as it was."""

from __future__ import annotations

import pytest
from django.test import Client

from quiz.assessment_cookie import COOKIE
from quiz.models import Assessment, CriteriaVersion

pytestmark = pytest.mark.usefixtures("shipped_criteria")


@pytest.fixture
def midway(client: Client) -> Assessment:
    client.post("/start/")
    client.post("/q/work-style/", {"work-style": "freelance"})
    client.post("/q/track-record/", {"track-record": "none"})
    return Assessment.objects.get(token=client.cookies[COOKIE].value)


def unchanged(assessment: Assessment) -> bool:
    return Assessment.objects.get(pk=assessment.pk).answers == {
        "work-style": "freelance",
        "track-record": "none",
    }


@pytest.mark.parametrize(
    ("url", "data", "status", "text"),
    [
        ("/q/sociability/", {"sociability": "99"}, 422, "1から5の間で選んでください。"),
        ("/q/sociability/", {"sociability": ["2", "3"]}, 422, "選択肢は1つだけ選んでください。"),
        ("/q/sociability/", {"sociability": "３"}, 422, "整数を選んでください。"),
        ("/q/nope/", {"nope": "x"}, 404, "ページが見つかりません"),
        (
            "/q/track-record/",
            {"track-record": "freelance"},
            422,
            "「freelance」はこの質問の選択肢ではありません。",
        ),
        (
            "/q/track-record/",
            {"track-record": ["none", "some"]},
            422,
            "選択肢は1つだけ選んでください。",
        ),
        ("/q/track-record/", {"track-record": "x" * 5000}, 422, "「" + "x" * 40 + "…」はこの質問"),
    ],
)
def test_tampered_answers_are_refused_and_progress_is_kept(client, midway, url, data, status, text):
    response = client.post(url, data)

    assert response.status_code == status
    assert text in response.content.decode()
    assert unchanged(midway)


def test_skipping_ahead_changes_nothing(client, midway):
    response = client.post("/q/time/", {"time": "plenty"})

    assert response["Location"] == "/q/sociability/"
    assert unchanged(midway)


def test_a_wrong_method_gets_a_readable_405(client, midway):
    response = client.put("/q/work-style/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert "この方法では開けません" in response.content.decode()
    assert unchanged(midway)


def test_a_missing_csrf_token_gets_a_readable_403_and_changes_nothing(midway, client):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies[COOKIE] = midway.token

    response = strict.post("/q/sociability/", {"sociability": "3"})

    assert response.status_code == 403
    assert "送信を確認できませんでした" in response.content.decode()
    assert unchanged(midway)


def test_an_oversized_body_gets_a_readable_400(client, midway):
    response = client.post("/q/sociability/", {"sociability": "3", "junk": "x" * 100_000})

    assert response.status_code == 400
    assert "送信内容を読み取れませんでした" in response.content.decode()
    assert unchanged(midway)


def test_too_many_fields_get_a_readable_400(client, midway):
    response = client.post("/q/sociability/", {f"f{n}": "1" for n in range(500)})

    assert response.status_code == 400
    assert unchanged(midway)


def test_invalid_utf8_is_refused_without_an_error(client, midway):
    response = client.generic(
        "POST",
        "/q/track-record/",
        b"track-record=%FF%FE%80",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 422
    assert unchanged(midway)


@pytest.mark.parametrize("token", ["", "x", "a" * 65, "../../etc", "%00", "ç" * 10])
def test_malformed_assessment_cookies_send_you_home(client, token):
    client.cookies[COOKIE] = token

    response = client.get("/q/work-style/")

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "path", ["/resume/x/", "/resume/" + "a" * 100 + "/", "/r/%2e%2e/", "/r/x/og.png"]
)
def test_unknown_or_malformed_tokens_are_readable_404s(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_english_users_get_english_error_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/sources/nope/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_site_without_criteria_says_so_with_a_503(client):
    CriteriaVersion.objects.all().delete()

    response = client.get("/")

    assert response.status_code == 503
    assert "準備中です" in response.content.decode()
