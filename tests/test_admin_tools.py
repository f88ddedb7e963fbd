"""Editors' tools: permissions, preview, test cases, coverage (page and command), import and
export, and the outcomes dashboard."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from html import escape, unescape
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from quiz import criteria as store
from quiz.admin_views import PENDING
from quiz.models import Assessment, CriteriaTestCase, CriteriaVersion, Result, Strategy
from tests import factories as f
from tests.factories import STEP_POSTS as ANSWERS
from tests.factories import main_of, take

pytestmark = pytest.mark.usefixtures("shipped_criteria")
TOOLS = ["preview", "test-cases", "coverage", "import", "outcomes"]
ANSWERS_JSON = f.personas()[0]["answers"]  # a complete, valid answer set


@pytest.fixture
def superuser(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.jp", "x"))
    return client


@pytest.fixture
def editor(client: Client) -> Client:
    user = User.objects.create_user("hanako", "hanako@example.jp", "x", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_opens_for_a_superuser_and_an_editor(superuser, tool):
    assert superuser.get(f"/admin/tools/{tool}/").status_code == 200


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_opens_for_an_editor(editor, tool):
    assert editor.get(f"/admin/tools/{tool}/").status_code == 200


@pytest.mark.parametrize(
    "page",
    [
        "/admin/",
        "/admin/quiz/strategy/",
        "/admin/quiz/question/",
        "/admin/quiz/rule/",
        "/admin/quiz/criteriatestcase/",
        "/admin/quiz/strategy/1/history/",
    ],
)
def test_editor_can_open_criteria_pages(editor, page):
    pk = Strategy.objects.order_by("pk").first().pk
    assert editor.get(page.replace("/1/", f"/{pk}/")).status_code == 200


@pytest.mark.parametrize(
    "page", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_editor_may_not_touch_users_or_groups(editor, page):
    assert editor.get(page).status_code == 403


def test_a_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/tools/preview/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def hidden(html: str, name: str) -> str | None:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    return unescape(found.group(1)) if found else None


def walk_preview(client: Client, url: str = "/admin/tools/preview/") -> tuple[list[str], str]:
    """Answers the preview's questions one at a time, as an editor would; returns the questions
    asked, in order, and the final page."""
    answers = {k: v for _, data in ANSWERS for k, v in data.items()}
    html = client.get(url).content.decode()
    asked = []
    while (slug := hidden(html, "question")) is not None:
        asked.append(slug)
        data = {"answers": hidden(html, "answers"), "question": slug, slug: answers[slug]}
        response = client.post(url, data)
        assert response.status_code == 200, slug
        html = response.content.decode()
        assert len(asked) < 50
    return asked, html


def test_preview_asks_the_questions_one_by_one_in_the_public_order(superuser):
    public_order = [slug for slug, _ in ANSWERS]

    asked, html = walk_preview(superuser)

    assert asked == public_order
    assert '<article class="result">' in html
    assert "<fieldset" not in html


def test_preview_shows_each_question_with_the_public_form_markup(superuser, client):
    public = Client()
    public.post("/start/")
    public_html = public.get("/q/work-style/").content.decode()

    preview_html = superuser.get("/admin/tools/preview/").content.decode()

    def fieldset(html: str) -> str:
        return html[html.index("<fieldset") : html.index("</fieldset>")]

    assert fieldset(preview_html) == fieldset(public_html)


def test_preview_equals_the_public_result_for_the_same_answers(superuser):
    public = Client()
    result = take(public)
    public_body = main_of(public.get(f"/r/{result.token}/details/").content.decode())

    _, html = walk_preview(superuser)

    preview_body = html[html.index('<article class="result">') + len('<article class="result">') :]
    preview_body = preview_body[: preview_body.index("</article>")]

    def cards(body: str) -> list[str]:
        return re.findall(r'<div class="(?:strategy|warning)-card[^"]*" id="([^"]+)">', body)

    assert cards(preview_body) == cards(public_body)
    # The owner's details show the answers and reasons, as the preview does: the whole body matches.
    # The public page adds the share block after the type (the preview has nothing to share) and
    # the owner's settings after the body.
    whole_public = public_body[public_body.index('<section class="at-a-glance"') :]
    whole_public = whole_public[: whole_public.index('<section class="share-settings')]
    whole_public = re.sub(
        r'<section class="share no-print".*?</section>', "", whole_public, flags=re.S
    )
    assert whole_public.strip() == preview_body.strip()
    assert CriteriaVersion.objects.count() == 1


def test_preview_stores_nothing(superuser):
    before = (Assessment.objects.count(), Result.objects.count())

    walk_preview(superuser)

    assert (Assessment.objects.count(), Result.objects.count()) == before == (0, 0)


def test_preview_in_english(superuser):
    asked, html = walk_preview(superuser, "/admin/tools/preview/?lang=en")

    assert len(asked) == len(ANSWERS)
    assert "Build a track record and a portfolio first" in html


def test_preview_can_go_back_and_switch_language_keeping_the_answers(superuser):
    url = "/admin/tools/preview/"
    first = superuser.get(url).content.decode()
    second = superuser.post(
        url,
        {"answers": hidden(first, "answers"), "question": "work-style", "work-style": "freelance"},
    ).content.decode()
    assert hidden(second, "question") == "track-record"

    back = superuser.post(
        url, {"answers": hidden(second, "answers"), "question": "track-record", "back": "1"}
    ).content.decode()
    english = superuser.post(
        url + "?lang=en",
        {"answers": hidden(second, "answers"), "question": "track-record", "stay": "1"},
    ).content.decode()

    assert hidden(back, "question") == "work-style"
    assert 'value="freelance" checked' in back
    assert hidden(english, "question") == "track-record"
    assert json.loads(hidden(english, "answers") or "") == {"work-style": "freelance"}
    assert 'lang="en"' in english


def test_a_preview_answer_that_does_not_fit_is_shown_again_with_its_message(superuser):
    first = superuser.get("/admin/tools/preview/").content.decode()

    response = superuser.post(
        "/admin/tools/preview/",
        {"answers": hidden(first, "answers"), "question": "work-style", "work-style": "nope"},
    )

    assert response.status_code == 422
    assert hidden(response.content.decode(), "question") == "work-style"
    assert 'class="error"' in response.content.decode()


def test_unreadable_preview_answers_are_a_readable_400(superuser):
    response = superuser.post("/admin/tools/preview/", {"answers": "{not json", "question": "x"})

    assert response.status_code == 400
    assert "回答を読み取れませんでした" in response.content.decode()
    assert superuser.get("/admin/tools/preview/?case=no-such-case").status_code == 404


def test_a_test_case_opens_in_the_preview(superuser):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    case = CriteriaTestCase.objects.order_by("slug").first()
    assert case is not None

    html = superuser.get(f"/admin/tools/preview/?case={case.slug}").content.decode()

    assert '<article class="result">' in html
    assert json.loads(hidden(html, "answers") or "") == case.answers


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
        "Checked 2000 random answer sets (seed 0) out of up to 2,434,793,472,000, "
        f"and {len(f.personas())} test cases.\n"
        "No problems found.\n"
    )


def planted_case(**expectations: list[str] | str) -> CriteriaTestCase:
    return CriteriaTestCase.objects.create(
        slug="planted", name="わざと失敗するケース", answers=ANSWERS_JSON, **expectations
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


def test_an_import_that_makes_a_test_case_fail_is_refused_before_and_when_applied(superuser):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    data = f.shipped_criteria()
    data["rules"] = [r for r in data["rules"] if r["slug"] != "two-cards"]

    shown = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()
    # Applied as if the file had been accepted before the test cases were saved.
    session = superuser.session
    session[PENDING] = data
    session.save()
    applied = superuser.post("/admin/tools/import/", {"apply": "1"}).content.decode()

    for html in (shown, applied):
        assert (
            "test_cases[two-card-sidehustler]: この変更で通らなくなります：上位3件が "
            "one-card-nominated, stop-stranger-mixers, broadcast-on-sns ではなく "
            "stop-stranger-mixers, broadcast-on-sns, not-for-business です"
        ) in import_errors(html)
    assert "import-changes" not in shown
    assert CriteriaVersion.objects.count() == 1


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


def test_export_downloads_the_criteria(superuser):
    response = superuser.get("/admin/tools/export/")

    assert response["Content-Disposition"] == 'attachment; filename="criteria.json"'
    assert json.loads(response.content)["strategies"][0]["slug"] == "build-record"


def upload(data) -> SimpleUploadedFile:
    return SimpleUploadedFile("criteria.json", json.dumps(data, ensure_ascii=False).encode())


def test_import_shows_the_changes_then_applies_them_atomically(superuser):
    data = f.shipped_criteria()
    data["strategies"][0]["title_ja"] = "実績づくりを最優先に"
    data["rules"] = data["rules"][1:]
    removed_rule = f.shipped_criteria()["rules"][0]["slug"]

    shown = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()
    assert "<td>strategies</td><td>changed</td><td>build-record</td>" in shown
    assert f"<td>rules</td><td>removed</td><td>{removed_rule}</td>" in shown
    assert Strategy.objects.get(slug="build-record").title_ja != "実績づくりを最優先に"

    applied = superuser.post("/admin/tools/import/", {"apply": "1"}, follow=True)

    assert "基準を更新しました（バージョン 2）。" in applied.content.decode()
    assert Strategy.objects.get(slug="build-record").title_ja == "実績づくりを最優先に"


def test_an_import_preview_warns_about_new_texts_against_the_glossary_and_can_still_apply(
    superuser,
):
    data = f.shipped_criteria()
    data["strategies"][0]["title_ja"] = "いちばんのおすすめ"

    shown = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()

    notes = re.search(r'<div id="import-notes">.*?</div>', shown, re.S)
    assert notes is not None
    assert re.findall(r'<li class="warning">(.*?)</li>', notes.group(0)) == [
        "strategies[build-record].title_ja: 「おすすめ」ではなく「提案」と書きます（用語集）。"
    ]
    applied = superuser.post("/admin/tools/import/", {"apply": "1"}, follow=True)
    assert "基準を更新しました（バージョン 2）。" in applied.content.decode()
    assert Strategy.objects.get(slug="build-record").title_ja == "いちばんのおすすめ"


def test_an_import_preview_of_unchanged_texts_has_no_glossary_notes(superuser):
    data = f.shipped_criteria()
    data["rules"] = data["rules"][1:]

    shown = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()

    assert '<table id="import-changes">' in shown
    assert 'id="import-notes"' not in shown


def test_an_invalid_import_shows_errors_and_changes_nothing(superuser):
    data = f.shipped_criteria()
    data["warnings"][0]["citations"] = []

    html = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()

    assert "読み込めません。何も変更していません。" in html
    slug = data["warnings"][0]["slug"]
    assert f"<li>warnings[{slug}].citations: 出典記事の節を1つ以上引いてください。</li>" in html
    assert CriteriaVersion.objects.count() == 1


def test_outcomes_show_aggregates_only(superuser):
    take(Client())
    Client().post("/start/")

    html = superuser.get("/admin/tools/outcomes/").content.decode()

    assert re.search(r"はじめた診断</th><td>2</td>", html)
    assert re.search(r"完了した診断</th><td>1</td>", html)
    assert '<svg class="chart"' in html
    assert "freelance" not in html


def test_outcomes_show_top_strategies_and_warnings_per_week(superuser):
    snapshot = take(Client()).snapshot
    top = snapshot["recommendations"][0]["title"]["ja"]
    warning_titles = [w["title"]["ja"] for w in snapshot["warnings"]]
    now = timezone.now()
    for weeks_ago in (0, 0, 3):
        copy = Result.objects.create(snapshot=snapshot, criteria_version=1)
        Result.objects.filter(pk=copy.pk).update(created_at=now - timedelta(weeks=weeks_ago))
    # Older than the twelve weeks shown: counted in the totals, not in the weekly rows.
    old = Result.objects.create(snapshot=snapshot, criteria_version=1)
    Result.objects.filter(pk=old.pk).update(created_at=now - timedelta(weeks=20))

    html = superuser.get("/admin/tools/outcomes/").content.decode()
    tables = re.findall(r'<table class="over-time">(.*?)</table>', html, re.S)
    rows = [
        re.findall(r"<tr><th scope=\"row\">([^<]+)</th>((?:<td>\d+</td>)+)</tr>", t) for t in tables
    ]

    def counts(row: tuple[str, str]) -> list[int]:
        return [int(n) for n in re.findall(r"\d+", row[1])]

    assert len(tables) == 2
    assert [len(r) for r in rows] == [12, 12]
    assert f'<th scope="col">{top}</th>' in tables[0]
    assert all(f'<th scope="col">{title}</th>' in tables[1] for title in warning_titles)
    this_week = (timezone.localdate() - timedelta(days=timezone.localdate().weekday())).strftime(
        "%m/%d"
    )
    assert rows[0][-1][0] == this_week
    # This week: the result taken above and two copies; three weeks ago: one copy.
    assert counts(rows[0][-1]) == [3, 3]
    assert counts(rows[0][-4]) == [1, 1]
    assert sum(counts(r)[-1] for r in rows[0]) == 4
    assert counts(rows[1][-1]) == [3] * len(warning_titles) + [3 * len(warning_titles)]
    assert html.count('<svg class="chart"') == 5


def import_errors(html: str) -> list[str]:
    found = re.search(r'<div class="errornote" id="import-errors">.*?<ul>(.*?)</ul>', html, re.S)
    assert found is not None, "no list of problems on the page"
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1))]


def test_an_upload_with_wrong_types_lists_every_problem_in_japanese(superuser):
    data = f.shipped_criteria()
    source = data["sources"][0]["slug"]
    strategy = data["strategies"][0]["slug"]
    data["sources"][0]["url"] = "javascript:alert(1)"
    data["sources"][0]["author"] = ["著者"]
    data["strategies"][0]["priority"] = 10**30
    data["strategies"][0]["contradicts"] = 5

    response = superuser.post("/admin/tools/import/", {"file": upload(data)})

    assert response.status_code == 200
    assert import_errors(response.content.decode()) == [
        f"sources[{source}].author: 文字列にしてください(リストになっています)。",
        f"sources[{source}].url: http:// か https:// で始まるウェブのアドレスにしてください。",
        f"strategies[{strategy}].priority: 1000000000000000000000000000000 は範囲外です。"
        "-2147483648 から 2147483647 までの整数にしてください。",
        f"strategies[{strategy}].contradicts: "
        "提案の識別子のリストにしてください(整数になっています)。",
    ]
    assert "import-changes" not in response.content.decode()
    assert CriteriaVersion.objects.count() == 1


def test_an_upload_is_explained_in_english_in_the_english_admin(superuser, settings):
    superuser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = f.shipped_criteria()
    data["rules"][0]["strategy"] = ["build-record"]

    html = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()

    assert import_errors(html) == [
        f"rules[{data['rules'][0]['slug']}].strategy: must be a strategy's slug, not a list"
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            b"[" * 100_000 + b"]" * 100_000,
            "JSON の入れ子が 20 段を超えています。"
            "基準のファイルの入れ子は 20 段までにしてください。",
        ),
        (
            b" " * (1024 * 1024 + 1),
            "ファイルが 1 MiB(1,048,576 バイト)を超えています。"
            "基準のファイルは 1 MiB までにしてください。",
        ),
        (b"\xff{}", "ファイルが UTF-8 のテキストではありません(1バイト目を読めません)。"),
        (
            b"{nope",
            "JSON として読めません"
            "(1行目、2文字目: Expecting property name enclosed in double quotes)。",
        ),
    ],
)
def test_an_upload_too_deep_too_large_or_unreadable_is_refused_saying_why(
    superuser, content, problem
):
    response = superuser.post(
        "/admin/tools/import/", {"file": SimpleUploadedFile("criteria.json", content)}
    )

    assert response.status_code == 200
    assert import_errors(response.content.decode()) == [problem]
    assert CriteriaVersion.objects.count() == 1


def bad_case(**fields: Any) -> CriteriaTestCase:
    return CriteriaTestCase.objects.create(
        **{"slug": "bad", "name": "壊れたケース", "answers": {}, **fields}
    )


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


def test_a_test_case_that_cannot_run_opens_in_the_preview_with_the_reason(superuser):
    bad_case(answers=["track-record", "none"])

    response = superuser.get("/admin/tools/preview/?case=bad")

    html = response.content.decode()
    assert response.status_code == 200
    assert "このテストケースは失敗しています。" in html
    assert escape("回答: 質問の識別子をキーにした JSON オブジェクトにしてください。") in html
    assert hidden(html, "question") == ANSWERS[0][0]


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
        ({"answers": "{not json"}, ["JSONを正しく入力してください。"]),
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
