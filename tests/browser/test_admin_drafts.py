"""An editor's walk in Chromium, with JavaScript on and off: edit a strategy, see the draft's
diff, preview the draft, publish it with a note, then restore the first version and publish
that. The public keeps the published criteria until each publish. `ADMIN_SCREENS=dir` also
saves the diff and publish screens at 390x844 and 1280 wide there (docs/screens/ holds them)."""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import Browser, Page, ViewportSize, expect

from quiz import criteria as store
from quiz.models import CriteriaTestCase, CriteriaVersion
from tests import factories as f
from tests.browser.conftest import assert_accessible

SHIPPED_TITLE = "まず実績とポートフォリオをつくる"
PHONE: ViewportSize = {"width": 390, "height": 844}
WIDE: ViewportSize = {"width": 1280, "height": 900}


def editor_group() -> Group:
    # The live server's database is flushed between tests: set the group up as the migrations do.
    migration = import_module("quiz.migrations.0010_drafts_and_shipped_criteria")
    group, _ = Group.objects.get_or_create(name="editor")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="quiz", content_type__model__in=migration.EDITOR_MODELS
        )
        | Permission.objects.filter(codename__in=migration.EDITOR_EXTRA)
    )
    return group


def sign_in(page: Page, site: str) -> None:
    user = User.objects.create_user("hanako", password="a-long-test-password", is_staff=True)
    user.groups.add(editor_group())
    page.goto(site + "/admin/login/")
    page.get_by_label("ユーザー名").fill("hanako")
    page.get_by_label("パスワード").fill("a-long-test-password")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("link", name="下書きの確認と公開").first).to_be_visible()


def screens(page: Page, name: str) -> None:
    where = os.environ.get("ADMIN_SCREENS")
    if not where:
        return
    for label, size in (("phone", PHONE), ("wide", WIDE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(Path(where) / f"admin-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDE)


def publish(page: Page, note: str) -> None:
    page.get_by_label("公開のメモ（必須）").fill(note)
    page.get_by_role("button", name="上の変更を公開する").click()
    expect(page.locator(".messagelist")).to_contain_text("版として公開しました。")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_editor_edits_previews_publishes_and_restores(
    browser: Browser, site: str, javascript: bool
) -> None:
    persona = f.personas()[0]
    CriteriaTestCase.objects.create(
        slug=persona["slug"], name=persona["name_ja"], answers=persona["answers"]
    )
    context = browser.new_context(java_script_enabled=javascript, locale="ja-JP", viewport=WIDE)
    page = context.new_page()
    sign_in(page, site)

    # Edit: the save lands in the draft, and the admin says so.
    page.goto(site + "/admin/quiz/strategy/")
    page.get_by_role("link", name=SHIPPED_TITLE).click()
    page.locator("#id_title_ja").fill("まず実績をつくる")
    page.get_by_role("button", name="保存", exact=True).last.click()
    expect(page.locator(".messagelist")).to_contain_text("下書きに保存しました。")
    assert store.live_data()["strategies"][0]["title_ja"] == SHIPPED_TITLE

    # The draft: the change field by field.
    page.get_by_role("link", name="下書きを確認して公開する").click()
    change = page.locator(".diff-item").first
    expect(change.locator("h3")).to_contain_text("build-record")
    expect(change.locator(".diff-old")).to_have_text(SHIPPED_TITLE)
    expect(change.locator(".diff-new")).to_have_text("まず実績をつくる")
    if javascript:  # axe runs in the page
        assert_accessible(page)
        screens(page, "publish")

    # The preview runs on the draft.
    page.goto(site + f"/admin/tools/preview/?case={persona['slug']}")
    expect(page.locator("article.result")).to_contain_text("まず実績をつくる")

    # Publish with a note.
    page.goto(site + "/admin/tools/draft/")
    publish(page, "題を短く")
    assert store.live_data()["strategies"][0]["title_ja"] == "まず実績をつくる"
    expect(page.locator("#versions")).to_contain_text("題を短く")
    page.goto(site + "/admin/tools/versions/?a=1&b=2")
    expect(page.locator("#compare-changes .diff-new")).to_have_text("まず実績をつくる")
    if javascript:
        assert_accessible(page)
        screens(page, "diff")

    # Restore the first version whole, as a draft, and publish it.
    page.goto(site + "/admin/tools/versions/")
    page.get_by_role("link", name="第1版を下書きに戻す").click()
    expect(page.locator("#replace-changes .diff-new")).to_have_text(SHIPPED_TITLE)
    page.get_by_role("button", name="第1版を下書きに戻す").click()
    expect(page.locator(".messagelist")).to_contain_text("第1版を下書きに戻しました。")
    publish(page, "元の題に戻す")

    assert list(CriteriaVersion.objects.values_list("number", "note", "author")) == [
        (3, "元の題に戻す", "hanako"),
        (2, "題を短く", "hanako"),
        (1, "", ""),
    ]
    assert store.live_data()["strategies"][0]["title_ja"] == SHIPPED_TITLE
    context.close()
