"""step.html's `question` partial draws each kind of question with the partial its kind names:
radios for one choice, checkboxes and a hint for several, a row of numbers for a scale."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import translation

from quiz import engine
from quiz.question_page import Step, question_context
from tests import factories as f
from tests.engine_criteria import build

CRITERIA = build(
    f.criteria(
        questions=[
            f.question("one", choices=["x", "y"]),
            f.question("many", "multiple", choices=["a", "b", "c"], max_choices=2),
            f.question("likes", "scale", min=1, max=4),
        ],
        rules=[f.rule("base", [], strategy="s")],
        strategies=[f.strategy("s")],
    )
)


def inputs(slug: str, answers: dict[str, engine.AnswerValue]) -> tuple[list[str], str]:
    question = CRITERIA.questions_by_slug[slug]
    flow = engine.progress(CRITERIA, answers)
    with translation.override("ja"):
        html = render_to_string(
            "quiz/step.html#question",
            question_context(CRITERIA, Step(flow, question)),
        )
    return re.findall(r"<input [^>]*>", html), html


def test_one_choice_is_radios():
    found, html = inputs("one", {"one": "y"})

    assert found == [
        '<input type="radio" name="one" value="x">',
        '<input type="radio" name="one" value="y" checked>',
    ]
    assert 'class="hint"' not in html
    assert 'class="scale"' not in html


def test_several_choices_are_checkboxes_with_how_many():
    found, html = inputs("many", {"one": "x", "many": ("a", "c")})

    assert found == [
        '<input type="checkbox" name="many" value="a" checked>',
        '<input type="checkbox" name="many" value="b">',
        '<input type="checkbox" name="many" value="c" checked>',
    ]
    assert '<p class="hint">2つまで選べます。</p>' in html


def test_a_scale_is_a_row_of_numbers():
    found, html = inputs("likes", {"one": "x", "many": ("a",), "likes": 3})

    assert found == [
        '<input type="radio" name="likes" value="1">',
        '<input type="radio" name="likes" value="2">',
        '<input type="radio" name="likes" value="3" checked>',
        '<input type="radio" name="likes" value="4">',
    ]
    assert 'class="scale"' in html
    assert 'class="choices"' not in html
