"""The admin's preview (quiz.admin_views.preview): the public questionnaire and result body, on the
draft, storing nothing."""

from __future__ import annotations

import io
import json
import re
from html import escape

import pytest
from django.core.management import call_command
from django.test import Client

from quiz.models import Assessment, CriteriaTestCase, CriteriaVersion, Result
from tests import factories as f
from tests.admin_pages import bad_case, hidden, page, retitle
from tests.factories import STEP_POSTS as ANSWERS
from tests.factories import main_of, take

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def walk_preview(client: Client, url: str = "/admin/tools/preview/") -> tuple[list[str], str]:
    """Answers the preview's questions one at a time, as an editor would; returns the questions
    asked, in order, and the final page."""
    answers = {k: v for _, data in ANSWERS for k, v in data.items()}
    html = client.get(url).content.decode()
    asked = []
    while (slug := hidden(html, "question")) is not None:
        asked.append(slug)
        data = {"answers": hidden(html, "answers"), "question": slug, slug: answers[slug]}
        response = client.post(url, data)
        assert response.status_code == 200, slug
        html = response.content.decode()
        assert len(asked) < 50
    return asked, html


def test_preview_asks_the_questions_one_by_one_in_the_public_order(superuser):
    public_order = [slug for slug, _ in ANSWERS]

    asked, html = walk_preview(superuser)

    assert asked == public_order
    assert '<article class="result">' in html
    assert "<fieldset" not in html


def test_preview_shows_each_question_with_the_public_form_markup(superuser, client):
    public = Client()
    public.post("/start/")
    public_html = public.get("/q/work-style/").content.decode()

    preview_html = superuser.get("/admin/tools/preview/").content.decode()

    def fieldset(html: str) -> str:
        return html[html.index("<fieldset") : html.index("</fieldset>")]

    assert fieldset(preview_html) == fieldset(public_html)


def test_preview_equals_the_public_result_for_the_same_answers(superuser):
    public = Client()
    result = take(public)
    public_body = main_of(public.get(f"/r/{result.token}/details/").content.decode())

    _, html = walk_preview(superuser)

    preview_body = html[html.index('<article class="result">') + len('<article class="result">') :]
    preview_body = preview_body[: preview_body.index("</article>")]

    def cards(body: str) -> list[str]:
        return re.findall(r'<div class="(?:strategy|warning)-card[^"]*" id="([^"]+)">', body)

    assert cards(preview_body) == cards(public_body)
    # The owner's details show the answers and reasons, as the preview does: the whole body matches.
    # The public page adds the share block after the type (the preview has nothing to share) and
    # the owner's settings after the body.
    whole_public = public_body[public_body.index('<section class="at-a-glance"') :]
    whole_public = whole_public[: whole_public.index('<section class="share-settings')]
    whole_public = re.sub(
        r'<section class="share no-print".*?</section>', "", whole_public, flags=re.S
    )
    assert whole_public.strip() == preview_body.strip()
    assert CriteriaVersion.objects.count() == 1


def test_preview_stores_nothing(superuser):
    before = (Assessment.objects.count(), Result.objects.count())

    walk_preview(superuser)

    assert (Assessment.objects.count(), Result.objects.count()) == before == (0, 0)


def test_preview_in_english(superuser):
    asked, html = walk_preview(superuser, "/admin/tools/preview/?lang=en")

    assert len(asked) == len(ANSWERS)
    assert "Build a track record and a portfolio first" in html


def test_preview_can_go_back_and_switch_language_keeping_the_answers(superuser):
    url = "/admin/tools/preview/"
    first = superuser.get(url).content.decode()
    second = superuser.post(
        url,
        {"answers": hidden(first, "answers"), "question": "work-style", "work-style": "freelance"},
    ).content.decode()
    assert hidden(second, "question") == "track-record"

    back = superuser.post(
        url, {"answers": hidden(second, "answers"), "question": "track-record", "back": "1"}
    ).content.decode()
    english = superuser.post(
        url + "?lang=en",
        {"answers": hidden(second, "answers"), "question": "track-record", "stay": "1"},
    ).content.decode()

    assert hidden(back, "question") == "work-style"
    assert 'value="freelance" checked' in back
    assert hidden(english, "question") == "track-record"
    assert json.loads(hidden(english, "answers") or "") == {"work-style": "freelance"}
    assert 'lang="en"' in english


def test_a_preview_answer_that_does_not_fit_is_shown_again_with_its_message(superuser):
    first = superuser.get("/admin/tools/preview/").content.decode()

    response = superuser.post(
        "/admin/tools/preview/",
        {"answers": hidden(first, "answers"), "question": "work-style", "work-style": "nope"},
    )

    assert response.status_code == 422
    assert hidden(response.content.decode(), "question") == "work-style"
    assert 'class="error"' in response.content.decode()


def test_unreadable_preview_answers_are_a_readable_400(superuser):
    response = superuser.post("/admin/tools/preview/", {"answers": "{not json", "question": "x"})

    assert response.status_code == 400
    assert "回答を読み取れませんでした" in response.content.decode()
    assert superuser.get("/admin/tools/preview/?case=no-such-case").status_code == 404


def test_a_test_case_opens_in_the_preview(superuser):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    case = CriteriaTestCase.objects.order_by("slug").first()
    assert case is not None

    html = superuser.get(f"/admin/tools/preview/?case={case.slug}").content.decode()

    assert '<article class="result">' in html
    assert json.loads(hidden(html, "answers") or "") == case.answers


def test_a_test_case_that_cannot_run_opens_in_the_preview_with_the_reason(superuser):
    bad_case(answers=["track-record", "none"])

    response = superuser.get("/admin/tools/preview/?case=bad")

    html = response.content.decode()
    assert response.status_code == 200
    assert "このテストケースは失敗しています。" in html
    assert escape("回答: 質問の識別子をキーにした JSON オブジェクトにしてください。") in html
    assert hidden(html, "question") == ANSWERS[0][0]


def test_the_preview_runs_on_the_draft(editor):
    retitle("プレビューで見える題")
    answers = json.dumps(f.personas()[0]["answers"], ensure_ascii=False)

    CriteriaTestCase.objects.create(slug="walk", name="歩く", answers=json.loads(answers))
    html = page(editor, "/admin/tools/preview/?case=walk")

    assert "プレビューで見える題" in html
