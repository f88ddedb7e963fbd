"""Problems named as editors see the criteria: 「テストケース『名前』」, not `test_cases[slug]`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from quiz import engine
from quiz.admin_names import describe, in_language
from quiz.models import CriteriaTestCase

pytestmark = pytest.mark.usefixtures("shipped_criteria")
README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("where", "ja", "en"),
    [
        (
            "strategies[build-record].citations",
            "提案『まず実績とポートフォリオをつくる』の出典箇所",
            'strategy "Build a track record and a portfolio first", citations',
        ),
        (
            "questions[track-record].choices[none].exclusive",
            "質問『実績』の選択肢「まだない」のほかの選択肢と一緒には選べない",
            'question "Track record", choice "Not yet", cannot be combined with other choices',
        ),
        (
            "questions[track-record].show_if.conditions[0].choices",
            "質問『実績』の質問の表示条件1の選択肢",
            'question "Track record", display condition 1, choice',
        ),
        (
            "rules[no-record-build-first].conditions[1].op",
            "ルール『no-record-build-first』のルールの条件2の判定",
            'rule "no-record-build-first", rule condition 2, test',
        ),
        ("rules[3].slug", "ルール『4番目』の識別子", 'rule "no. 4", slug'),
        (
            "sources[nope].sections[intro].heading_en",
            "出典記事『nope』の記事の節「intro」の見出し（英語）",
            'source "nope", section "intro", heading (English)',
        ),
        ("not a path", "not a path", "not a path"),
        ("", "", ""),
    ],
)
def test_a_place_in_the_criteria_is_named_as_editors_see_it(where, ja, en):
    assert describe(where, "ja") == ja
    assert describe(where, "en") == en


def test_a_test_case_is_named_by_its_name():
    CriteriaTestCase.objects.create(slug="quiet-one", name="静かな人", answers={})
    problem = engine.Problem("test_cases[quiet-one]", engine.Text("通りません", "fails"))

    assert in_language([problem], "ja") == ["テストケース『静かな人』：通りません"]
    assert in_language([problem], "en") == ['test case "静かな人": fails']
    assert in_language([engine.Problem("", engine.Text("全体", "whole"))], "en") == ["whole"]


@pytest.mark.parametrize(
    "name",
    [
        "Review and publish the draft",
        "Published versions",
        "Proposals from the shipped criteria",
        "Result preview",
        "Run test cases",
        "Criteria coverage",
        "Import and export",
        "Outcomes",
    ],
)
def test_the_english_admin_and_the_readme_call_each_tool_the_same(client, settings, name):
    client.force_login(User.objects.create_superuser("admin", "admin@example.jp", "x"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/admin/").content.decode()

    assert f">{name}</a>" in html
    # The README names each tool as the Japanese admin does, with the English in brackets.
    assert re.search(rf"\*\*[^*\n]+\*\* \({re.escape(name)}[,)]", README), name


def test_the_english_admin_says_strategies_as_the_readme_does(client, settings):
    client.force_login(User.objects.create_superuser("admin", "admin@example.jp", "x"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    index = client.get("/admin/").content.decode()
    add = client.get("/admin/quiz/strategy/add/").content.decode()

    assert ">Strategies</a>" in index
    assert "<h1>Add strategy</h1>" in add
    assert "**提案** (Strategies," in README
