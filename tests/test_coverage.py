"""Coverage on small criteria, checked exhaustively: catch-alls, exclusions that change nothing,
and rules whose strategy an exclusion always keeps out."""

from __future__ import annotations

from quiz import coverage, engine
from tests import factories as f


def report(rules: list[dict[str, object]]) -> coverage.Report:
    data = f.criteria(
        questions=[
            f.question("likes", "scale", min=1, max=5),
            f.question("record", choices=["none", "strong"]),
        ],
        rules=rules,
        strategies=[f.strategy("events"), f.strategy("online"), f.strategy("build")],
    )
    return coverage.check(engine.criteria_from_dict(data))


BASE = [
    f.rule("likes-events", [f.compare("likes", "gte", 4)], strategy="events"),
    f.rule("shy-online", [f.compare("likes", "lte", 3)], strategy="online"),
    f.rule("no-record-build", [f.chosen("record", "none")], strategy="build"),
]


def test_criteria_that_answer_every_answer_set_have_no_problems():
    checked = report(BASE)

    assert (checked.mode, checked.tried) == ("exhaustive", 10)
    assert checked.problems == []


def test_a_rule_without_conditions_is_a_catch_all():
    checked = report([*BASE, f.rule("always-build", [], strategy="build")])

    assert checked.problems == [
        "rule always-build adds to its strategy for every answer set: a catch-all is not advice"
    ]


def test_a_rule_whose_conditions_always_hold_is_a_catch_all_too():
    always = f.rule("any-likes", [f.compare("likes", "gte", 1)], strategy="online")

    assert report([*BASE, always]).catch_alls == ["any-likes"]


def test_an_exclusion_that_only_meets_strategies_without_score_is_idle():
    idle = f.rule(
        "shy-no-events", [f.compare("likes", "lte", 2)], strategy="events", effect="exclude"
    )

    assert report([*BASE, idle]).problems == [
        "rule shy-no-events excludes its strategy only when it has no score anyway: "
        "it never changes a result"
    ]


def test_an_exclusion_that_keeps_a_scored_strategy_out_is_no_problem():
    exclusion = f.rule(
        "strong-no-build", [f.chosen("record", "strong")], strategy="build", effect="exclude"
    )
    build_anyway = f.rule("shy-build", [f.compare("likes", "lte", 2)], strategy="build")

    assert report([*BASE, build_anyway, exclusion]).problems == []


def test_a_rule_whose_strategy_is_always_excluded_when_it_fires_is_shadowed():
    strong_build = f.rule("strong-build", [f.chosen("record", "strong")], strategy="build")
    exclusion = f.rule(
        "strong-no-build", [f.chosen("record", "strong")], strategy="build", effect="exclude"
    )

    assert report([*BASE, strong_build, exclusion]).problems == [
        "rule strong-build fires, but its strategy is never shown then: a contradicting one wins, "
        "or a rule excludes it"
    ]
