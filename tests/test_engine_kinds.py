"""quiz.engine.kinds: each kind of question in its one home: parsing and checking one answer,
the answers it can take, describing and scoring one, and the partial that draws it."""

from __future__ import annotations

import pytest
from django.conf import settings

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


def question(slug: str) -> engine.Question:
    return next(q for q in answer_question() if q.slug == slug)


def test_every_kind_has_one_home_and_a_partial_in_the_step_page():
    step = (settings.BASE_DIR / "templates" / "quiz" / "step.html").read_text()

    assert tuple(engine.KIND_OF) == engine.KINDS
    assert [
        (k.name, k.partial, k.input_type, k.many, k.numeric) for k in engine.KIND_OF.values()
    ] == [
        ("single", "choices", "radio", False, False),
        ("multiple", "choices", "checkbox", True, False),
        ("scale", "scale", "radio", False, True),
    ]
    for kind in engine.KIND_OF.values():
        assert f"{{% partialdef {kind.partial} %}}" in step
    assert [engine.kind_of(question(slug)).name for slug in ("q", "s", "one")] == [
        "multiple",
        "scale",
        "single",
    ]


def test_every_answer_each_kind_can_take():
    assert engine.kind_of(question("one")).every_answer(question("one")) == ["x", "y"]
    assert engine.kind_of(question("s")).every_answer(question("s")) == [1, 2, 3, 4, 5]
    assert engine.kind_of(question("q")).every_answer(question("q")) == [
        ("none",),
        ("a",),
        ("b",),
        ("c",),
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
    ]
    assert engine.kind_of(question("s")).scale(question("s")) == range(1, 6)
    assert engine.kind_of(question("q")).scale(question("q")) == range(0)


def test_the_answers_that_tell_conditions_apart():
    scale = question("s")
    near_three = [engine.Condition("s", "gte", (), 3)]
    choices = question("q")
    on_a = [engine.Condition("q", "chosen", ("a",))]

    assert engine.kind_of(scale).candidates(scale, near_three) == [1, 2, 3, 4, 5]
    assert engine.kind_of(scale).candidates(scale, [engine.Condition("s", "eq", (), 5)]) == [
        1,
        4,
        5,
    ]
    # b and c meet the same conditions (none), and a set with a meets what a alone meets.
    assert engine.kind_of(choices).candidates(choices, on_a) == [("none",), ("a",), ("b",)]
    assert engine.kind_of(question("one")).candidates(question("one"), []) == ["x", "y"]


def test_an_answer_described_and_scored_by_its_kind():
    data = f.criteria(
        questions=[
            f.question("likes", "scale", min=1, max=5, dimension="record", points_per_step=30),
            {
                **f.question("met", "multiple"),
                "choices": [f.choice("a", {"record": 7}), f.choice("b")],
            },
        ],
        rules=[f.rule("base", [], strategy="s")],
        strategies=[f.strategy("s")],
    )
    likes, met = build(data).questions

    assert engine.describe_answer(likes, 4) == engine.Text("4", "4")
    assert engine.describe_answer(met, ("a", "b")) == engine.Text("a、b", "a (en), b (en)")
    assert list(engine.kind_of(likes).points(likes, 4)) == [("record", 90)]
    assert list(engine.kind_of(met).points(met, ("a", "b"))) == [("record", 7)]
    assert list(engine.kind_of(met).points(met, "b")) == []
