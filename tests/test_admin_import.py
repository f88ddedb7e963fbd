"""Importing a file into the draft (quiz.admin_import): its changes shown, then exactly that file
applied by its digest; a refused upload changes and clears nothing."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from quiz import criteria as store
from quiz.models import CriteriaVersion, Strategy, UploadedCriteria
from tests import factories as f
from tests.admin_pages import apply_import, diff_rows, digest_field, draft_digest, upload

pytestmark = pytest.mark.usefixtures("shipped_criteria")


def test_import_shows_the_changes_then_applies_them_atomically(superuser):
    data = f.shipped_criteria()
    data["strategies"][0]["title_ja"] = "実績づくりを最優先に"
    data["rules"] = data["rules"][1:]
    removed_rule = f.shipped_criteria()["rules"][0]["slug"]

    shown = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()
    changes = diff_rows(shown)
    assert (
        "変更 提案 build-record",
        "タイトル（日本語）",
        "まず実績とポートフォリオをつくる",
        "実績づくりを最優先に",
    ) in (changes)
    assert any(row[0] == f"削除 ルール {removed_rule}" for row in changes)
    assert Strategy.objects.get(slug="build-record").title_ja != "実績づくりを最優先に"

    applied = apply_import(superuser, shown)

    assert "ファイルを下書きに読み込みました。確かめてから公開してください。" in applied
    assert Strategy.objects.get(slug="build-record").title_ja == "実績づくりを最優先に"
    assert CriteriaVersion.objects.count() == 1


def test_an_import_preview_warns_about_new_texts_against_the_glossary_and_can_still_apply(
    superuser,
):
    data = f.shipped_criteria()
    data["strategies"][0]["title_ja"] = "いちばんのおすすめ"

    shown = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()

    notes = re.search(r'<div id="import-notes">.*?</div>', shown, re.S)
    assert notes is not None
    assert re.findall(r'<li class="warning">(.*?)</li>', notes.group(0)) == [
        "提案『まず実績とポートフォリオをつくる』のタイトル（日本語）："
        "「おすすめ」ではなく「提案」と書きます（用語集）。"
    ]
    applied = apply_import(superuser, shown)
    assert "ファイルを下書きに読み込みました。確かめてから公開してください。" in applied
    assert Strategy.objects.get(slug="build-record").title_ja == "いちばんのおすすめ"


def test_an_import_preview_of_unchanged_texts_has_no_glossary_notes(superuser):
    data = f.shipped_criteria()
    data["rules"] = data["rules"][1:]

    shown = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()

    assert 'id="import-changes"' in shown
    assert 'id="import-notes"' not in shown


def test_an_invalid_import_shows_errors_and_changes_nothing(superuser):
    data = f.shipped_criteria()
    data["warnings"][0]["citations"] = []

    html = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()

    assert "読み込めません。何も変更していません。" in html
    slug = data["warnings"][0]["slug"]
    assert (
        "<li>注意『マルチ商法の勧誘』の出典箇所：出典記事の節を1つ以上引いてください。</li>" in html
    )
    assert slug == "mlm-recruiting"
    assert CriteriaVersion.objects.count() == 1


def test_an_import_that_makes_a_test_case_fail_goes_into_the_draft_but_cannot_be_published(
    superuser,
):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    data = f.shipped_criteria()
    data["rules"] = [r for r in data["rules"] if r["slug"] != "two-cards"]

    shown = superuser.post("/admin/tools/import/", {"file": upload(data)}).content.decode()
    blocker = (
        "テストケース『名刺を2枚持つ副業家』（two-card-sidehustler）：上位3件が "
        "one-card-nominated, stop-stranger-mixers, broadcast-on-sns ではなく "
        "stop-stranger-mixers, broadcast-on-sns, not-for-business です"
    )
    assert blocker in unescape(shown)
    apply_import(superuser, shown)
    draft = superuser.get("/admin/tools/draft/").content.decode()
    published = superuser.post(
        "/admin/tools/draft/", {"note": "ルールを減らす", "draft": draft_digest(draft)}
    )

    assert published.status_code == 422
    assert blocker in unescape(published.content.decode())
    assert not any(r.slug == "two-cards" for r in store.load_criteria().rules)
    assert CriteriaVersion.objects.count() == 1


def import_errors(html: str) -> list[str]:
    found = re.search(
        r'<div class="errornote" id="import-errors">.*?<ul[^>]*>(.*?)</ul>', html, re.S
    )
    assert found is not None, "no list of problems on the page"
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1))]


def test_an_upload_with_wrong_types_lists_every_problem_in_japanese(superuser):
    data = f.shipped_criteria()
    title = data["sources"][0]["title"]
    data["sources"][0]["url"] = "javascript:alert(1)"
    data["sources"][0]["author"] = ["著者"]
    data["strategies"][0]["priority"] = 10**30
    data["strategies"][0]["contradicts"] = 5

    response = superuser.post("/admin/tools/import/", {"file": upload(data)})

    assert response.status_code == 200
    assert import_errors(response.content.decode()) == [
        f"出典記事『{title}』の著者：文字列にしてください(リストになっています)。",
        f"出典記事『{title}』のURL：http:// か https:// で始まるウェブのアドレスにしてください。",
        "提案『まず実績とポートフォリオをつくる』の優先度：1000000000000000000000000000000 "
        "は範囲外です。-2147483648 から 2147483647 までの整数にしてください。",
        "提案『まず実績とポートフォリオをつくる』の両立しない提案："
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
        f'rule "{data["rules"][0]["slug"]}", strategy it gives: '
        "must be a strategy's slug, not a list"
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
            "JSON として読めません(1行目、2文字目: キーは二重引用符で囲んでください)。",
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


def test_an_upload_without_a_file_is_a_readable_error(superuser):
    response = superuser.post("/admin/tools/import/", {})

    assert response.status_code == 200
    assert len(import_errors(response.content.decode())) == 1
    assert 'name="apply"' not in response.content.decode()
