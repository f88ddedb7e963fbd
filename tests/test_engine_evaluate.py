"""quiz.engine.evaluate: scale and choice conditions at their boundaries, profiles, ranking,
contradictions, exclusions, warnings and the reasons that cite answers."""

from __future__ import annotations

from typing import Any

import pytest

from quiz import engine
from tests import factories as f
from tests.engine_criteria import build, ranking_criteria


def scale_criteria() -> engine.Criteria:
    return build(
        f.criteria(
            questions=[
                f.question("likes", "scale", min=1, max=5, dimension="record", points_per_step=30)
            ],
            rules=[
                f.rule("at-least-4", [f.compare("likes", "gte", 4)], strategy="events"),
                f.rule("at-most-2", [f.compare("likes", "lte", 2)], strategy="online"),
                f.rule("exactly-3", [f.compare("likes", "eq", 3)], strategy="middle"),
            ],
            strategies=[f.strategy("events"), f.strategy("online"), f.strategy("middle")],
        )
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, ["online"]), (2, ["online"]), (3, ["middle"]), (4, ["events"]), (5, ["events"])],
)
def test_scale_comparisons_at_their_boundaries(value, expected):
    result = engine.evaluate(scale_criteria(), {"likes": value})

    assert [r.slug for r in result.recommendations] == expected


@pytest.mark.parametrize(("value", "points"), [(1, 0), (2, 30), (4, 90), (5, 100)])
def test_scale_points_are_clamped_to_100(value, points):
    assert engine.evaluate(scale_criteria(), {"likes": value}).profile == {"record": points}


def test_choice_scores_clamp_at_both_ends():
    data = f.criteria(
        questions=[
            {
                **f.question("q", "multiple"),
                "choices": [
                    f.choice("big", {"record": 99}),
                    f.choice("one", {"record": 1}),
                    f.choice("more", {"record": 1}),
                    f.choice("minus", {"record": -120}),
                ],
            },
        ],
        rules=[f.rule("always", [], strategy="s")],
        strategies=[f.strategy("s")],
    )
    criteria = build(data)

    assert engine.profile_of(criteria, {"q": ("big", "one")}) == {"record": 100}
    assert engine.profile_of(criteria, {"q": ("big", "one", "more")}) == {"record": 100}
    assert engine.profile_of(criteria, {"q": ("big",)}) == {"record": 99}
    assert engine.profile_of(criteria, {"q": ("minus", "big")}) == {"record": 0}
    assert engine.profile_of(criteria, {}) == {"record": 0}


def choice_criteria(match: str) -> engine.Criteria:
    return build(
        f.criteria(
            questions=[
                f.question("single", choices=["a", "b", "c"]),
                f.question("multi", "multiple", choices=["x", "y", "z"]),
            ],
            rules=[
                f.rule(
                    "r",
                    [f.chosen("single", "a", "b"), f.not_chosen("multi", "z")],
                    match=match,
                    strategy="s",
                ),
                f.rule("fallback", [], strategy="fallback"),
            ],
            strategies=[f.strategy("s"), f.strategy("fallback")],
        )
    )


@pytest.mark.parametrize(
    ("match", "answers", "fires"),
    [
        ("all", {"single": "a", "multi": ("x",)}, True),
        ("all", {"single": "b", "multi": ("x", "y")}, True),
        ("all", {"single": "c", "multi": ("x",)}, False),
        ("all", {"single": "a", "multi": ("x", "z")}, False),
        ("any", {"single": "c", "multi": ("x",)}, True),
        ("any", {"single": "c", "multi": ("z",)}, False),
        ("none", {"single": "c", "multi": ("z",)}, True),
        ("none", {"single": "a", "multi": ("z",)}, False),
    ],
)
def test_condition_groups(match, answers, fires):
    result = engine.evaluate(choice_criteria(match), answers)

    assert ("s" in [r.slug for r in result.recommendations]) is fires


@pytest.mark.parametrize("rules_reversed", [False, True])
def test_contradictions_are_settled_by_score_then_priority_not_by_rule_order(rules_reversed):
    criteria = build(ranking_criteria(rules_reversed))

    result = engine.evaluate(criteria, {"q": "a"})

    assert [(r.slug, r.score) for r in result.recommendations] == [("c", 5), ("b", 3)]
    assert [r.slug for r in result.set_aside] == ["a", "d"]


def test_without_the_higher_score_the_higher_priority_wins():
    result = engine.evaluate(build(ranking_criteria()), {"q": "b"})

    assert [r.slug for r in result.recommendations] == ["b", "d"]


def test_equal_scores_without_contradiction_rank_by_priority_then_slug():
    data = f.criteria(
        questions=[f.question("q")],
        rules=[f.rule(s, [], strategy=s) for s in ("zeta", "alpha", "mid")],
        strategies=[f.strategy("zeta"), f.strategy("alpha"), f.strategy("mid", priority=5)],
    )

    result = engine.evaluate(build(data), {"q": "a"})

    assert [r.slug for r in result.recommendations] == ["mid", "alpha", "zeta"]


def test_one_point_more_outranks_any_priority_and_a_tie_goes_to_priority():
    data = f.criteria(
        questions=[f.question("likes", "scale", min=1, max=5)],
        rules=[
            f.rule("low-4", [], strategy="low", weight=4),
            f.rule("high-3", [], strategy="high", weight=3),
            f.rule("high-plus", [f.compare("likes", "gte", 4)], strategy="high", weight=1),
        ],
        strategies=[f.strategy("low", priority=0), f.strategy("high", priority=99)],
    )

    below = engine.evaluate(build(data), {"likes": 3})
    tied = engine.evaluate(build(data), {"likes": 4})

    assert [(r.slug, r.score) for r in below.recommendations] == [("low", 4), ("high", 3)]
    assert [(r.slug, r.score) for r in tied.recommendations] == [("high", 4), ("low", 4)]


