"""quiz.engine.answers: conditions on missing answers, branching, and checking an answer set."""

from __future__ import annotations

from quiz import engine
from tests import factories as f
from tests.engine_criteria import build


def test_unanswered_question_fails_chosen_and_comparisons_but_passes_not_chosen():
    answers: dict[str, engine.AnswerValue] = {}

    assert engine.condition_holds(engine.Condition("q", "chosen", ("a",)), answers) is False
    assert engine.condition_holds(engine.Condition("q", "not_chosen", ("a",)), answers) is True
    assert engine.condition_holds(engine.Condition("q", "gte", (), 0), answers) is False
    assert engine.condition_holds(engine.Condition("q", "lte", (), 9), answers) is False


def branching_criteria() -> engine.Criteria:
    return build(
        f.criteria(
            questions=[
                f.question("where", "multiple", choices=["mixers", "sns", "nowhere"]),
                f.question(
                    "outcome",
                    choices=["work", "nothing"],
                    show_if={"match": "all", "conditions": [f.chosen("where", "mixers")]},
                ),
                f.question(
                    "cards",
                    choices=["one", "two"],
                    show_if={"match": "all", "conditions": [f.chosen("outcome", "nothing")]},
                ),
                f.question("time", choices=["none", "plenty"]),
            ],
            rules=[
                f.rule("stop", [f.chosen("outcome", "nothing")], strategy="stop"),
                f.rule("base", [], strategy="base"),
            ],
            strategies=[f.strategy("stop"), f.strategy("base")],
        )
    )


def test_display_conditions_open_a_chain_of_questions():
    criteria = branching_criteria()
    answers: dict[str, engine.AnswerValue] = {"where": ("mixers",), "outcome": "nothing"}

    assert [q.slug for q in engine.visible_questions(criteria, answers)] == [
        "where",
        "outcome",
        "cards",
        "time",
    ]


def test_changing_an_earlier_answer_drops_every_answer_it_hides():
    criteria = branching_criteria()
    answers: dict[str, engine.AnswerValue] = {
        "where": ("sns",),
        "outcome": "nothing",
        "cards": "two",
        "time": "none",
    }

    assert [q.slug for q in engine.visible_questions(criteria, answers)] == ["where", "time"]
    assert engine.effective_answers(criteria, answers) == {"where": ("sns",), "time": "none"}
    assert [r.slug for r in engine.evaluate(criteria, answers).recommendations] == ["base"]


def test_check_answers_reports_unknown_and_missing_questions():
    criteria = branching_criteria()

    _, unknown = engine.check_answers(criteria, {"where": ["sns"], "time": "none", "nope": "x"})
    answers, missing = engine.check_answers(criteria, {"where": ["mixers"], "time": "none"})

    assert [(e.question, e.code) for e in unknown] == [("nope", "unknown_question")]
    assert [(e.question, e.code) for e in missing] == [("outcome", "required")]
    assert answers == {"where": ("mixers",), "time": "none"}


def test_check_answers_ignores_answers_to_hidden_questions():
    criteria = branching_criteria()

    answers, errors = engine.check_answers(
        criteria, {"where": ["sns"], "outcome": "nothing", "time": "plenty"}
    )

    assert errors == []
    assert answers == {"where": ("sns",), "time": "plenty"}
