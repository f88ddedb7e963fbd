"""The criteria's coverage, as the admin's page (quiz.admin_views.coverage_report) and
`check_criteria` report it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quiz import criteria as store
from tests import factories as f
from tests.admin_pages import planted_case

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def planted_problems() -> dict[str, Any]:
    data = f.shipped_criteria()
    data["strategies"].append({**data["strategies"][0], "slug": "orphan", "contradicts": []})
    data["types"][0]["strategies"].append("orphan")
    # Keep only the rules for people with a strong record: everyone else gets no recommendation.
    strong = {"question": "track-record", "op": "chosen", "choices": ["strong"]}
    data["rules"] = [r for r in data["rules"] if r["warning"] or strong in r["conditions"]]
    return data


def test_check_criteria_passes_on_the_shipped_fixtures_and_personas():
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    out = io.StringIO()

    call_command("check_criteria", "--samples", "2000", stdout=out)

    assert out.getvalue() == (
        "Checked 2000 random answer sets (seed 0) out of up to 3,246,391,296,000, "
        f"and {len(f.personas())} test cases.\n"
        "No problems found.\n"
    )


def test_check_criteria_reports_each_failing_test_case_in_english():
    planted_case(
        expect_top=["go-to-events", "peer-networking", "grow-alone"],
        forbid_warnings=["card-collecting"],
    )

    with pytest.raises(CommandError) as raised:
        call_command("check_criteria", "--samples", "2000", stdout=io.StringIO())

    assert str(raised.value).splitlines() == [
        "test case planted fails: The top 3 are stop-stranger-mixers, build-record, "
        "one-card-nominated, not go-to-events, peer-networking, grow-alone",
        "test case planted fails: Warning card-collecting is raised, and must not be",
    ]


def test_check_criteria_reports_a_test_case_given_another_type():
    planted_case(expect_type="grow-alone")

    with pytest.raises(CommandError) as raised:
        call_command("check_criteria", "--samples", "2000", stdout=io.StringIO())

    assert str(raised.value).splitlines() == [
        "test case planted fails: The type is step-away, not grow-alone",
    ]


def test_the_coverage_page_counts_the_answer_sets_of_each_type(superuser):
    html = superuser.get("/admin/tools/coverage/").content.decode()

    table = re.search(r'<table id="coverage-types">.*?</table>', html, re.S)
    assert table is not None
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table.group(0))
    assert [slug for slug, _count in rows] == [*f.shipped_type_slugs(), "タイプなし"]
    assert all(int(count) > 0 for _slug, count in rows[:-1])
    assert rows[-1] == ("タイプなし", "0")
    assert sum(int(count) for _slug, count in rows) == 5000


def test_the_coverage_page_shows_failing_test_cases_in_red(superuser):
    planted_case(expect_strategies=["go-to-events"])

    html = superuser.get("/admin/tools/coverage/").content.decode()

    failing = re.search(r'<div class="errornote" id="failing-test-cases">.*?</div>', html, re.S)
    assert failing is not None
    assert "わざと失敗するケース</a>: 提案 go-to-events が出ていません" in failing.group(0)
    assert 'id="coverage-ok"' not in html


def test_check_criteria_finds_an_unreachable_strategy_and_dead_ends():
    store.replace_criteria(planted_problems())

    with pytest.raises(CommandError) as raised:
        call_command("check_criteria", "--samples", "2000", stdout=io.StringIO())

    problems = str(raised.value).splitlines()
    assert "strategy orphan is never recommended" in problems
    assert any(re.fullmatch(r"\d+ answer sets end with no recommendation", p) for p in problems)
    assert any(re.fullmatch(r"\d+ answer sets get no type", p) for p in problems)


def test_the_coverage_page_shows_planted_problems(superuser):
    store.replace_criteria(planted_problems())

    html = superuser.get("/admin/tools/coverage/").content.decode()

    assert "strategy orphan is never recommended" in html
    assert "無作為に 5000 通りを選んで調べました" in html
