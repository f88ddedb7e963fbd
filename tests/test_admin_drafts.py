"""The draft's pages in the admin: review and publish, discard, versions compared and restored,
the shipped file's proposals, import by digest, answers for a new required question, and the
editor group's permissions."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quiz import criteria as store
from quiz.models import (
    Choice,
    CriteriaTestCase,
    CriteriaVersion,
    Question,
    ShippedCriteria,
    Strategy,
    UploadedCriteria,
)
from tests import factories as f
from tests.test_admin_tools import apply_import, diff_rows, digest_field

pytestmark = pytest.mark.usefixtures("shipped_criteria")


@pytest.fixture
def editor(client: Client) -> Client:
    user = User.objects.create_user("hanako", "hanako@example.jp", "x", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    client.force_login(user)
    return client


def retitle(title: str = "下書きの題") -> None:
    Strategy.objects.filter(slug="build-record").update(title_ja=title)


def page(client: Client, url: str) -> str:
    return client.get(url).content.decode()


def test_the_draft_page_shows_the_change_field_by_field_and_publishes_it_with_a_note(editor):
    retitle()

    html = page(editor, "/admin/tools/draft/")
    published = editor.post(
        "/admin/tools/draft/",
        {"note": "題を短く", "draft": digest_field(html, "draft")},
        follow=True,
    )

    assert diff_rows(html) == [
        (
            "変更 提案 build-record",
            "タイトル（日本語）",
            "まず実績とポートフォリオをつくる",
            "下書きの題",
        )
    ]
    assert "第2版として公開しました。" in published.content.decode()
    version = CriteriaVersion.objects.get(number=2)
    assert (version.note, version.author) == ("題を短く", "hanako")
    assert version.data["strategies"][0]["title_ja"] == "下書きの題"
    assert not store.has_draft()


def test_publishing_without_a_note_keeps_the_page_and_publishes_nothing(editor):
    retitle()
    html = page(editor, "/admin/tools/draft/")

    response = editor.post(
        "/admin/tools/draft/", {"note": " ", "draft": digest_field(html, "draft")}
    )

    assert response.status_code == 422
    assert "公開のメモを書いてください（何を、なぜ変えたか）。" in response.content.decode()
    assert CriteriaVersion.objects.count() == 1


def test_publishing_a_draft_that_changed_since_it_was_shown_is_refused_keeping_the_note(editor):
    retitle()
    html = page(editor, "/admin/tools/draft/")
    retitle("別の人が保存した題")

    response = editor.post(
        "/admin/tools/draft/", {"note": "題を短く", "draft": digest_field(html, "draft")}
    )

    shown = response.content.decode()
    assert response.status_code == 422
    assert "このページを開いた後で下書きが変わりました。変更点を確かめ直してください。" in shown
    assert 'value="題を短く"' in shown
    assert "別の人が保存した題" in shown
    assert CriteriaVersion.objects.count() == 1


def test_a_refused_publish_lists_every_blocker(editor):
    Strategy.objects.get(slug="build-record").citations.all().delete()
    CriteriaTestCase.objects.create(
        slug="expects-events",
        name="交流会を勧められる人",
        answers=f.personas()[0]["answers"],
        expect_strategies=["no-such-strategy"],
    )
    html = page(editor, "/admin/tools/draft/")

    response = editor.post(
        "/admin/tools/draft/", {"note": "公開", "draft": digest_field(html, "draft")}
    )

    blockers = re.search(
        r'<ul class="blockers" id="publish-blockers">(.*?)</ul>',
        unescape(response.content.decode()),
        re.S,
    )
    assert response.status_code == 422
    assert blockers is not None
    assert re.findall(r"<li>(.*?)</li>", blockers[1]) == [
        "提案『まず実績とポートフォリオをつくる』の出典箇所：出典記事の節を1つ以上引いてください。"
    ]
    assert CriteriaVersion.objects.count() == 1
    # Once the criteria are valid, the failing test case is what blocks.
    store.discard_draft()
    html = page(editor, "/admin/tools/draft/")
    assert (
        "テストケース『交流会を勧められる人』（expects-events）："
        "提案 no-such-strategy が出ていません" in unescape(html)
    )


def test_discarding_shows_what_goes_then_puts_the_published_version_back(editor):
    retitle()

    confirm = page(editor, "/admin/tools/draft/discard/")
    done = editor.post(
        "/admin/tools/draft/discard/", {"draft": digest_field(confirm, "draft")}, follow=True
    )

    assert diff_rows(confirm) == [
        (
            "変更 提案 build-record",
            "タイトル（日本語）",
            "下書きの題",
            "まず実績とポートフォリオをつくる",
        )
    ]
    assert "下書きを破棄しました（今は公開中の第1版と同じです）。" in done.content.decode()
    assert Strategy.objects.get(slug="build-record").title_ja == "まず実績とポートフォリオをつくる"
    assert CriteriaVersion.objects.count() == 1


def publish_title(title: str, note: str) -> None:
    retitle(title)
    store.publish_draft(note, "hanako")


def test_the_versions_page_lists_versions_and_compares_any_two(editor):
    publish_title("二版目の題", "二版目")
    publish_title("三版目の題", "三版目")

    html = page(editor, "/admin/tools/versions/?a=1&b=3")

    rows = re.findall(
        r"<tr>\s*<th scope=\"row\">(\d+).*?</th>\s*<td>.*?</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>",
        html,
        re.S,
    )
    assert rows == [("3", "三版目", "hanako"), ("2", "二版目", "hanako"), ("1", "", "")]
    assert diff_rows(html) == [
        (
            "変更 提案 build-record",
            "タイトル（日本語）",
            "まず実績とポートフォリオをつくる",
            "三版目の題",
        )
    ]


def test_restoring_an_earlier_version_loads_it_whole_as_a_draft(editor):
    publish_title("二版目の題", "二版目")

    confirm = page(editor, "/admin/tools/versions/1/restore/")
    editor.post("/admin/tools/versions/1/restore/", {"draft": digest_field(confirm, "draft")})

    assert 'id="draft-would-be-lost"' not in confirm
    assert Strategy.objects.get(slug="build-record").title_ja == "まず実績とポートフォリオをつくる"
    assert store.live_data()["strategies"][0]["title_ja"] == "二版目の題"
    assert store.has_draft()


def test_restoring_over_unpublished_work_says_what_would_be_lost_first(editor):
    publish_title("二版目の題", "二版目")
    Strategy.objects.filter(slug="grow-alone").update(title_en="Unpublished work")

    confirm = page(editor, "/admin/tools/versions/1/restore/")
    stale = editor.post("/admin/tools/versions/1/restore/", {"draft": "0" * 64})

    lost = re.search(r'<div class="errornote" id="draft-would-be-lost">(.*?)</div>', confirm, re.S)
    assert lost is not None
    assert (
        "下書きには、まだ公開していない変更が1件あります。続けると、その変更は失われます。"
        in lost[1]
    )
    assert "grow-alone" in lost[1]
    assert stale.status_code == 409
    assert Strategy.objects.get(slug="grow-alone").title_en == "Unpublished work"


def test_a_proposal_is_listed_with_its_diff_and_adopted_into_the_draft(editor):
    shipped = f.shipped_criteria()
    shipped["warnings"][0]["title_en"] = "Shipped title"
    proposal = ShippedCriteria.objects.create(
        digest=store.digest_of(store.canonical(shipped)),
        data=store.canonical(shipped),
        state="proposed",
    )
    slug = shipped["warnings"][0]["slug"]

    draft = page(editor, "/admin/tools/draft/")
    listed = page(editor, "/admin/tools/proposals/")
    confirm = page(editor, f"/admin/tools/proposals/{proposal.pk}/adopt/")
    editor.post(
        f"/admin/tools/proposals/{proposal.pk}/adopt/", {"draft": digest_field(confirm, "draft")}
    )

    assert (
        f"変更 注意 {slug}",
        "タイトル（英語）",
        f.shipped_criteria()["warnings"][0]["title_en"],
        "Shipped title",
    ) in diff_rows(listed)
    assert "基準のファイルが1件、提案として待っています。" in draft
    assert store.draft_data()["warnings"][0]["title_en"] == "Shipped title"
    assert CriteriaVersion.objects.count() == 1
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by) == ("adopted", "hanako")


def test_a_proposal_can_be_dismissed(editor):
    proposal = ShippedCriteria.objects.create(digest="a" * 64, data={}, state="proposed")

    editor.post(f"/admin/tools/proposals/{proposal.pk}/dismiss/")

    proposal.refresh_from_db()
    assert proposal.state == "dismissed"
    assert 'id="no-proposals"' in page(editor, "/admin/tools/proposals/")


def upload(data: dict[str, Any]) -> SimpleUploadedFile:
    return SimpleUploadedFile("criteria.json", json.dumps(data, ensure_ascii=False).encode())


def test_two_tabs_each_apply_the_file_they_showed(editor):
    first, second = f.shipped_criteria(), f.shipped_criteria()
    first["strategies"][0]["title_ja"] = "一つ目のファイル"
    second["strategies"][0]["title_ja"] = "二つ目のファイル"

    tab_a = editor.post("/admin/tools/import/", {"file": upload(first)}).content.decode()
    tab_b = editor.post("/admin/tools/import/", {"file": upload(second)}).content.decode()
    apply_import(editor, tab_a)

    assert Strategy.objects.get(slug="build-record").title_ja == "一つ目のファイル"
    # Tab B's page was shown against the draft before A was applied: it must be looked at again.
    again = editor.post(
        "/admin/tools/import/",
        {
            "apply": "1",
            "digest": digest_field(tab_b, "digest"),
            "draft": digest_field(tab_b, "draft"),
        },
    )
    assert again.status_code == 409
    assert Strategy.objects.get(slug="build-record").title_ja == "一つ目のファイル"
    apply_import(editor, again.content.decode())
    assert Strategy.objects.get(slug="build-record").title_ja == "二つ目のファイル"


def test_a_refused_upload_clears_nothing_and_applies_nothing(editor):
    good = f.shipped_criteria()
    good["strategies"][0]["title_ja"] = "確かめたファイル"
    bad = f.shipped_criteria()
    bad["warnings"][0]["citations"] = []

    shown = editor.post("/admin/tools/import/", {"file": upload(good)}).content.decode()
    refused = editor.post("/admin/tools/import/", {"file": upload(bad)}).content.decode()

    assert "読み込めません。何も変更していません。" in refused
    assert 'name="apply"' not in refused
    assert UploadedCriteria.objects.count() == 1
    assert not store.has_draft()
    apply_import(editor, shown)
    assert Strategy.objects.get(slug="build-record").title_ja == "確かめたファイル"


def test_an_unknown_digest_applies_nothing(editor):
    response = editor.post(
        "/admin/tools/import/", {"apply": "1", "digest": "f" * 64, "draft": "0" * 64}
    )

    assert response.status_code == 410
    assert not store.has_draft()


def add_required_question() -> Question:
    question = Question.objects.create(
        slug="new-required",
        kind="single",
        label_ja="新しい質問",
        label_en="New question",
        text_ja="新しい質問です。",
        text_en="A new question.",
        required=True,
        position=999,
    )
    for i, slug in enumerate(["yes", "no"]):
        Choice.objects.create(
            question=question, slug=slug, label_ja=slug, label_en=slug, position=i
        )
    return question


def test_a_new_required_question_is_answered_for_every_case_on_one_screen(editor):
    CriteriaTestCase.objects.create(slug="one", name="一人目", answers=f.personas()[0]["answers"])
    CriteriaTestCase.objects.create(slug="two", name="二人目", answers=f.personas()[1]["answers"])
    add_required_question()

    draft = page(editor, "/admin/tools/draft/")
    html = page(editor, "/admin/tools/test-cases/answers/")
    editor.post(
        "/admin/tools/test-cases/answers/", {"one:new-required": "yes", "two:new-required": "no"}
    )

    assert "/admin/tools/test-cases/answers/" in draft
    assert re.findall(r'name="(\w+:new-required)" value="(\w+)"', html) == [
        ("one:new-required", "yes"),
        ("one:new-required", "no"),
        ("two:new-required", "yes"),
        ("two:new-required", "no"),
    ]
    assert CriteriaTestCase.objects.get(slug="one").answers["new-required"] == "yes"
    assert CriteriaTestCase.objects.get(slug="two").answers["new-required"] == "no"
    assert 'id="no-missing-answers"' in page(editor, "/admin/tools/test-cases/answers/")


def test_an_answer_that_is_not_a_choice_is_not_saved(editor):
    CriteriaTestCase.objects.create(slug="one", name="一人目", answers=f.personas()[0]["answers"])
    add_required_question()

    editor.post("/admin/tools/test-cases/answers/", {"one:new-required": "maybe"})

    assert "new-required" not in CriteriaTestCase.objects.get(slug="one").answers


@pytest.mark.parametrize("tool", ["preview", "test-cases", "coverage", "test-cases/answers"])
def test_the_draft_tools_say_why_an_invalid_draft_cannot_run(editor, tool):
    Strategy.objects.get(slug="build-record").citations.all().delete()

    response = editor.get(f"/admin/tools/{tool}/")

    assert response.status_code == 409
    assert (
        "<li>提案『まず実績とポートフォリオをつくる』の出典箇所：出典記事の節を1つ以上引いてください。</li>"
        in response.content.decode()
    )


def test_the_preview_runs_on_the_draft(editor):
    retitle("プレビューで見える題")
    answers = json.dumps(f.personas()[0]["answers"], ensure_ascii=False)

    CriteriaTestCase.objects.create(slug="walk", name="歩く", answers=json.loads(answers))
    html = page(editor, "/admin/tools/preview/?case=walk")

    assert "プレビューで見える題" in html


def models_an_import_writes() -> set[str]:
    """The models whose tables an import (`stage_criteria`, which writes what `replace_criteria`
    writes, without publishing) inserts rows into, read from its queries."""
    changed = f.shipped_criteria()
    changed["dimensions"].reverse()
    with CaptureQueriesContext(connection) as queries:
        assert store.stage_criteria(changed)
    tables = {m for q in queries for m in re.findall(r'INSERT INTO "(\w+)"', q["sql"])}
    return {
        str(model._meta.model_name)
        for model in apps.get_app_config("quiz").get_models(include_auto_created=True)
        if model._meta.db_table in tables
        and not model._meta.auto_created
        and not model.__name__.startswith("Historical")
    }


def test_the_editor_group_may_change_every_model_an_import_writes():
    granted = set(
        Group.objects.get(name="editor").permissions.values_list("content_type__model", "codename")
    )
    written = models_an_import_writes()

    missing = [
        f"{action}_{model}"
        for model in sorted(written)
        for action in ("add", "change", "delete", "view")
        if (model, f"{action}_{model}") not in granted
    ]

    assert missing == []
    assert written == {
        "dimension",
        "source",
        "section",
        "question",
        "choice",
        "choicescore",
        "displaycondition",
        "rule",
        "rulecondition",
        "strategy",
        "strategycitation",
        "warningsign",
        "warningcitation",
        "resulttype",
        "resulttypecitation",
    }
    assert ("criteriaversion", "publish_criteria") in granted


def test_an_editor_opens_result_types_in_the_admin(editor):
    assert editor.get("/admin/quiz/resulttype/").status_code == 200


def test_staff_without_the_publish_permission_may_not_publish(client):
    user = User.objects.create_user("taro", "taro@example.jp", "x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_strategy"))
    client.force_login(user)
    retitle()
    html = page(client, "/admin/tools/draft/")

    assert 'id="publish-form"' not in html
    assert client.post("/admin/tools/draft/", {"note": "x", "draft": "0" * 64}).status_code == 403
    assert client.get("/admin/tools/draft/discard/").status_code == 403
    assert CriteriaVersion.objects.count() == 1
