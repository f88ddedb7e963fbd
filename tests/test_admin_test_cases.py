"""Test cases: the page that runs them on the draft (quiz.admin_views.test_cases), their change
form's checks, and the commands that load and assess them."""

from __future__ import annotations

import io
import json
import re
from html import escape, unescape

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quiz.models import CriteriaTestCase
from tests import factories as f
from tests.admin_pages import ANSWERS_JSON, bad_case, planted_case

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_the_test_case_page_reports_a_planted_failure(superuser):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    CriteriaTestCase.objects.create(
        slug="planted",
        name="わざと失敗するケース",
        answers=next(iter(CriteriaTestCase.objects.all())).answers,
        expect_strategies=["no-such-strategy"],
    )

    html = superuser.get("/admin/tools/test-cases/").content.decode()

    assert "失敗：1件" in html
    assert "提案 no-such-strategy が出ていません" in html
    assert html.count('<tr class="pass">') == len(f.personas())
    assert "<td>build-record, stop-stranger-mixers, one-card-nominated</td>" in html


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"answers": ["track-record", "none"]},
            "回答: 質問の識別子をキーにした JSON オブジェクトにしてください。"
            '例：{"track-record": "none"}',
        ),
        (
            {"answers": {"no-such-question": "x"}},
            "回答: no-such-question: 「no-such-question」という質問はありません。",
        ),
        (
            {"answers": ANSWERS_JSON, "expect_strategies": "build-record"},
            '出るべき提案: 識別子のリストにしてください。例：["build-record"]',
        ),
        (
            {"answers": ANSWERS_JSON, "forbid_warnings": [["mlm"]]},
            '出てはいけない注意: 識別子のリストにしてください。例：["build-record"]',
        ),
    ],
)
def test_a_test_case_that_cannot_run_fails_on_the_page_with_the_reason(superuser, fields, reason):
    bad_case(**fields)

    response = superuser.get("/admin/tools/test-cases/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "失敗：1件" in html
    assert f"<li>{escape(reason)}</li>" in html


def case_form(**changes: str) -> dict[str, str]:
    return {
        "slug": "new-case",
        "name": "新しいケース",
        "description": "",
        "answers": json.dumps(ANSWERS_JSON),
        "expect_top": "[]",
        "expect_strategies": "[]",
        "expect_warnings": "[]",
        "forbid_strategies": "[]",
        "forbid_warnings": "[]",
        **changes,
    }


def test_a_valid_test_case_is_saved(superuser):
    top = '["build-record", "stop-stranger-mixers", "one-card-nominated"]'
    response = superuser.post(
        "/admin/quiz/criteriatestcase/add/",
        case_form(expect_strategies='["build-record"]', expect_top=top),
    )

    saved = CriteriaTestCase.objects.get(slug="new-case")
    assert response.status_code == 302
    assert saved.expect_strategies == ["build-record"]
    assert saved.expect_top == json.loads(top)


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"answers": '["track-record"]'},
            [
                "質問の識別子をキーにした JSON オブジェクトにしてください。"
                '例：{"track-record": "none"}'
            ],
        ),
        (
            {"answers": json.dumps({**ANSWERS_JSON, "age": 30})},
            ["age: 「age」という質問はありません。"],
        ),
        (
            {"answers": json.dumps({**ANSWERS_JSON, "track-record": "lots"})},
            ["track-record: 「lots」はこの質問の選択肢ではありません。"],
        ),
        (
            {"forbid_strategies": '["buld-record"]', "expect_warnings": '"mlm"'},
            # In the order of the form's fields.
            [
                '識別子のリストにしてください。例：["build-record"]',
                "「buld-record」という提案はありません。",
            ],
        ),
        (
            {"answers": "{not json"},
            ["JSON として読めません(1行目、2文字目: キーは二重引用符で囲んでください)。"],
        ),
        (
            {"expect_top": '["build-record"]'},
            ["異なる提案をちょうど3つ挙げてください（今は1つです）。"],
        ),
        (
            {"expect_top": '["build-record", "build-record", "stop-widening"]'},
            ["同じ提案を2回挙げることはできません。"],
        ),
        (
            {"expect_top": '["build-record", "stop-widening", "nope"]'},
            ["「nope」という提案はありません。"],
        ),
    ],
)
def test_a_test_case_that_would_not_run_is_refused_on_save(superuser, changes, errors):
    response = superuser.post("/admin/quiz/criteriatestcase/add/", case_form(**changes))

    assert response.status_code == 200
    shown = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert [unescape(m) for item in shown for m in re.findall(r"<li>(.*?)</li>", item)] == errors
    assert not CriteriaTestCase.objects.filter(slug="new-case").exists()


def test_loading_test_cases_checks_each_one_and_changes_nothing_on_an_error(tmp_path):
    personas = f.personas()
    personas[1]["answers"] = {"no-such-question": "x"}
    personas[2]["forbid_strategies"] = ["no-such-strategy"]
    path = tmp_path / "personas.json"
    path.write_text(json.dumps(personas, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("load_test_cases", str(path))

    assert str(raised.value) == (
        "test cases not loaded, nothing changed:\n"
        f"{path}: {personas[1]['slug']}.answers: no-such-question: "
        'There is no question "no-such-question".\n'
        f"{path}: {personas[2]['slug']}.forbid_strategies: "
        'There is no strategy "no-such-strategy".'
    )
    assert CriteriaTestCase.objects.count() == 0


def test_the_test_case_pages_show_the_slugs_that_assess_case_takes(superuser):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())

    tool = superuser.get("/admin/tools/test-cases/").content.decode()
    listing = superuser.get("/admin/quiz/criteriatestcase/").content.decode()

    assert re.search(
        r">交流会に通う副業初心者</a>\s*<br>\s*<code>no-record-mixer-regular</code>", tool
    )
    assert '<td class="field-slug">no-record-mixer-regular</td>' in listing


def test_assess_names_what_a_test_case_expects_and_what_fails():
    planted_case(expect_top=["go-to-events", "peer-networking", "grow-alone"])
    out = io.StringIO()

    call_command("assess", "--case", "planted", stdout=out)

    assert json.loads(out.getvalue())["test_case"] == {
        "slug": "planted",
        "expect_type": "",
        "type": "step-away",
        "expect_top": ["go-to-events", "peer-networking", "grow-alone"],
        "top": ["stop-stranger-mixers", "build-record", "one-card-nominated"],
        "failures": [
            "The top 3 are stop-stranger-mixers, build-record, one-card-nominated, "
            "not go-to-events, peer-networking, grow-alone"
        ],
    }
