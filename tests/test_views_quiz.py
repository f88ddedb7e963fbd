"""The questionnaire without a browser: steps, branching, saving, resuming, order enforcement,
htmx partial responses and exact query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quiz import criteria as store
from quiz.assessment_cookie import COOKIE
from quiz.models import Assessment, Result
from tests import factories as f

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def flow_criteria(extra_rules: int = 0, extra_questions: int = 0) -> dict[str, Any]:
    rules = [
        f.rule("build", [f.chosen("record", "none")], strategy="build-record", weight=5),
        f.rule("stop", [f.chosen("where", "mixers")], strategy="stop-mixers", weight=3),
        f.rule("base", [], strategy="cherish", weight=1),
        f.rule("mlm", [f.chosen("met", "mlm")], warning="mlm"),
    ]
    rules += [
        f.rule(f"extra-{n}", [f.compare("likes", "gte", 3)], strategy="cherish")
        for n in range(extra_rules)
    ]
    return f.criteria(
        questions=[
            f.question("record", choices=["none", "strong"]),
            {
                **f.question("where", "multiple", choices=["mixers", "sns", "nowhere"]),
                "max_choices": 2,
                "show_if": {"match": "all", "conditions": [f.chosen("record", "none")]},
            },
            f.question("likes", "scale", min=1, max=5),
            f.question("met", "multiple", choices=["mlm", "nothing"]),
            *(f.question(f"extra-{n}", "scale", min=1, max=5) for n in range(extra_questions)),
        ],
        rules=rules,
        strategies=[f.strategy("build-record"), f.strategy("stop-mixers"), f.strategy("cherish")],
        warnings=[f.warning("mlm", 3)],
    )


@pytest.fixture(autouse=True)
def published() -> None:
    store.replace_criteria(flow_criteria())


def started(client: Client) -> Assessment:
    response = client.post("/start/")
    assert response.status_code == 302
    assert response["Location"] == "/q/record/"
    return Assessment.objects.get(token=client.cookies[COOKIE].value)


def test_start_creates_an_assessment_with_an_unguessable_token_in_a_cookie(client):
    assessment = started(client)

    cookie = client.cookies[COOKIE]
    assert COOKIE == "__Host-assessment"
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert len(assessment.token) == 43
    assert cookie.value == assessment.token
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert assessment.answers == {}


def test_a_step_shows_its_question_progress_and_a_resume_link(client):
    assessment = started(client)

    response = client.get("/q/record/")

    html = response.content.decode()
    assert response.status_code == 200
    # "where" shows only after record "none": three or four questions in all.
    assert '<p id="progress-label"><span>1問目</span> <span>あと最大3問</span></p>' in html
    assert '<progress max="4" value="0" aria-labelledby="progress-label">' in html
    assert "<title>record（1問目） | 人脈診断</title>" in html
    assert '<legend><h1 class="question-text">record?</h1></legend>' in html
    assert f"http://testserver/resume/{assessment.token}/" in html
    assert response["Cache-Control"] == "private, no-store"


def test_home_says_how_many_questions_there_can_be(client):
    html = client.get("/").content.decode()

    assert "<li>質問は最大4問で、3分ほどで終わります。</li>" in html


def test_answering_saves_and_redirects_to_the_next_step(client):
    assessment = started(client)

    response = client.post("/q/record/", {"record": "none"})

    assert (response.status_code, response["Location"]) == (302, "/q/where/")
    assessment.refresh_from_db()
    assert assessment.answers == {"record": "none"}


def test_progress_counts_only_the_questions_that_can_still_be_shown(client):
    started(client)
    client.post("/q/record/", {"record": "strong"})

    html = client.get("/q/likes/").content.decode()

    assert '<p id="progress-label"><span>2問目</span> <span>あと1問</span></p>' in html
    assert '<progress max="3" value="1" aria-labelledby="progress-label">' in html


def test_the_last_question_says_so_and_leads_to_the_result(client):
    started(client)
    client.post("/q/record/", {"record": "strong"})
    client.post("/q/likes/", {"likes": "3"})

    html = client.get("/q/met/").content.decode()

    assert '<p id="progress-label"><span>3問目</span> <span>最後の質問です</span></p>' in html
    assert '<button type="submit" class="button">結果を見る</button>' in html


def test_an_invalid_answer_is_shown_next_to_the_question_and_nothing_is_lost(client):
    assessment = started(client)
    client.post("/q/record/", {"record": "none"})

    response = client.post("/q/where/", {"where": ["mixers", "sns", "nowhere"]})

    html = response.content.decode()
    assert response.status_code == 422
    assert (
        '<p class="error" id="error-where" data-focus-first tabindex="-1" autofocus>'
        "選べるのは2つまでです。</p>"
    ) in html
    assert 'value="mixers" checked' in html
    assessment.refresh_from_db()
    assert assessment.answers == {"record": "none"}


def test_an_empty_required_answer_is_refused(client):
    started(client)

    response = client.post("/q/record/", {})

    assert response.status_code == 422
    assert "この質問に答えてください。" in response.content.decode()


def test_skipping_ahead_is_refused_with_a_message_and_a_redirect_to_the_right_step(client):
    assessment = started(client)

    response = client.post("/q/likes/", {"likes": "3"}, follow=True)

    assert response.redirect_chain == [("/q/record/", 302)]
    assert (
        "その質問にはまだ進めません。まだ答えていない質問から続けてください。"
        in response.content.decode()
    )
    assessment.refresh_from_db()
    assert assessment.answers == {}


def test_a_hidden_question_is_never_shown(client):
    started(client)
    client.post("/q/record/", {"record": "strong"})

    response = client.get("/q/where/")

    assert (response.status_code, response["Location"]) == (302, "/q/likes/")


def test_changing_an_answer_drops_the_answers_it_hides_and_keeps_the_rest(client):
    assessment = started(client)
    client.post("/q/record/", {"record": "none"})
    client.post("/q/where/", {"where": ["mixers"]})
    client.post("/q/likes/", {"likes": "2"})

    response = client.post("/q/record/", {"record": "strong"})

    assert response["Location"] == "/q/likes/"
    assessment.refresh_from_db()
    assert assessment.answers == {"record": "strong", "likes": 2}


def test_going_back_shows_the_saved_answer(client):
    started(client)
    client.post("/q/record/", {"record": "none"})
    client.post("/q/where/", {"where": ["mixers", "sns"]})

    html = client.get("/q/where/").content.decode()

    assert 'value="mixers" checked' in html
    assert 'value="sns" checked' in html
    assert 'value="nowhere">' in html
    assert '<a class="back tap" href="/q/record/"' in html


def complete(client: Client) -> Result:
    started(client)
    client.post("/q/record/", {"record": "none"})
    client.post("/q/where/", {"where": ["mixers"]})
    client.post("/q/likes/", {"likes": "4"})
    response = client.post("/q/met/", {"met": ["mlm"]})
    result = Result.objects.get()
    assert response["Location"] == f"/r/{result.token}/"
    return result


def test_the_last_answer_completes_the_assessment_with_the_engines_result(client):
    result = complete(client)

    assessment = Assessment.objects.get()
    assert assessment.completed_at is not None
    assert assessment.result == result
    assert [r["slug"] for r in result.snapshot["recommendations"]] == [
        "build-record",
        "stop-mixers",
        "cherish",
    ]
    assert [w["slug"] for w in result.snapshot["warnings"]] == ["mlm"]
    assert result.criteria_version == store.current_criteria().version
    assert len(result.token) == 43


def test_posting_to_a_completed_assessment_is_refused_and_changes_nothing(client):
    result = complete(client)

    response = client.post("/q/record/", {"record": "strong"}, follow=True)

    assert response.redirect_chain == [(f"/r/{result.token}/", 302)]
    assert "この診断はもう完了しています。結果はこちらです。" in response.content.decode()
    assert Assessment.objects.get().answers["record"] == "none"


def test_the_result_page_opens_with_the_type_then_warnings_then_strategies_with_citations(client):
    result = complete(client)

    page = client.get(f"/r/{result.token}/details/").content.decode()
    html = page[page.index("<main") :]

    glance = html.index('class="at-a-glance"')
    warnings = html.index('id="warnings-heading"')
    cards = html.index('id="top-heading"')
    assert glance < html.index("build-record title") < warnings < html.index("mlm title") < cards
    assert cards < html.index('id="strategy-build-record"') < html.index('id="strategy-cherish"')
    assert '<a href="/sources/article/#intro" lang="ja">記事</a>' in html
    assert '<meta name="robots" content="noindex">' in page


def test_an_unknown_result_token_is_404(client):
    assert client.get("/r/" + "x" * 43 + "/").status_code == 404


def test_a_resume_link_to_an_assessment_just_started_says_so(client):
    assessment = started(client)

    html = Client().get(f"/resume/{assessment.token}/").content.decode()

    assert "このリンクの診断は、まだどの質問にも答えていません（最終更新 20" in html
    assert "<p>残りは最大4問です。</p>" in html


def test_a_resume_link_says_what_it_holds_and_continues_only_when_asked(client):
    assessment = started(client)
    client.post("/q/record/", {"record": "none"})
    other = Client()

    shown = other.get(f"/resume/{assessment.token}/")
    cookies_after_opening = dict(other.cookies)
    response = other.post(f"/resume/{assessment.token}/")

    html = shown.content.decode()
    assert shown.status_code == 200
    assert shown["Cache-Control"] == "private, no-store"
    assert "このリンクの診断は、1問まで答えてあります（最終更新 20" in html
    assert "<p>残りは3問です。</p>" in html
    assert "誰でも回答を見たり変えたりできます" in html
    assert f'action="/resume/{assessment.token}/"' in html
    assert COOKIE not in cookies_after_opening
    assert (response.status_code, response["Location"]) == (302, "/q/where/")
    assert other.cookies[COOKIE].value == assessment.token
    assert 'value="none" checked' in other.get("/q/record/").content.decode()


def test_a_resume_link_never_replaces_the_browsers_own_assessment_unasked(client):
    linked = started(Client())
    own = started(client)

    shown = client.get(f"/resume/{linked.token}/").content.decode()

    assert client.cookies[COOKIE].value == own.token
    assert "このブラウザでも、別の診断が途中です。" in shown
    assert '<a class="button secondary" href="/q/record/">このブラウザの診断を続ける</a>' in shown
    client.post(f"/resume/{linked.token}/")
    assert client.cookies[COOKIE].value == linked.token


def test_a_resume_link_of_a_finished_assessment_leads_to_its_result(client):
    started(client)
    client.post("/q/record/", {"record": "strong"})
    client.post("/q/likes/", {"likes": "3"})
    client.post("/q/met/", {"met": ["nothing"]})
    done = Assessment.objects.get()
    other = Client()

    response = other.get(f"/resume/{done.token}/")

    assert response.status_code == 302
    assert response["Location"] == f"/r/{Result.objects.get().token}/"
    assert COOKIE not in other.cookies


def test_a_resume_post_needs_the_csrf_token(client):
    assessment = started(Client())
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(f"/resume/{assessment.token}/")

    assert response.status_code == 403
    assert COOKIE not in strict.cookies


def test_unknown_resume_token_is_404(client):
    assert client.get("/resume/nope/").status_code == 404


def test_a_step_without_an_assessment_sends_you_home(client):
    response = client.get("/q/record/", follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert (
        "途中の回答が見つかりませんでした。はじめから診断してください。"
        in response.content.decode()
    )


def test_an_unknown_step_is_404(client):
    started(client)

    assert client.get("/q/nope/").status_code == 404


def test_htmx_post_swaps_in_the_next_step_and_pushes_its_url(client):
    started(client)

    response = client.post("/q/record/", {"record": "none"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/q/where/"
    assert html.startswith('\n<div id="step" class="step" data-title=')
    assert "<html" not in html
    assert '<p id="progress-label"><span>2問目</span> <span>あと2問</span></p>' in html


def test_htmx_get_returns_only_the_step_region(client):
    started(client)

    html = client.get("/q/record/", **HTMX).content.decode()

    assert html.startswith('\n<div id="step" class="step" data-title=')
    assert "<html" not in html


def test_htmx_history_restore_gets_the_whole_page(client):
    started(client)

    html = client.get("/q/record/", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX).content.decode()

    assert "<html" in html


def test_htmx_invalid_answer_is_a_422_partial(client):
    started(client)

    response = client.post("/q/record/", {"record": "nope"}, **HTMX)

    assert response.status_code == 422
    assert "「nope」はこの質問の選択肢ではありません。" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_htmx_completion_redirects_the_whole_page_to_the_result(client):
    started(client)
    client.post("/q/record/", {"record": "strong"})
    client.post("/q/likes/", {"likes": "3"})

    response = client.post("/q/met/", {"met": ["nothing"]}, **HTMX)

    assert response["HX-Redirect"] == f"/r/{Result.objects.get().token}/"


def test_english_pages_show_the_criteria_in_english(client):
    started(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/q/record/").content.decode()

    assert (
        '<p id="progress-label"><span>Question 1</span> <span>At most 3 more questions</span></p>'
    ) in html
    assert "record? (en)" in html
    assert "none (en)" in html


@pytest.mark.parametrize(("extra_rules", "extra_questions"), [(0, 0), (400, 0), (0, 100)])
def test_query_counts_per_step_are_exact_and_do_not_grow_with_the_criteria(
    client, extra_rules, extra_questions
):
    store.replace_criteria(flow_criteria(extra_rules, extra_questions))
    started(client)
    client.get("/q/record/")  # the criteria are parsed once per process and version

    with CaptureQueriesContext(connection) as get_queries:
        client.get("/q/record/")
    with CaptureQueriesContext(connection) as post_queries:
        client.post("/q/record/", {"record": "none"})
    with CaptureQueriesContext(connection) as htmx_queries:
        client.post("/q/where/", {"where": ["sns"]}, **HTMX)

    # The assessment, the newest criteria version, and the saved answers.
    assert len(get_queries) == 2
    assert len(post_queries) == 3
    assert len(htmx_queries) == 3


def test_the_completing_step_costs_seven_queries_and_one_commit(client):
    started(client)
    client.post("/q/record/", {"record": "strong"})
    client.post("/q/likes/", {"likes": "3"})

    with CaptureQueriesContext(connection) as queries:
        response = client.post("/q/met/", {"met": ["nothing"]})
    statements = [q["sql"].split()[0].upper() for q in queries]
    counted_at = next(i for i, q in enumerate(queries) if "quiz_ratelimit" in q["sql"])

    # The assessment and the newest version read, then one transaction (a savepoint inside
    # the test's own): the result, the assessment, and the rate limit counted last, so its row
    # is locked only for the commit.
    assert response.status_code == 302
    assert statements == ["SELECT", "SELECT", "SAVEPOINT", "INSERT", "UPDATE", "INSERT", "RELEASE"]
    assert counted_at == 5


@pytest.mark.parametrize(("setting", "limit"), [("RATE_LIMIT_STARTS_PER_HOUR", 3)])
def test_starting_is_rate_limited_per_client_with_a_readable_429(client, settings, setting, limit):
    setattr(settings, setting, limit)
    for _ in range(limit):
        assert client.post("/start/").status_code == 302

    response = client.post("/start/")
    other_client = Client(REMOTE_ADDR="192.0.2.7").post("/start/")

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "少し時間をおいてください" in response.content.decode()
    assert other_client.status_code == 302
    assert Assessment.objects.count() == limit + 1


def test_completing_results_is_rate_limited_and_keeps_progress(client, settings):
    settings.RATE_LIMIT_RESULTS_PER_HOUR = 0
    assessment = started(client)
    client.post("/q/record/", {"record": "strong"})
    client.post("/q/likes/", {"likes": "3"})

    response = client.post("/q/met/", {"met": ["nothing"]})

    assert response.status_code == 429
    assessment.refresh_from_db()
    assert assessment.completed_at is None
    assert assessment.answers == {"record": "strong", "likes": 3, "met": ["nothing"]}
    assert Result.objects.count() == 0
    settings.RATE_LIMIT_RESULTS_PER_HOUR = 100
    assert client.post("/q/met/", {"met": ["nothing"]}).status_code == 302
    assert Result.objects.count() == 1


def test_no_raw_address_is_stored(client):
    from quiz.models import RateLimit

    Client(REMOTE_ADDR="203.0.113.9").post("/start/")

    keys = list(RateLimit.objects.values_list("key", flat=True))
    assert len(keys) == 1
    assert "203.0.113.9" not in keys[0]
    assert len(keys[0]) == 64


def renderings(response: Any) -> int:
    return sum(t.name == "quiz/step.html" for t in response.templates)


def test_each_person_gets_their_own_resume_link(client):
    first = started(client)
    other = Client()
    second = started(other)

    mine = client.get("/q/record/")
    theirs = other.get("/q/record/")

    assert f"/resume/{first.token}/" in mine.content.decode()
    assert f"/resume/{second.token}/" in theirs.content.decode()
    assert first.token not in theirs.content.decode()


def test_a_step_shows_what_this_person_ticked(client):
    started(client)
    client.post("/q/record/", {"record": "none"})
    other = Client()
    started(other)
    other.post("/q/record/", {"record": "none"})
    other.post("/q/where/", {"where": ["sns"]})

    blank = client.get("/q/where/").content.decode()
    ticked = other.get("/q/where/").content.decode()
    blank_again = client.get("/q/where/").content.decode()

    assert 'value="sns">' in blank
    assert 'value="sns" checked' in ticked
    assert blank_again.count("checked") == 0


def test_a_step_and_its_htmx_swap_are_told_apart(client):
    started(client)
    client.get("/q/record/")

    swap = client.get("/q/record/", **HTMX).content.decode()
    page = client.get("/q/record/").content.decode()

    assert swap.strip().startswith('<div id="step"')
    assert page.startswith("<!doctype html>")


def test_a_step_shows_the_criteria_as_they_are_now(client):
    started(client)
    assert "実績はありますか?" not in client.get("/q/record/").content.decode()
    changed = flow_criteria()
    changed["questions"][0].update(f.texts("text", "実績はありますか?", "Any track record?"))
    store.replace_criteria(changed)

    assert "実績はありますか?" in client.get("/q/record/").content.decode()


def test_home_offers_someone_half_way_to_continue_where_they_are(client):
    fresh = Client()
    assessment = started(client)
    client.post("/q/record/", {"record": "none"})

    half_way = client.get("/").content.decode()

    # Continuing is the main action, with how far they came; starting over asks first.
    assert '<a class="button" href="/q/where/">続きから（1/4問回答済み）</a>' in half_way
    assert '<a class="button secondary" href="/start/again/">最初からやり直す</a>' in half_way
    assert assessment.token not in half_way
    assert "続きから" not in fresh.get("/").content.decode()
