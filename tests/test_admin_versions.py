"""Published versions (quiz.admin_drafts.versions, restore): listed, any two compared, any one
restored whole as the draft."""

from __future__ import annotations

import re

import pytest

from quiz import criteria as store
from quiz.models import Strategy
from tests.admin_pages import diff_rows, digest_field, page, retitle

pytestmark = pytest.mark.usefixtures("shipped_criteria")


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


def test_the_compare_form_offers_every_version_the_newest_against_the_one_before(editor):
    publish_title("二版目の題", "二版目")

    html = page(editor, "/admin/tools/versions/")

    assert re.findall(r'<option value="(\d+)"( selected)?>', html) == [
        ("2", ""),
        ("1", " selected"),
        ("2", " selected"),
        ("1", ""),
    ]
    assert 'id="compare-changes"' not in html


@pytest.mark.parametrize("query", ["a=1&b=9", "a=x&b=1", "a=1"])
def test_comparing_a_version_that_does_not_exist_is_a_readable_400(editor, query):
    publish_title("二版目の題", "二版目")

    response = editor.get(f"/admin/tools/versions/?{query}")

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'<ul class="errorlist"[^>]*><li>[^<]+</li></ul>', html)
    assert 'id="compare-changes"' not in html


def test_a_stale_restore_shows_the_draft_now_and_restores_when_sent_again(editor):
    publish_title("二版目の題", "二版目")
    confirm = page(editor, "/admin/tools/versions/1/restore/")
    retitle("別の人が保存した題")

    stale = editor.post(
        "/admin/tools/versions/1/restore/", {"draft": digest_field(confirm, "draft")}
    )
    again = stale.content.decode()
    assert stale.status_code == 409
    assert "このページを開いた後で下書きが変わりました。変更点を確かめ直してください。" in again
    assert digest_field(again, "draft") == store.digest_of(store.draft_data())
    assert Strategy.objects.get(slug="build-record").title_ja == "別の人が保存した題"

    editor.post("/admin/tools/versions/1/restore/", {"draft": digest_field(again, "draft")})

    assert Strategy.objects.get(slug="build-record").title_ja == "まず実績とポートフォリオをつくる"
