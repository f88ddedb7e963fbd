"""Answers for a new required question, given to every test case on one screen
(quiz.admin_drafts.missing_answers)."""

from __future__ import annotations

import re

import pytest

from quiz.models import Choice, CriteriaTestCase, Question
from tests import factories as f
from tests.admin_pages import page

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def add_required_question() -> Question:
    question = Question.objects.create(
        slug="new-required",
        kind="single",
        label_ja="新しい質問",
        label_en="New question",
        text_ja="新しい質問です。",
        text_en="A new question.",
        required=True,
        position=999,
    )
    for i, slug in enumerate(["yes", "no"]):
        Choice.objects.create(
            question=question, slug=slug, label_ja=slug, label_en=slug, position=i
        )
    return question


def test_a_new_required_question_is_answered_for_every_case_on_one_screen(editor):
    CriteriaTestCase.objects.create(slug="one", name="一人目", answers=f.personas()[0]["answers"])
    CriteriaTestCase.objects.create(slug="two", name="二人目", answers=f.personas()[1]["answers"])
    add_required_question()

    draft = page(editor, "/admin/tools/draft/")
    html = page(editor, "/admin/tools/test-cases/answers/")
    editor.post(
        "/admin/tools/test-cases/answers/", {"one:new-required": "yes", "two:new-required": "no"}
    )

    assert "/admin/tools/test-cases/answers/" in draft
    assert re.findall(r'name="(\w+:new-required)" value="(\w+)"', html) == [
        ("one:new-required", "yes"),
        ("one:new-required", "no"),
        ("two:new-required", "yes"),
        ("two:new-required", "no"),
    ]
    assert CriteriaTestCase.objects.get(slug="one").answers["new-required"] == "yes"
    assert CriteriaTestCase.objects.get(slug="two").answers["new-required"] == "no"
    assert 'id="no-missing-answers"' in page(editor, "/admin/tools/test-cases/answers/")


def test_an_answer_that_is_not_a_choice_is_not_saved(editor):
    CriteriaTestCase.objects.create(slug="one", name="一人目", answers=f.personas()[0]["answers"])
    add_required_question()

    editor.post("/admin/tools/test-cases/answers/", {"one:new-required": "maybe"})

    assert "new-required" not in CriteriaTestCase.objects.get(slug="one").answers


def test_an_answer_that_does_not_fit_is_explained_and_nothing_is_saved(editor):
    CriteriaTestCase.objects.create(slug="one", name="一人目", answers=f.personas()[0]["answers"])
    CriteriaTestCase.objects.create(slug="two", name="二人目", answers=f.personas()[1]["answers"])
    add_required_question()

    response = editor.post(
        "/admin/tools/test-cases/answers/", {"one:new-required": "yes", "two:new-required": "maybe"}
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="missing-answers-errors"' in html
    assert "<li>「maybe」はこの質問の選択肢ではありません。</li>" in html
    # What was chosen for the first case is still chosen.
    assert re.search(r'name="one:new-required" value="yes"[^>]* checked', html)
    assert "new-required" not in CriteriaTestCase.objects.get(slug="one").answers


def test_a_scale_question_is_answered_with_a_number_in_its_range(editor):
    CriteriaTestCase.objects.create(slug="one", name="一人目", answers=f.personas()[0]["answers"])
    Question.objects.create(
        slug="new-scale",
        kind="scale",
        label_ja="新しい目盛り",
        label_en="New scale",
        text_ja="新しい目盛りです。",
        text_en="A new scale.",
        required=True,
        position=999,
        scale_min=1,
        scale_max=5,
        min_label_ja="低い",
        min_label_en="Low",
        max_label_ja="高い",
        max_label_en="High",
    )

    html = page(editor, "/admin/tools/test-cases/answers/")
    refused = editor.post("/admin/tools/test-cases/answers/", {"one:new-scale": "9"})
    editor.post("/admin/tools/test-cases/answers/", {"one:new-scale": "4"})

    assert re.search(r'<input type="number" name="one:new-scale" min="1" max="5"', html)
    assert "1〜5の数" in html
    assert refused.status_code == 422
    assert "1から5の間で選んでください。" in refused.content.decode()
    assert CriteriaTestCase.objects.get(slug="one").answers["new-scale"] == 4


def test_an_answer_that_does_not_fit_is_explained_in_english_to_an_english_admin(editor, settings):
    CriteriaTestCase.objects.create(slug="one", name="一人目", answers=f.personas()[0]["answers"])
    add_required_question()
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = editor.post("/admin/tools/test-cases/answers/", {"one:new-required": "x" * 500})

    html = response.content.decode()
    assert response.status_code == 422
    assert f"<li>&quot;{'x' * 40}…&quot; is not a choice of this question.</li>" in html
    assert "The answers were not saved. Please fix the problems below" in html
