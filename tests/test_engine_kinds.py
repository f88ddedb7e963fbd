"""quiz.engine.kinds: each kind of question parsing and checking one answer."""

from __future__ import annotations

import pytest

from quiz import engine
from tests import factories as f
from tests.engine_criteria import build


def answer_question() -> tuple[engine.Question, ...]:
    data = f.criteria(
        questions=[
            {
                **f.question("q", "multiple"),
                "max_choices": 2,
                "choices": [
                    f.choice("a"),
                    f.choice("b"),
                    f.choice("c"),
                    f.choice("none", exclusive=True),
                ],
            },
            f.question("s", "scale", min=1, max=5),
            f.question("one", choices=["x", "y"]),
        ],
        rules=[f.rule("base", [], strategy="s")],
        strategies=[f.strategy("s")],
    )
    return build(data).questions


@pytest.mark.parametrize(
    ("slug", "raw", "expected"),
    [
        ("q", ["a", "b"], ("a", "b")),
        ("q", ["a", "a", "b"], ("a", "b")),
        ("q", ["none"], ("none",)),
        ("s", ["1"], 1),
        ("s", [" 5 "], 5),
        ("one", ["y"], "y"),
    ],
)
def test_parse_answer_accepts(slug, raw, expected):
    question = next(q for q in answer_question() if q.slug == slug)

    assert engine.parse_answer(question, raw) == expected


@pytest.mark.parametrize(
    ("slug", "raw", "code", "message_ja"),
    [
        ("q", [], "required", "この質問に答えてください。"),
        ("q", ["", " "], "required", "この質問に答えてください。"),
        ("q", ["a", "b", "c"], "too_many", "選べるのは2つまでです。"),
        ("q", ["a", "none"], "exclusive", "「none」は他の選択肢と一緒には選べません。"),
        ("q", ["zzz"], "unknown_choice", "「zzz」はこの質問の選択肢ではありません。"),
        ("s", ["0"], "out_of_range", "1から5の間で選んでください。"),
        ("s", ["6"], "out_of_range", "1から5の間で選んでください。"),
        ("s", ["2.5"], "not_integer", "整数を選んでください。"),
        ("s", ["1", "2"], "single_value", "選択肢は1つだけ選んでください。"),
        ("one", ["x", "y"], "single_value", "選択肢は1つだけ選んでください。"),
        ("one", ["a"], "unknown_choice", "「a」はこの質問の選択肢ではありません。"),
    ],
)
def test_parse_answer_refuses(slug, raw, code, message_ja):
    question = next(q for q in answer_question() if q.slug == slug)

    error = engine.parse_answer(question, raw)

    assert isinstance(error, engine.AnswerError)
    assert (error.question, error.code, error.message.ja) == (slug, code, message_ja)


def test_the_exclusive_error_names_the_choice_in_each_language():
    data = f.criteria(
        questions=[
            {
                **f.question("q", "multiple"),
                "choices": [
                    f.choice("a"),
                    {**f.choice("none", exclusive=True), "label_ja": "なし", "label_en": "None"},
                ],
            }
        ],
        rules=[f.rule("base", [], strategy="s")],
        strategies=[f.strategy("s")],
    )

    error = engine.parse_answer(build(data).questions[0], ["a", "none"])

    assert isinstance(error, engine.AnswerError)
    assert error.message == engine.Text(
        "「なし」は他の選択肢と一緒には選べません。",
        '"None" cannot be combined with other options.',
    )
