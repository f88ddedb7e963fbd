"""Result types as criteria data: validation, the interchange format, the engine's choice of a
result's type, coverage per type, and the type frozen in a result's snapshot."""

from __future__ import annotations

from typing import Any

import pytest

from quiz import coverage, engine, snapshots
from tests import factories as f


def two_types(types: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return f.criteria(
        questions=[f.question("likes", "scale", min=1, max=5)],
        rules=[
            f.rule("likes-events", [f.compare("likes", "gte", 4)], strategy="events", weight=2),
            f.rule("shy-online", [f.compare("likes", "lte", 3)], strategy="online", weight=2),
            f.rule("build-some", [f.compare("likes", "gte", 2)], strategy="build"),
        ],
        strategies=[f.strategy("events"), f.strategy("online"), f.strategy("build")],
        types=types
        if types is not None
        else [f.result_type("social", ["events"]), f.result_type("quiet", ["build", "online"])],
    )


def test_a_result_has_the_type_of_its_first_recommendation():
    criteria = engine.criteria_from_dict(two_types())

    social = engine.evaluate(criteria, {"likes": 5})
    quiet = engine.evaluate(criteria, {"likes": 2})

    assert [r.slug for r in social.recommendations] == ["events", "build"]
    assert social.result_type is not None and social.result_type.slug == "social"
    assert [r.slug for r in quiet.recommendations] == ["online", "build"]
    assert quiet.result_type is not None and quiet.result_type.slug == "quiet"


def test_a_types_strategies_follow_the_strategies_order_whatever_the_file_says():
    criteria = engine.criteria_from_dict(two_types())

    assert criteria.types_by_slug["quiet"].strategies == ("online", "build")
    assert engine.criteria_to_dict(criteria)["types"][1]["strategies"] == ["online", "build"]
    assert engine.criteria_from_dict(engine.criteria_to_dict(criteria)) == criteria


def test_a_strategy_in_no_type_is_a_problem():
    data = two_types([f.result_type("social", ["events", "online"])])

    assert engine.validate_criteria_dict(data) == [
        "strategies[build]: belongs to no type; list it in the strategies of exactly one type"
    ]


def test_a_strategy_in_two_types_or_twice_in_one_is_a_problem():
    data = two_types(
        [
            f.result_type("social", ["events", "build"]),
            f.result_type("quiet", ["online", "build", "online"]),
        ]
    )

    assert engine.validate_criteria_dict(data) == [
        "types[quiet].strategies: build is also in type social; "
        "a strategy belongs to one type only",
        "types[quiet].strategies: lists online twice",
    ]


def test_a_type_needs_texts_citations_and_known_strategies():
    empty = {**f.result_type("empty", []), "line_ja": "", "citations": []}
    unknown = f.result_type("unknown", ["events", "online", "build", "nope"])
    data = two_types([empty, unknown])

    problems = engine.criteria_problems(data)

    assert [str(p) for p in problems] == [
        "types[empty].line_ja: must not be empty",
        "types[empty].citations: needs at least one citation of a source section",
        "types[unknown].strategies: 'nope' is not a strategy",
    ]


def test_a_type_without_strategies_is_valid_and_coverage_says_nobody_gets_it():
    data = two_types([*two_types()["types"], f.result_type("new", [])])

    assert engine.criteria_problems(data) == []
    report = coverage.check(engine.criteria_from_dict(data))
    assert "type new is never given" in [str(p) for p in report.problems]


def test_coverage_counts_the_answer_sets_of_each_type():
    report = coverage.check(engine.criteria_from_dict(two_types()))

    assert (report.tried, report.per_type, report.untyped) == (5, {"social": 2, "quiet": 3}, 0)
    assert report.problems == []


def test_coverage_names_a_type_no_answer_set_gets():
    data = two_types(
        [f.result_type("social", ["events", "online"]), f.result_type("never", ["build"])]
    )

    report = coverage.check(engine.criteria_from_dict(data))

    assert report.per_type == {"social": 5, "never": 0}
    assert report.problems == ["type never is never given"]


def test_coverage_counts_answer_sets_without_a_type():
    data = two_types()
    data["rules"] = data["rules"][:1]

    report = coverage.check(engine.criteria_from_dict(data))

    assert (report.per_type, report.untyped, report.dead_ends) == (
        {"social": 2, "quiet": 0},
        3,
        3,
    )
    assert report.problems[-1] == "3 answer sets get no type"


def test_the_snapshot_keeps_the_type_and_type_of_reads_it_in_one_language():
    criteria = engine.criteria_from_dict(two_types())
    frozen = snapshots.freeze(criteria, engine.evaluate(criteria, {"likes": 5}))

    assert frozen["type"] == {
        "slug": "social",
        "name": {"ja": "social name", "en": "social name (en)"},
        "line": {"ja": "social line", "en": "social line (en)"},
        "icon": "circle-user-round",
        "colour": "#0b5c4a",
    }
    assert snapshots.type_of(frozen, "en") == {
        "slug": "social",
        "name": "social name (en)",
        "line": "social line (en)",
        "icon": "circle-user-round",
        "colour": "#0b5c4a",
    }
    assert snapshots.type_of({"recommendations": []}, "ja") is None


SHIPPED = engine.criteria_from_dict(f.shipped_criteria())


def test_the_shipped_criteria_have_nine_types_each_holding_strategies():
    assert [t.slug for t in SHIPPED.types] == [
        "record-first",
        "shima-builder",
        "purpose-first",
        "grow-alone",
        "step-away",
        "peer-ready",
        "natural-ties",
        "nominated",
        "sns-reach",
    ]
    assert sorted(s for t in SHIPPED.types for s in t.strategies) == sorted(
        s.slug for s in SHIPPED.strategies
    )


@pytest.mark.parametrize("persona", f.personas(), ids=[p["slug"] for p in f.personas()])
def test_persona_gets_the_type_a_careful_reader_expects(persona):
    answers, errors = engine.check_answers(SHIPPED, persona["answers"])
    assert errors == []

    result = engine.evaluate(SHIPPED, answers)

    assert result.result_type is not None
    assert result.result_type.slug == persona["expect_type"]
