"""Criteria the engine tests share: built from the factories' dicts."""

from __future__ import annotations

from typing import Any, cast

from quiz import engine
from tests import factories as f


def build(data: dict[str, Any]) -> engine.Criteria:
    return engine.criteria_from_dict(data)


def ranking_criteria(rules_reversed: bool = False) -> dict[str, Any]:
    rules = [
        f.rule("a-3", [], strategy="a", weight=3),
        f.rule("b-3", [], strategy="b", weight=3),
        f.rule("c-5", [f.chosen("q", "a")], strategy="c", weight=5),
        f.rule("d-1", [], strategy="d", weight=1),
    ]
    return f.criteria(
        questions=[f.question("q")],
        rules=list(reversed(rules)) if rules_reversed else rules,
        strategies=[
            f.strategy("a", priority=10, contradicts=["b"]),
            f.strategy("b", priority=20),
            f.strategy("c", priority=0, contradicts=["d"]),
            f.strategy("d", priority=99),
        ],
    )


def every_feature() -> dict[str, Any]:
    """Valid criteria with a field of every kind: scale, multiple choice, display condition,
    scores, a warning."""
    return f.criteria(
        questions=[
            f.question("likes", "scale", min=1, max=5, dimension="record", points_per_step=10),
            {
                **f.question("where", "multiple", choices=["mixers", "sns"], max_choices=2),
                "show_if": {"match": "all", "conditions": [f.compare("likes", "gte", 2)]},
            },
        ],
        rules=[
            f.rule("go", [f.chosen("where", "mixers")], strategy="s"),
            f.rule("careful", [f.compare("likes", "lte", 2)], warning="w"),
        ],
        strategies=[f.strategy("s")],
        warnings=[f.warning("w")],
    )


def at(data: dict[str, Any], path: str) -> dict[str, Any]:
    """The item at `kind.index` (or `kind.index.field.index`) in `data`, to change in a test."""
    node: Any = data
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else node[part]
    return cast(dict[str, Any], node)
