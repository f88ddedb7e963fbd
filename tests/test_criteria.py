"""Criteria in the database: atomic replacement, versions, loading with a fixed number of queries,
and the import, export and assess commands."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from quiz import criteria as store
from quiz import engine
from quiz.models import CriteriaVersion, Question, Rule, Strategy
from tests import factories as f

pytestmark = pytest.mark.usefixtures("no_criteria")


def small() -> dict[str, Any]:
    return f.criteria(
        questions=[
            f.question("record", choices=["none", "strong"]),
            f.question(
                "where",
                "multiple",
                choices=["mixers", "sns"],
                show_if={"match": "all", "conditions": [f.chosen("record", "none")]},
            ),
            f.question("likes", "scale", min=1, max=5, dimension="record", points_per_step=25),
        ],
        rules=[
            f.rule("build", [f.chosen("record", "none")], strategy="build-record", weight=5),
            f.rule("events", [f.compare("likes", "gte", 4)], strategy="events", weight=2),
            f.rule("stop", [f.chosen("where", "mixers")], strategy="stop-mixers", weight=3),
            f.rule("peer", [f.chosen("record", "strong")], strategy="peers", weight=4),
            f.rule(
                "mlm", [f.chosen("where", "mixers"), f.compare("likes", "lte", 2)], warning="mlm"
            ),
        ],
        strategies=[
            f.strategy("build-record"),
            f.strategy("events", priority=1, contradicts=["stop-mixers"]),
            f.strategy("stop-mixers", priority=2),
            f.strategy("peers"),
        ],
        warnings=[f.warning("mlm", 3)],
    )


def scaled(factor: int) -> dict[str, Any]:
    """`small()` with every rule repeated `factor` times, for query-count tests."""
    data = small()
    data["rules"] = [
        {**rule, "slug": f"{rule['slug']}-{n}"} for n in range(factor) for rule in data["rules"]
    ]
    return data


def write(tmp_path: Path, data: Any, name: str = "criteria.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_replace_then_load_gives_the_same_criteria():
    store.replace_criteria(small())

    assert store.load_criteria() == engine.criteria_from_dict(small())


def test_an_excluding_rule_reads_back_from_the_tables():
    data = small()
    data["rules"].append(
        f.rule(
            "strong-no-events",
            [f.chosen("record", "strong")],
            strategy="events",
            weight=0,
            effect="exclude",
        )
    )

    store.replace_criteria(data)

    assert store.load_criteria() == engine.criteria_from_dict(data)
    assert Rule.objects.get(slug="strong-no-events").effect == "exclude"


def test_replacing_with_the_same_data_changes_nothing():
    first = store.replace_criteria(small())
    question_pks = list(Question.objects.values_list("pk", flat=True))

    second = store.replace_criteria(small())

    assert first is not None and first.number == 1
    assert second is None
    assert CriteriaVersion.objects.count() == 1
    assert list(Question.objects.values_list("pk", flat=True)) == question_pks


def test_changed_data_becomes_a_new_version():
    store.replace_criteria(small())
    data = small()
    data["strategies"][0]["title_ja"] = "実績を先に"

    version = store.replace_criteria(data)

    assert version is not None and version.number == 2
    assert store.current_criteria().criteria.strategy("build-record").title.ja == "実績を先に"


def test_a_published_version_is_the_newest_at_once_and_a_rolled_back_one_never():
    store.replace_criteria(small())
    assert store.current_criteria().version == 1  # now known from the cache
    data = small()
    data["strategies"][0]["title_ja"] = "実績を先に"

    with pytest.raises(RuntimeError), transaction.atomic():
        store.replace_criteria(data)
        raise RuntimeError("the publishing request fails after the version was added")
    after_rollback = store.current_criteria().version
    published = store.replace_criteria(data)

    assert after_rollback == 1
    assert published is not None
    assert cache.get(store.NEWEST_KEY) == (2, published.digest)
    assert store.current_criteria().version == 2


def test_a_newest_version_the_database_does_not_hold_is_read_again():
    store.replace_criteria(small())
    # A cache outside the database (an operator's choice) could keep a version whose publish
    # was rolled back.
    cache.set(store.NEWEST_KEY, (7, "0" * 64), timeout=None)

    current = store.current_criteria()

    assert current.version == 1
    assert cache.get(store.NEWEST_KEY) == (7, "0" * 64)  # `add` leaves a key it finds


def test_deleting_the_versions_leaves_no_newest_behind():
    store.replace_criteria(small())
    store.current_criteria()  # parsed, and known as the newest

    CriteriaVersion.objects.all().delete()

    assert cache.get(store.NEWEST_KEY) is None
    assert store.newest_criteria() is None


def test_invalid_data_changes_nothing():
    store.replace_criteria(small())
    data = small()
    data["rules"][0]["conditions"] = [f.chosen("record", "nope")]

    with pytest.raises(engine.CriteriaError):
        store.replace_criteria(data)

    assert store.load_criteria() == engine.criteria_from_dict(small())
    assert CriteriaVersion.objects.count() == 1


@pytest.mark.parametrize("factor", [1, 100])
def test_loading_takes_the_same_number_of_queries_whatever_the_size(factor):
    store.replace_criteria(scaled(factor))

    with CaptureQueriesContext(connection) as queries:
        loaded = store.load_criteria()

    assert len(loaded.rules) == 5 * factor
    assert len(queries) == 19  # 16, and a type, its citations and its strategies


def test_current_criteria_costs_one_query_once_parsed():
    store.replace_criteria(small())
    store.current_criteria()

    with CaptureQueriesContext(connection) as queries:
        current = store.current_criteria()

    assert len(queries) == 1
    assert current.version == 1


def test_export_then_import_round_trips(tmp_path):
    store.replace_criteria(small())
    out = io.StringIO()
    call_command("export_criteria", stdout=out)
    exported = json.loads(out.getvalue())

    Rule.objects.all().delete()
    Strategy.objects.all().delete()
    call_command("import_criteria", str(write(tmp_path, exported)), "--yes", stdout=io.StringIO())

    assert exported == engine.criteria_to_dict(engine.criteria_from_dict(small()))
    assert store.load_criteria() == engine.criteria_from_dict(small())
    assert {"sources", "questions", "rules", "strategies", "warnings"} <= exported.keys()
    assert exported["questions"][2]["kind"] == "scale"
    assert (exported["questions"][2]["min"], exported["questions"][2]["max"]) == (1, 5)
    assert [c["slug"] for c in exported["questions"][1]["choices"]] == ["mixers", "sns"]


def test_import_reports_file_slug_and_field_and_changes_nothing(tmp_path):
    store.replace_criteria(small())
    data = small()
    data["strategies"][1]["citations"] = []
    path = write(tmp_path, data)

    with pytest.raises(CommandError) as raised:
        call_command("import_criteria", str(path))

    assert str(raised.value) == (
        "criteria not imported, nothing changed:\n"
        f"{path}: strategies[events].citations: needs at least one citation of a source section"
    )
    assert CriteriaVersion.objects.count() == 1


def test_import_twice_says_the_draft_already_holds_it(tmp_path):
    path = write(tmp_path, small())
    first, second = io.StringIO(), io.StringIO()

    call_command("import_criteria", str(path), "--yes", stdout=first)
    call_command("import_criteria", str(path), "--yes", stdout=second)

    assert first.getvalue().splitlines()[-1] == (
        f"{path}: written into the draft. Review and publish it in the admin "
        "(/admin/tools/draft/) or with `python manage.py publish_criteria --note ...`."
    )
    assert second.getvalue() == f"{path}: the draft already holds exactly this; nothing to do.\n"
    assert CriteriaVersion.objects.count() == 0


def test_import_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{nope", encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("import_criteria", str(path))

    assert str(raised.value) == (
        "criteria not imported, nothing changed:\n"
        f"{path}: This is not valid JSON: line 1, column 2: Expecting property name enclosed in "
        "double quotes."
    )


def assess(tmp_path: Path, answers: dict[str, Any]) -> dict[str, Any]:
    out = io.StringIO()
    call_command("assess", str(write(tmp_path, answers, "answers.json")), stdout=out)
    return json.loads(out.getvalue())


def test_assess_prints_ranked_cited_recommendations_warnings_and_profile(tmp_path):
    store.replace_criteria(small())

    result = assess(tmp_path, {"record": "none", "where": ["mixers"], "likes": 1})

    assert [(r["slug"], r["score"]) for r in result["recommendations"]] == [
        ("build-record", 5),
        ("stop-mixers", 3),
    ]
    assert result["recommendations"][0]["reasons"] == [
        {"rule": "build", "text": "build reason", "answers": {"record": "none"}}
    ]
    assert result["recommendations"][0]["citations"] == [
        {"source": "article", "title": "記事", "section": "intro", "section_title": "はじめに"}
    ]
    assert [w["slug"] for w in result["warnings"]] == ["mlm"]
    assert result["excluded"] == []
    assert result["profile"] == {"record": 0}


def test_assess_names_what_an_exclusion_kept_out_and_why(tmp_path):
    data = small()
    data["rules"].append(
        f.rule("shy-no-events", [f.compare("likes", "lte", 4)], strategy="events", effect="exclude")
    )
    store.replace_criteria(data)

    result = assess(tmp_path, {"record": "strong", "likes": 4})

    assert [r["slug"] for r in result["recommendations"]] == ["peers"]
    assert result["excluded"] == [
        {
            "slug": "events",
            "title": "events title",
            "reasons": [
                {"rule": "shy-no-events", "text": "shy-no-events reason", "answers": {"likes": "4"}}
            ],
        }
    ]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"record": "maybe", "likes": 3},
            'question record: "maybe" is not a choice of this question.',
        ),
        ({"record": "strong", "likes": 3, "age": 3}, 'question age: There is no question "age".'),
        ({"record": "none", "likes": 3}, "question where: Please answer this question."),
        ({"record": "strong", "likes": 9}, "question likes: Please choose a number from 1 to 5."),
    ],
)
def test_assess_refuses_invalid_answers_naming_question_and_choice(tmp_path, answers, message):
    store.replace_criteria(small())

    with pytest.raises(CommandError) as raised:
        assess(tmp_path, answers)

    assert str(raised.value) == f"answers not valid:\n{message}"


def test_a_retired_slug_cannot_come_back():
    store.replace_criteria(small())
    without = small()
    without["rules"] = [r for r in without["rules"] if r["slug"] != "peer"]
    store.replace_criteria(without)

    with pytest.raises(engine.CriteriaError) as raised:
        store.replace_criteria(small())

    assert raised.value.errors == ["rules[peer].slug: was retired earlier and cannot be reused"]
    assert CriteriaVersion.objects.count() == 2


def test_a_priority_too_large_for_the_database_is_refused_before_anything_is_written():
    store.replace_criteria(small())
    data = small()
    data["strategies"][0]["priority"] = 10**30

    with pytest.raises(engine.CriteriaError) as raised:
        store.replace_criteria(data)

    assert raised.value.errors == [
        "strategies[build-record].priority: 1000000000000000000000000000000 is outside "
        "-2147483648..2147483647"
    ]
    assert store.load_criteria() == engine.criteria_from_dict(small())
    assert CriteriaVersion.objects.count() == 1


def test_a_dimension_that_does_not_exist_is_refused_on_any_question():
    data = small()
    data["questions"][0]["dimension"] = "nope"

    with pytest.raises(engine.CriteriaError) as raised:
        store.replace_criteria(data)

    assert raised.value.errors == ["questions[record].dimension: 'nope' is not a dimension"]
    assert CriteriaVersion.objects.count() == 0


def test_criteria_read_from_a_file_equal_them_read_back_from_the_tables():
    data = small()
    data["rules"][1]["conditions"][0]["choices"] = ["ignored"]  # a scale comparison
    data["rules"][0]["conditions"][0]["value"] = 3  # a choice condition

    store.replace_criteria(data)

    assert store.load_criteria() == engine.criteria_from_dict(data)


def test_import_lists_every_problem_of_a_type_confused_file_and_changes_nothing(tmp_path):
    store.replace_criteria(small())
    data = small()
    data["sources"][0]["url"] = "javascript:alert(document.cookie)"
    data["sources"][0]["author"] = ["A", "B"]
    data["strategies"][1]["contradicts"] = 5
    data["rules"][0]["strategy"] = ["build-record"]
    path = write(tmp_path, data)

    with pytest.raises(CommandError) as raised:
        call_command("import_criteria", str(path))

    assert str(raised.value) == (
        "criteria not imported, nothing changed:\n"
        f"{path}: sources[article].author: must be a string, not a list\n"
        f"{path}: sources[article].url: must be a web address starting with http:// or https://\n"
        f"{path}: strategies[events].contradicts: must be a list of strategy slugs, "
        "not a whole number\n"
        f"{path}: rules[build].strategy: must be a strategy's slug, not a list"
    )
    assert CriteriaVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "[" * 50_000 + "]" * 50_000,
            "The JSON nests lists and objects more than 20 levels deep, "
            "the most a criteria file may.",
        ),
        (
            " " * (1024 * 1024) + "{}",
            "The file is larger than 1 MiB (1,048,576 bytes), the most a criteria file may be.",
        ),
    ],
)
def test_import_refuses_a_file_nested_too_deep_or_too_large_saying_so(tmp_path, content, problem):
    path = tmp_path / "criteria.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("import_criteria", str(path))

    assert str(raised.value) == f"criteria not imported, nothing changed:\n{path}: {problem}"
    assert CriteriaVersion.objects.count() == 0
