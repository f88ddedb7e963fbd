"""quiz.engine.validate (with checks and the kinds' own checks): every problem in a criteria
document, named where it is, in both languages; editors' input of every type (issue #20)."""

from __future__ import annotations

from typing import Any

import pytest

from quiz import engine
from quiz.engine import checks
from tests import factories as f
from tests.engine_criteria import at, build, every_feature, ranking_criteria


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
            if key in checks.FIELDS and isinstance(value, list):
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
    assert written.pop("conditions") <= checks.FIELDS["conditions"]
    assert written == {k: set(v) for k, v in checks.FIELDS.items() if k != "conditions"}


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


def test_an_op_of_the_other_kind_is_named_in_both_languages():
    data = f.criteria(
        questions=[f.question("s", "scale", min=1, max=5), f.question("q")],
        rules=[
            f.rule("x", [f.chosen("s", "a")], strategy="t"),
            f.rule("y", [f.compare("q", "gte", 1)], strategy="t"),
        ],
        strategies=[f.strategy("t")],
    )

    assert [(p.where, p.message) for p in engine.criteria_problems(data)] == [
        (
            "rules[x].conditions[0].op",
            engine.Text(
                "「chosen」は段階で答える質問 s には使えません。"
                "gte、lte、eq のどれかにしてください。",
                "'chosen' does not apply to scale question s; use gte, lte, eq",
            ),
        ),
        (
            "rules[y].conditions[0].op",
            engine.Text(
                "「gte」は選択肢で答える質問 q には使えません。"
                "chosen、not_chosen のどちらかにしてください。",
                "'gte' does not apply to choice question q; use chosen, not_chosen",
            ),
        ),
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


def test_texts_and_slugs_longer_than_their_columns_are_refused():
    data = valid()
    data["strategies"][0]["title_ja"] = "長" * 201
    data["rules"][0]["slug"] = "a" * 51

    assert engine.validate_criteria_dict(data) == [
        "strategies[a].title_ja: is longer than 200 characters",
        "rules[0].slug: is longer than 50 characters",
    ]


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


def test_every_feature_is_valid():
    assert engine.validate_criteria_dict(every_feature()) == []


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
