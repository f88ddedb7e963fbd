"""quiz.engine.format: the interchange format read and written."""

from __future__ import annotations

from typing import Any

from quiz import engine
from tests import factories as f
from tests.engine_criteria import build, every_feature


def test_the_interchange_format_round_trips():
    criteria = build(
        f.criteria(
            questions=branching_criteria_dict_questions(),
            rules=[
                f.rule("base", [f.chosen("where", "sns")], strategy="s"),
                f.rule(
                    "not-for-mixers",
                    [f.chosen("where", "mixers")],
                    strategy="s",
                    effect="exclude",
                    weight=0,
                ),
            ],
            strategies=[f.strategy("s")],
        )
    )

    assert engine.criteria_from_dict(engine.criteria_to_dict(criteria)) == criteria
    assert engine.criteria_to_dict(criteria)["rules"][1]["effect"] == "exclude"


def branching_criteria_dict_questions() -> list[dict[str, Any]]:
    return [
        f.question("where", "multiple", choices=["mixers", "sns"]),
        {
            **f.question("likes", "scale", min=1, max=5, dimension="record", points_per_step=10),
            **f.texts("min_label", "嫌い"),
            **f.texts("max_label", "好き"),
        },
        f.question(
            "outcome",
            show_if={
                "match": "any",
                "conditions": [f.chosen("where", "mixers"), f.compare("likes", "gte", 4)],
            },
        ),
    ]


def test_what_an_op_does_not_use_is_not_kept():
    data = every_feature()
    data["rules"][0]["conditions"][0]["value"] = 3
    data["rules"][1]["conditions"][0]["choices"] = ["a"]

    criteria = build(data)

    assert criteria.rules[0].when.conditions[0] == engine.Condition("where", "chosen", ("mixers",))
    assert criteria.rules[1].when.conditions[0] == engine.Condition("likes", "lte", (), 2)


def test_steps_are_read_stripped_as_the_tables_keep_them():
    data = f.criteria(
        questions=[f.question("record", choices=["none", "strong"])],
        rules=[f.rule("r", [f.chosen("record", "none")], strategy="s")],
        strategies=[{**f.strategy("s"), "steps_ja": [" 一歩 "], "steps_en": ["step\t"]}],
    )

    assert engine.criteria_from_dict(data).strategy("s").steps == (engine.Text("一歩", "step"),)
