"""The editors' tools in Chromium: an editor signs in, walks the preview question by question,
and reads the outcomes; every page passes axe."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import Page, expect

from quiz.engine.emblem import icon_svg
from quiz.models import ResultType
from tests.browser.conftest import assert_accessible

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def sign_in_as_editor(page: Page, site: str) -> None:
    # The live server's database is flushed between tests: set the group up as the migrations do.
    migration = import_module("quiz.migrations.0010_drafts_and_shipped_criteria")
    group, _ = Group.objects.get_or_create(name="editor")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="quiz", content_type__model__in=migration.EDITOR_MODELS
        )
        | Permission.objects.filter(codename__in=migration.EDITOR_EXTRA)
    )
    user = User.objects.create_user("hanako", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    page.goto(site + "/admin/login/")
    page.get_by_label("ユーザー名").fill("hanako")
    page.get_by_label("パスワード").fill("a-long-test-password")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("link", name="結果のプレビュー")).to_be_visible()


def test_an_editor_walks_the_preview_one_question_at_a_time(page: Page, site: str) -> None:
    sign_in_as_editor(page, site)
    page.get_by_role("link", name="結果のプレビュー").click()
    asked = 0
    while page.locator("fieldset legend").count():
        if asked in (0, 3):
            assert_accessible(page)
        form = page.locator("form.preview-step")
        radios = form.locator("fieldset input[type=radio]")
        if radios.count():
            radios.first.check()
        else:
            form.locator("fieldset input[type=checkbox]").first.check()
        # The step is a plain form: wait for the next page to load before counting its legends,
        # or a slow machine ends the walk on a page still loading.
        with page.expect_navigation():
            form.get_by_role("button", name="次へ").or_(
                form.get_by_role("button", name="結果を見る")
            ).click()
        asked += 1
        assert asked < 30

    expect(page.locator("article.result h2").first).to_be_visible()
    assert asked >= 8
    assert_accessible(page)
    page.get_by_role("button", name="Show in English").click()
    expect(page.locator("article.result")).to_contain_text("Sources")
    assert_accessible(page)


def test_the_outcomes_dashboard_passes_axe(page: Page, site: str) -> None:
    sign_in_as_editor(page, site)
    page.goto(site + "/admin/tools/outcomes/")

    expect(page.locator("svg.chart")).to_have_count(5)
    assert_accessible(page)


def test_an_editor_picks_a_types_emblem_and_the_type_page_shows_it(page: Page, site: str) -> None:
    sign_in_as_editor(page, site)
    kind = ResultType.objects.get(slug="peer-ready")
    page.goto(site + f"/admin/quiz/resulttype/{kind.pk}/change/")
    # The emblem's fields; Django's own inline rows below them have unlabelled cells.
    assert_accessible(page, ".form-row.field-icon")
    page.locator(".form-row.field-icon").screenshot(path=str(ARTIFACTS / "admin-emblem.png"))

    page.get_by_label("エンブレムのアイコン").select_option("link")
    page.get_by_label("エンブレムの色").fill("#9d174d")
    page.get_by_role("button", name="保存して編集を続ける").first.click()

    expect(page.locator(".messagelist")).to_contain_text("下書きに保存しました。")
    expect(page.get_by_label("エンブレムのアイコン")).to_have_value("link")
    expect(page.get_by_label("エンブレムの色")).to_have_value("#9d174d")
    # In the draft until published: the public type page keeps the published emblem.
    page.goto(site + "/types/peer-ready/")
    expect(page.locator(".type-head .emblem svg rect")).to_have_attribute("fill", "#1d4ed8")
    page.goto(site + "/admin/tools/draft/")
    page.get_by_label("公開のメモ（必須）").fill("エンブレムを変更")
    page.get_by_role("button", name="上の変更を公開する").click()
    expect(page.locator(".messagelist")).to_contain_text("版として公開しました。")
    page.goto(site + "/types/peer-ready/")
    emblem = page.locator(".type-head .emblem svg")
    expect(emblem.locator("rect")).to_have_attribute("fill", "#9d174d")
    assert emblem.locator("path").count() == icon_svg("link").count("<path ")
    assert_accessible(page)
