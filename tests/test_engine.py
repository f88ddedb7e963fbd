"""The pure engine, without a database: conditions at their boundaries, branching, ranking,
contradictions, answer checking, validation messages and the interchange format."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest

from quiz import engine
from quiz.engine import validate
from tests import factories as f


def build(data: dict[str, Any]) -> engine.Criteria:
    return engine.criteria_from_dict(data)


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


# --- Answers ---------------------------------------------------------------------------------


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


# --- Validation and the interchange format ---------------------------------------------------


def valid() -> dict[str, Any]:
    return ranking_criteria()


def test_valid_criteria_have_no_errors():
    assert engine.validate_criteria_dict(valid()) == []


def test_a_misspelt_field_is_reported_wherever_it_is():
    data = valid()
    data["note"] = "x"
    data["rules"][2]["wieght"] = 3
    data["rules"][2]["conditions"][0]["choice"] = ["a"]
    data["questions"][0]["choices"][0]["label_jp"] = "x"
    data["strategies"][0]["citations"][0]["page"] = 2

    assert engine.validate_criteria_dict(data) == [
        "note: is not a field of the criteria format; check its spelling",
        "questions[q].choices[a].label_jp: is not a field of the criteria format; "
        "check its spelling",
        "strategies[a].citations[0].page: is not a field of the criteria format; "
        "check its spelling",
        "rules[c-5].wieght: is not a field of the criteria format; check its spelling",
        "rules[c-5].conditions[0].choice: is not a field of the criteria format; "
        "check its spelling",
    ]


def test_the_known_fields_are_exactly_those_the_format_writes():
    written: dict[str, set[str]] = {}

    def walk(kind: str, item: dict[str, Any]) -> None:
        written.setdefault(kind, set()).update(item)
        for key, value in item.items():
            if key in validate.FIELDS and isinstance(value, list):
                for child in value:
                    if isinstance(child, dict):  # not a type's strategies, nor choices cited
                        walk(key, child)
            elif key == "show_if" and value:
                walk("show_if", value)
                for child in value["conditions"]:
                    walk("conditions", child)

    exported = engine.criteria_to_dict(build(f.shipped_criteria()))
    for kind in engine.PARTS:
        for item in exported[kind]:
            walk(kind, item)

    # A condition holds choices or a value, never both: the shipped ones use choices only.
    assert written.pop("conditions") <= validate.FIELDS["conditions"]
    assert written == {k: set(v) for k, v in validate.FIELDS.items() if k != "conditions"}


def test_a_condition_choice_must_belong_to_its_question():
    data = valid()
    data["rules"][2]["conditions"] = [f.chosen("q", "zzz")]

    assert engine.validate_criteria_dict(data) == [
        "rules[c-5].conditions[0].choices: 'zzz' is not a choice of question q"
    ]


def test_display_conditions_may_refer_only_to_earlier_questions():
    data = valid()
    data["questions"] = [
        f.question("first", show_if={"match": "all", "conditions": [f.chosen("q", "a")]}),
        f.question("q"),
    ]

    assert engine.validate_criteria_dict(data) == [
        "questions[first].show_if.conditions[0].question: "
        "'q' is not a question asked before this one"
    ]


def test_a_question_cannot_depend_on_itself():
    data = valid()
    data["questions"] = [
        f.question("q", show_if={"match": "all", "conditions": [f.chosen("q", "a")]})
    ]

    assert engine.validate_criteria_dict(data) == [
        "questions[q].show_if.conditions[0].question: 'q' is not a question asked before this one"
    ]


def test_every_strategy_and_warning_needs_a_citation():
    data = valid()
    data["strategies"][0]["citations"] = []
    data["warnings"] = [{**f.warning("w"), "citations": [{"source": "article", "section": "nope"}]}]

    assert engine.validate_criteria_dict(data) == [
        "strategies[a].citations: needs at least one citation of a source section",
        "warnings[w].citations[0].section: 'nope' is not a section of article",
    ]


def test_slugs_must_be_unique_and_well_formed():
    data = valid()
    data["strategies"].append(f.strategy("a"))
    data["questions"].append(f.question("Bad Slug"))

    assert engine.validate_criteria_dict(data) == [
        "questions[1].slug: 'Bad Slug' is not a slug (a-z, 0-9 and hyphens)",
        "strategies[a].slug: is used twice",
    ]


def test_contradicting_strategies_need_different_priorities():
    data = valid()
    data["strategies"][1]["priority"] = 10

    assert engine.validate_criteria_dict(data) == [
        "strategies[a].priority: equals the priority of b, which it contradicts; make them differ"
    ]


def test_scale_conditions_must_use_comparisons_within_the_scale():
    data = f.criteria(
        questions=[f.question("s", "scale", min=1, max=5)],
        rules=[
            f.rule("x", [f.chosen("s", "a")], strategy="t"),
            f.rule("y", [f.compare("s", "gte", 6)], strategy="t"),
        ],
        strategies=[f.strategy("t")],
    )

    assert engine.validate_criteria_dict(data) == [
        "rules[x].conditions[0].op: 'chosen' does not apply to scale question s; use gte, lte, eq",
        "rules[y].conditions[0].value: 6 is outside s's scale 1..5",
    ]


def test_a_rule_targets_exactly_one_strategy_or_warning():
    data = valid()
    data["rules"][0]["strategy"] = None
    data["rules"][1]["warning"] = "nope"

    assert engine.validate_criteria_dict(data) == [
        "rules[a-3]: needs exactly one of strategy or warning",
        "rules[b-3]: needs exactly one of strategy or warning",
    ]


def test_an_effect_is_add_or_exclude_and_only_a_strategy_rule_excludes():
    data = valid()
    data["rules"][0]["effect"] = "remove"
    data["rules"].append(f.rule("w-x", [], warning="w", effect="exclude"))
    data["warnings"] = [f.warning("w")]

    assert engine.validate_criteria_dict(data) == [
        "rules[a-3].effect: 'remove' is not one of add, exclude",
        "rules[w-x].effect: exclude (keep the strategy out) applies to a strategy's rule only",
    ]


@pytest.mark.parametrize(
    ("effect", "weight", "problems"),
    [
        ("exclude", 0, []),
        ("add", 1, []),
        ("add", 0, ["rules[a-3].weight: 0 is outside 1..2147483647"]),
        ("exclude", -1, ["rules[a-3].weight: -1 is outside 0..2147483647"]),
    ],
)
def test_only_a_rule_that_adds_needs_a_weight_of_one_or_more(effect, weight, problems):
    data = valid()
    data["rules"][0] |= {"effect": effect, "weight": weight}

    assert engine.validate_criteria_dict(data) == problems


def test_a_missing_effect_adds():
    data = valid()
    del data["rules"][0]["effect"]

    assert build(data).rules[0].effect == "add"


def test_missing_top_level_keys_are_named():
    assert engine.validate_criteria_dict({"sources": []}) == [
        "dimensions: is missing",
        "questions: is missing",
        "rules: is missing",
        "strategies: is missing",
        "warnings: is missing",
        "types: is missing",
    ]


def test_criteria_from_dict_raises_with_every_error():
    data = valid()
    data["strategies"][0]["title_en"] = ""

    with pytest.raises(engine.CriteriaError) as raised:
        engine.criteria_from_dict(data)

    assert raised.value.errors == ["strategies[a].title_en: must not be empty"]


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


def test_text_falls_back_to_japanese_when_english_is_missing():
    assert engine.Text("日本語", "").get("en") == "日本語"
    assert engine.Text("日本語", "English").get("en") == "English"
    assert engine.Text("日本語", "English").get("ja") == "日本語"


def test_an_optional_question_left_unanswered_does_not_block_later_ones():
    data = f.criteria(
        questions=[
            f.question("first"),
            {**f.question("optional"), "required": False},
            f.question("last"),
        ],
        rules=[f.rule("base", [], strategy="s")],
        strategies=[f.strategy("s")],
    )
    flow = engine.progress(build(data), {"first": "a"})

    assert flow.next_open is not None and flow.next_open.slug == "last"
    assert flow.reachable("last") is True
    assert engine.parse_answer(build(data).questions[1], []) is None


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


def test_texts_and_slugs_longer_than_their_columns_are_refused():
    data = valid()
    data["strategies"][0]["title_ja"] = "長" * 201
    data["rules"][0]["slug"] = "a" * 51

    assert engine.validate_criteria_dict(data) == [
        "strategies[a].title_ja: is longer than 200 characters",
        "rules[0].slug: is longer than 50 characters",
    ]


def test_following_walks_on_in_order_then_to_what_is_still_open():
    criteria = engine.criteria_from_dict(f.shipped_criteria())
    first, second, *_ = [q.slug for q in criteria.questions]
    nothing = engine.progress(criteria, {})
    last = nothing.visible[-1].slug

    assert engine.following(nothing, first).slug == second
    # After the last question, back to the first one still unanswered.
    assert engine.following(nothing, last).slug == first


def test_answering_sets_or_clears_one_answer():
    criteria = engine.criteria_from_dict(f.shipped_criteria())
    first = criteria.questions[0]
    choice = first.choices[0].slug

    answered = engine.answering(criteria, engine.progress(criteria, {}), first.slug, choice)
    cleared = engine.answering(criteria, answered, first.slug, None)

    assert dict(answered.answers) == {first.slug: choice}
    assert dict(cleared.answers) == {}


# --- Editors' input of every type (issue #20) ----------------------------------------------------


def test_values_that_crashed_or_slipped_through_are_problems_saying_what_was_expected():
    data = valid()
    data["sources"][0]["url"] = "javascript:alert(1)"
    data["sources"][0]["author"] = ["Someone"]
    data["questions"][0]["dimension"] = ["record"]
    data["strategies"][0]["priority"] = 10**30
    data["strategies"][1]["citations"] = [{"source": ["article"], "section": "intro"}]
    data["strategies"][2]["contradicts"] = 5
    data["rules"][0]["strategy"] = ["a"]
    data["rules"][2]["conditions"] = [{"question": "q", "op": "chosen", "choices": [["a"]]}]

    assert engine.validate_criteria_dict(data) == [
        "sources[article].author: must be a string, not a list",
        "sources[article].url: must be a web address starting with http:// or https://",
        "questions[q].dimension: must be a dimension's slug, not a list",
        "strategies[a].priority: 1000000000000000000000000000000 is outside "
        "-2147483648..2147483647",
        "strategies[b].citations[0].source: must be a source's slug, not a list",
        "strategies[c].contradicts: must be a list of strategy slugs, not a whole number",
        "rules[a-3].strategy: must be a strategy's slug, not a list",
        "rules[c-5].conditions[0].choices[0]: must be a choice's slug, not a list",
    ]
    assert [p.get("ja") for p in engine.criteria_problems(data)] == [
        "sources[article].author: 文字列にしてください(リストになっています)。",
        "sources[article].url: http:// か https:// で始まるウェブのアドレスにしてください。",
        "questions[q].dimension: 観点の識別子にしてください(リストになっています)。",
        "strategies[a].priority: 1000000000000000000000000000000 は範囲外です。"
        "-2147483648 から 2147483647 までの整数にしてください。",
        "strategies[b].citations[0].source: 出典記事の識別子にしてください(リストになっています)。",
        "strategies[c].contradicts: 提案の識別子のリストにしてください(整数になっています)。",
        "rules[a-3].strategy: 提案の識別子にしてください(リストになっています)。",
        "rules[c-5].conditions[0].choices[0]: 選択肢の識別子にしてください(リストになっています)。",
    ]
    with pytest.raises(engine.CriteriaError) as raised:
        engine.criteria_from_dict(data)
    assert raised.value.problems == engine.criteria_problems(data)


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


def test_every_feature_is_valid():
    assert engine.validate_criteria_dict(every_feature()) == []


def at(data: dict[str, Any], path: str) -> dict[str, Any]:
    """The item at `kind.index` (or `kind.index.field.index`) in `data`, to change in a test."""
    node: Any = data
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else node[part]
    return cast(dict[str, Any], node)


@pytest.mark.parametrize(
    ("path", "field", "value", "problem"),
    [
        (
            "dimensions.0",
            "description_en",
            3,
            "dimensions[record].description_en: must be a string, not a whole number",
        ),
        ("sources.0", "title", None, "sources[article].title: must be a string, not null"),
        ("sources.0", "site", "x" * 201, "sources[article].site: is longer than 200 characters"),
        (
            "sources.0",
            "url",
            "ftp://example.jp/",
            "sources[article].url: must be a web address starting with http:// or https://",
        ),
        (
            "sources.0",
            "url",
            "https://exa mple.jp/",
            "sources[article].url: must be a web address starting with http:// or https://",
        ),
        (
            "sources.0",
            "url",
            "https://",
            "sources[article].url: must be a web address starting with http:// or https://",
        ),
        (
            "sources.0.sections.0",
            "summary_ja",
            ["x"],
            "sources[article].sections[intro].summary_ja: must be a string, not a list",
        ),
        ("questions.0", "min", "1", "questions[likes].min: must be a whole number, not a string"),
        (
            "questions.0",
            "max",
            2**31,
            "questions[likes].max: 2147483648 is outside -2147483648..2147483647",
        ),
        (
            "questions.0",
            "points_per_step",
            None,
            "questions[likes].points_per_step: must be a whole number, not null",
        ),
        (
            "questions.0",
            "choices",
            5,
            "questions[likes].choices: must be a list, not a whole number",
        ),
        (
            "questions.0",
            "max_choices",
            3,
            "questions[likes].max_choices: only applies to multiple-choice questions",
        ),
        (
            "questions.0",
            "kind",
            ["scale"],
            "questions[likes].kind: ['scale'] is not one of single, multiple, scale",
        ),
        (
            "questions.1",
            "required",
            "yes",
            "questions[where].required: must be true or false, not a string",
        ),
        (
            "questions.1",
            "help_en",
            {"en": "x"},
            "questions[where].help_en: must be a string, not an object",
        ),
        (
            "questions.1",
            "label_ja",
            "ラベル\x00",
            "questions[where].label_ja: "
            "contains a character that cannot be stored (NUL or an unpaired surrogate)",
        ),
        (
            "questions.1",
            "text_en",
            "\ud800",
            "questions[where].text_en: "
            "contains a character that cannot be stored (NUL or an unpaired surrogate)",
        ),
        (
            "questions.1",
            "show_if",
            [],
            "questions[where].show_if: must be an object or null, not a list",
        ),
        (
            "questions.1",
            "max_choices",
            2.0,
            "questions[where].max_choices: must be a whole number, not a decimal number",
        ),
        (
            "questions.1.choices.0",
            "exclusive",
            1,
            "questions[where].choices[mixers].exclusive: must be true or false, not a whole number",
        ),
        (
            "questions.1.choices.0",
            "scores",
            [1],
            "questions[where].choices[mixers].scores: must be an object, not a list",
        ),
        (
            "questions.1.choices.0",
            "scores",
            {"record": "5"},
            "questions[where].choices[mixers].scores.record: must be a whole number, not a string",
        ),
        (
            "strategies.0",
            "steps_en",
            "step",
            "strategies[s].steps_en: must be a list of strings, not a string",
        ),
        (
            "strategies.0",
            "steps_ja",
            ["one\ntwo"],
            "strategies[s].steps_ja[0]: must be one line: each step is one line",
        ),
        (
            "strategies.0",
            "steps_ja",
            [3],
            "strategies[s].steps_ja[0]: must be a string, not a whole number",
        ),
        (
            "strategies.0",
            "citations",
            "article",
            "strategies[s].citations: must be a list, not a string",
        ),
        (
            "warnings.0",
            "severity",
            "3",
            "warnings[w].severity: must be a whole number, not a string",
        ),
        (
            "warnings.0",
            "severity",
            True,
            "warnings[w].severity: must be a whole number, not true or false",
        ),
        (
            "rules.0",
            "weight",
            1.5,
            "rules[go].weight: must be a whole number, not a decimal number",
        ),
        (
            "rules.0",
            "conditions",
            {"question": "where"},
            "rules[go].conditions: must be a list, not an object",
        ),
        ("rules.0", "match", None, "rules[go].match: None is not one of all, any, none"),
        ("rules.1", "weight", None, "rules[careful].weight: must be a whole number, not null"),
        ("rules.1", "warning", "nope", "rules[careful].warning: 'nope' is not a warning"),
    ],
)
def test_each_field_is_checked_for_its_type_and_range(path, field, value, problem):
    data = every_feature()
    at(data, path)[field] = value

    assert engine.validate_criteria_dict(data) == [problem]


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (
            lambda d: d["strategies"][0].update(contradicts=["s", 5]),
            [
                "strategies[s].contradicts: a strategy cannot contradict itself",
                "strategies[s].contradicts[1]: must be a strategy's slug, not a whole number",
            ],
        ),
        (
            lambda d: d["questions"][1]["choices"][0].update(slug="mixers\n"),
            [
                "questions[where].choices[0].slug: "
                "'mixers\\n' is not a slug (a-z, 0-9 and hyphens)",
                "questions[where].choices: needs at least two choices",
                "questions[where].max_choices: 2 is outside 1..1",
                "rules[go].conditions[0].choices: 'mixers' is not a choice of question where",
            ],
        ),
        (
            lambda d: d["rules"][0]["conditions"][0].update(choices=["sns", "sns"]),
            ["rules[go].conditions[0].choices: lists 'sns' twice"],
        ),
        (
            lambda d: d["questions"][1].update(show_if={"match": "any", "conditions": []}),
            [
                "questions[where].show_if.conditions: "
                "needs at least one condition; for none, make show_if null"
            ],
        ),
        (
            lambda d: d["strategies"][0].update(steps_ja=[], steps_en=[]),
            ["strategies[s].steps_ja: needs at least one step, in both languages"],
        ),
        (
            lambda d: d.update(dimensions={"record": {}}),
            [
                "dimensions: must be a list, not an object",
                "questions[likes].dimension: 'record' is not a dimension",
            ],
        ),
        (
            lambda d: d["questions"][1].update(choices=[f.choice("mixers"), "sns"]),
            [
                "questions[where].choices[1]: must be an object, not a string",
                "questions[where].choices: needs at least two choices",
                "questions[where].max_choices: 2 is outside 1..1",
            ],
        ),
    ],
)
def test_problems_in_lists_name_the_item(change, problems):
    data = every_feature()
    change(data)

    assert engine.validate_criteria_dict(data) == problems


def test_a_value_quoted_in_a_problem_is_cut_short():
    data = every_feature()
    data["rules"][0]["conditions"][0]["choices"] = ["x" * 5000]

    assert engine.validate_criteria_dict(data) == [
        f"rules[go].conditions[0].choices: '{'x' * 39}… is not a choice of question where"
    ]


def test_a_document_that_is_not_an_object_is_one_problem():
    assert engine.validate_criteria_dict([]) == ["criteria: must be a JSON object, not a list"]
    assert [p.get("ja") for p in engine.criteria_problems("{}")] == [
        "criteria: JSON オブジェクトにしてください(文字列になっています)。"
    ]


def test_what_an_op_does_not_use_is_not_kept():
    data = every_feature()
    data["rules"][0]["conditions"][0]["value"] = 3
    data["rules"][1]["conditions"][0]["choices"] = ["a"]

    criteria = build(data)

    assert criteria.rules[0].when.conditions[0] == engine.Condition("where", "chosen", ("mixers",))
    assert criteria.rules[1].when.conditions[0] == engine.Condition("likes", "lte", (), 2)


def test_a_criteria_file_is_read_within_its_limits():
    shipped = f.FIXTURE.read_bytes()
    at_the_limit = b"[" * engine.NESTING_MAX + b"]" * engine.NESTING_MAX
    brackets_in_a_string = json.dumps({"a": "[" * 100}).encode()
    full = b"{}" + b" " * (engine.FILE_MAX_BYTES - 2)

    assert engine.read_criteria_json(shipped) == f.shipped_criteria()
    assert validate._nesting(shipped.decode()) == 7
    nested: list[Any] = []
    for _ in range(engine.NESTING_MAX - 1):
        nested = [nested]

    assert engine.read_criteria_json(at_the_limit) == nested
    assert engine.read_criteria_json(brackets_in_a_string) == {"a": "[" * 100}
    assert engine.read_criteria_json(full) == {}


@pytest.mark.parametrize(
    ("raw", "en", "ja"),
    [
        (
            b"[" * 100_000 + b"]" * 100_000,
            "The JSON nests lists and objects more than 20 levels deep, "
            "the most a criteria file may.",
            "JSON の入れ子が 20 段を超えています。"
            "基準のファイルの入れ子は 20 段までにしてください。",
        ),
        (
            b"{}" + b" " * engine.FILE_MAX_BYTES,
            "The file is larger than 1 MiB (1,048,576 bytes), the most a criteria file may be.",
            "ファイルが 1 MiB(1,048,576 バイト)を超えています。"
            "基準のファイルは 1 MiB までにしてください。",
        ),
        (
            b'{"a": "\xff"}',
            "The file is not UTF-8 text (byte 8 cannot be read).",
            "ファイルが UTF-8 のテキストではありません(8バイト目を読めません)。",
        ),
        (
            b'{"a": 1,\n "b": }',
            "This is not valid JSON: line 2, column 7: Expecting value.",
            "JSON として読めません(2行目、7文字目: 値がありません)。",
        ),
        (
            b'{"a": "unclosed}',
            # Once "starting at at line 1": the parser's message ends in "at".
            "This is not valid JSON: line 1, column 7: Unterminated string starting at.",
            "JSON として読めません(1行目、7文字目: 文字列が閉じていません)。",
        ),
        (
            b'{"a": ' + b"9" * 5000 + b"}",
            "A number has too many digits: 100 characters at most.",
            "桁の多すぎる数があります。数は 100 文字までにしてください。",
        ),
        (
            b'{"a": [1, Infinity]}',
            "Infinity is not a JSON number; please write the number in digits.",
            "Infinity は JSON の数ではありません。数字で書いてください。",
        ),
        (
            b'{"a": 1e400}',
            "A number is too large to be read.",
            "大きすぎる数があります。",
        ),
        (
            b'{"a\\ud800": 1}',
            "A string holds half of a surrogate pair (such as \\ud800), which is not a character.",
            "対になっていないサロゲート（\\ud800 など）は文字ではないので使えません。",
        ),
    ],
)
def test_a_file_beyond_the_limits_or_not_json_is_refused_saying_why(raw, en, ja):
    with pytest.raises(engine.CriteriaError) as raised:
        engine.read_criteria_json(raw)

    assert raised.value.errors == [en]
    assert [p.get("ja") for p in raised.value.problems] == [ja]


def test_steps_are_read_stripped_as_the_tables_keep_them():
    data = f.criteria(
        questions=[f.question("record", choices=["none", "strong"])],
        rules=[f.rule("r", [f.chosen("record", "none")], strategy="s")],
        strategies=[{**f.strategy("s"), "steps_ja": [" 一歩 "], "steps_en": ["step\t"]}],
    )

    assert engine.criteria_from_dict(data).strategy("s").steps == (engine.Text("一歩", "step"),)


def test_json_text_keeps_what_every_field_can_hold():
    thirty = "1" * engine.NUMBER_CHARS_MAX

    assert engine.read_json_text(f"[{thirty}, -0.5, 1e300]") == [int(thirty), -0.5, 1e300]
    assert engine.read_json_text('{"\\ud83d\\ude00": "\\u00e9"}') == {"😀": "é"}
    with pytest.raises(engine.JSONTextError):
        engine.read_json_text(f"[{thirty}1]")
    with pytest.raises(engine.JSONTextError):
        engine.read_json_text("[[[]]]", nesting_max=2)