def exclusion_criteria(rules_reversed: bool = False) -> dict[str, Any]:
    rules = [
        f.rule("wish-add", [f.compare("likes", "lte", 2)], strategy="wish", weight=9),
        f.rule("events-add", [], strategy="events", weight=10),
        f.rule("online-add", [], strategy="online", weight=2),
        f.rule(
            "shy-no-events", [f.compare("likes", "lte", 2)], strategy="events", effect="exclude"
        ),
        f.rule("shy-no-wish", [f.compare("likes", "lte", 2)], strategy="wish", effect="exclude"),
    ]
    return f.criteria(
        questions=[f.question("likes", "scale", min=1, max=5)],
        rules=list(reversed(rules)) if rules_reversed else rules,
        strategies=[
            f.strategy("events", priority=50, contradicts=["online"]),
            f.strategy("online", priority=10),
            f.strategy("wish"),
        ],
    )


@pytest.mark.parametrize(
    ("likes", "shown", "excluded"),
    [(3, ["events"], []), (2, ["online"], ["events", "wish"]), (1, ["online"], ["events", "wish"])],
)
def test_an_excluding_rule_keeps_its_strategy_out_at_its_boundary_whatever_its_score(
    likes, shown, excluded
):
    result = engine.evaluate(build(exclusion_criteria()), {"likes": likes})

    assert [r.slug for r in result.recommendations] == shown
    assert [e.slug for e in result.excluded] == excluded


def test_an_excluded_strategy_does_not_push_out_the_one_it_contradicts():
    result = engine.evaluate(build(exclusion_criteria()), {"likes": 2})

    assert [(r.slug, r.score) for r in result.recommendations] == [("online", 2)]
    assert result.set_aside == ()
    assert [(e.slug, e.score) for e in result.excluded] == [("events", 10), ("wish", 9)]


@pytest.mark.parametrize("rules_reversed", [False, True])
def test_exclude_wins_over_add_on_the_same_answer_whatever_the_rule_order(rules_reversed):
    result = engine.evaluate(build(exclusion_criteria(rules_reversed)), {"likes": 1})

    (wish,) = [e for e in result.excluded if e.slug == "wish"]
    assert "wish" not in [r.slug for r in result.recommendations]
    assert [r.rule for r in wish.reasons] == ["shy-no-wish"]
    assert wish.reasons[0].matched == (
        engine.MatchedAnswer("likes", engine.Text("likes", "likes (en)"), engine.Text("1", "1")),
    )


def test_an_exclusion_lists_only_strategies_that_would_have_been_shown():
    data = exclusion_criteria()
    data["rules"] = [r for r in data["rules"] if r["slug"] != "wish-add"]

    result = engine.evaluate(build(data), {"likes": 1})

    assert [e.slug for e in result.excluded] == ["events"]


def test_warnings_rank_by_severity_then_file_order_and_carry_reasons():
    data = f.criteria(
        questions=[f.question("met", "multiple", choices=["mlm", "pitch", "odd"])],
        rules=[
            f.rule("w-odd", [f.chosen("met", "odd")], warning="odd"),
            f.rule("w-pitch", [f.chosen("met", "pitch")], warning="pitch"),
            f.rule("w-mlm", [f.chosen("met", "mlm")], warning="mlm"),
            f.rule("base", [], strategy="s"),
        ],
        strategies=[f.strategy("s")],
        warnings=[f.warning("pitch", 2), f.warning("odd", 2), f.warning("mlm", 3)],
    )

    result = engine.evaluate(build(data), {"met": ("mlm", "pitch", "odd")})

    assert [w.slug for w in result.warnings] == ["mlm", "pitch", "odd"]
    assert result.warnings[0].reasons == (
        engine.Reason(
            "w-mlm",
            engine.Text("w-mlm reason", "w-mlm reason (en)"),
            (
                engine.MatchedAnswer(
                    "met",
                    engine.Text("met", "met (en)"),
                    engine.Text("mlm、pitch、odd", "mlm (en), pitch (en), odd (en)"),
                ),
            ),
        ),
    )


def test_a_warning_from_a_heavier_rule_comes_first_whatever_its_severity():
    # A sign the person reported (weight 3) before a graver one only inferred (weight 1).
    data = f.criteria(
        questions=[
            f.question("met", "multiple", choices=["pitch", "none"]),
            f.question("shy", choices=["yes", "no"]),
        ],
        rules=[
            f.rule("w-mlm-inferred", [f.chosen("shy", "yes")], warning="mlm", weight=1),
            f.rule("w-pitch-seen", [f.chosen("met", "pitch")], warning="pitch", weight=3),
            f.rule("base", [], strategy="s"),
        ],
        strategies=[f.strategy("s")],
        warnings=[f.warning("mlm", 3), f.warning("pitch", 2)],
    )
    criteria = build(data)

    both = engine.evaluate(criteria, {"met": ("pitch",), "shy": "yes"})
    inferred_only = engine.evaluate(criteria, {"met": ("none",), "shy": "yes"})

    assert [w.slug for w in both.warnings] == ["pitch", "mlm"]
    assert [w.slug for w in inferred_only.warnings] == ["mlm"]


def test_recommendation_reasons_name_the_matched_answers_in_both_languages():
    result = engine.evaluate(scale_criteria(), {"likes": 4})

    (reason,) = result.recommendations[0].reasons
    assert reason.matched == (
        engine.MatchedAnswer("likes", engine.Text("likes", "likes (en)"), engine.Text("4", "4")),
    )
    assert reason.text.get("en") == "at-least-4 reason (en)"
