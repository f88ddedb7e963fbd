"""The draft's page (quiz.admin_drafts.draft): its changes field by field, what blocks it,
publishing it with a note; discarding it; the tools that refuse to run on a draft that is not
valid yet."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User

from quiz import criteria as store
from quiz.models import CriteriaTestCase, CriteriaVersion, Strategy
from tests import factories as f
from tests.admin_pages import diff_rows, digest_field, page, retitle

pytestmark = pytest.mark.usefixtures("shipped_criteria")


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


@pytest.mark.parametrize("tool", ["preview", "test-cases", "coverage", "test-cases/answers"])
def test_the_draft_tools_say_why_an_invalid_draft_cannot_run(editor, tool):
    Strategy.objects.get(slug="build-record").citations.all().delete()

    response = editor.get(f"/admin/tools/{tool}/")

    assert response.status_code == 409
    assert (
        "<li>提案『まず実績とポートフォリオをつくる』の出典箇所：出典記事の節を1つ以上引いてください。</li>"
        in response.content.decode()
    )
