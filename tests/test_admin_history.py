"""Each criteria item's history in the admin: who changed what, with many-to-many fields, and
the revert form (quiz.admin.CriteriaAdmin), in the admin's language."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client

from quiz.models import Strategy
from tests import admin_pages as pages
from tests.admin_pages import strategy_form

pytestmark = pytest.mark.usefixtures("shipped_criteria")


@pytest.fixture
def editor(client: Client) -> Client:
    return pages.admin(client)


def test_history_records_who_changed_what(editor):
    strategy = Strategy.objects.get(slug="build-record")
    editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/",
        strategy_form(strategy, title_ja="まず実績をつくる"),
    )

    latest = strategy.history.first()
    html = editor.get(f"/admin/quiz/strategy/{strategy.pk}/history/").content.decode()

    assert latest.title_ja == "まず実績をつくる"
    assert latest.history_user.username == "admin"
    # The history page lists each change with the field's label and its new value.
    assert "タイトル（日本語）" in html
    assert "まず実績をつくる" in html


def test_history_records_which_strategies_contradict(editor):
    strategy = Strategy.objects.get(slug="build-record")
    before = {s.slug for s in strategy.contradicts.all()}
    added = Strategy.objects.exclude(slug__in=before | {strategy.slug}).order_by("slug").first()
    assert added is not None
    form = strategy_form(strategy)
    form["contradicts"] = [*form["contradicts"], str(added.pk)]  # type: ignore[assignment]

    editor.post(f"/admin/quiz/strategy/{strategy.pk}/change/", form)

    latest, previous = strategy.history.all()[:2]
    html = editor.get(f"/admin/quiz/strategy/{strategy.pk}/history/").content.decode()
    delta = latest.diff_against(previous)

    assert [c.field for c in delta.changes] == ["contradicts"]
    assert {r["to_strategy"] for r in delta.changes[0].new} - {
        r["to_strategy"] for r in delta.changes[0].old
    } == {added.pk}
    assert "両立しない提案" in html


def test_reverting_a_strategy_restores_which_strategies_it_contradicts(editor):
    strategy = Strategy.objects.get(slug="build-record")
    before = sorted(s.pk for s in strategy.contradicts.all())
    added = Strategy.objects.exclude(pk__in=[*before, strategy.pk]).order_by("slug").first()
    assert added is not None
    form = strategy_form(strategy)
    form["contradicts"] = [*form["contradicts"], str(added.pk)]  # type: ignore[assignment]
    editor.post(f"/admin/quiz/strategy/{strategy.pk}/change/", form)
    assert added in strategy.contradicts.all()
    original = strategy.history.order_by("history_date", "history_id").first()
    url = f"/admin/quiz/strategy/{strategy.pk}/history/{original.history_id}/"

    shown = editor.get(url).content.decode()
    select = re.search(r'<select name="contradicts".*?</select>', shown, re.S)
    assert select is not None
    selected = re.findall(r'<option value="(\d+)" selected>', select.group(0))
    response = editor.post(url, {**strategy_form(strategy), "contradicts": selected})

    assert sorted(int(pk) for pk in selected) == before
    assert response.status_code == 302
    assert sorted(s.pk for s in strategy.contradicts.all()) == before


@pytest.mark.parametrize(
    "model", ["source", "dimension", "question", "choice", "rule", "strategy", "warningsign"]
)
def test_every_criteria_item_has_a_history_and_a_revert_form(editor, model):
    item = apps.get_model("quiz", model).objects.order_by("pk").first()
    version = item.history.order_by("history_id").first()

    listing = editor.get(f"/admin/quiz/{model}/{item.pk}/history/")
    form = editor.get(f"/admin/quiz/{model}/{item.pk}/history/{version.history_id}/")

    assert listing.status_code == 200
    assert form.status_code == 200
    assert 'name="slug"' not in form.content.decode()


@pytest.mark.parametrize(
    ("model", "rows"),
    [
        ("question", "選択肢と質問の表示条件は今のまま"),
        ("strategy", "出典箇所は今のまま"),
        ("dimension", None),
    ],
)
def test_the_revert_form_says_which_inline_rows_it_leaves_as_they_are(editor, model, rows):
    item = apps.get_model("quiz", model).objects.order_by("pk").first()
    version = item.history.order_by("history_id").first()

    html = editor.get(f"/admin/quiz/{model}/{item.pk}/history/{version.history_id}/").content
    notice = re.search(r"<p>(この版に戻しても.*?)</p>", html.decode(), re.S)

    if rows is None:
        assert notice is None
    else:
        assert notice is not None
        assert rows in notice.group(1)


def test_the_history_pages_speak_japanese(editor):
    strategy = Strategy.objects.get(slug="build-record")
    version = strategy.history.order_by("history_id").first()

    listing = editor.get(f"/admin/quiz/strategy/{strategy.pk}/history/").content.decode()
    form = editor.get(
        f"/admin/quiz/strategy/{strategy.pk}/history/{version.history_id}/"
    ).content.decode()

    assert "戻したい版を、下の一覧の日時から選んでください。" in listing
    assert "変更した人" in listing
    assert "下の「この版に戻す」を押すと、この版に戻ります。" in form
    assert 'value="この版に戻す"' in form
    assert "Revert" not in form


def test_the_revert_form_names_the_rows_in_english(editor):
    strategy = Strategy.objects.get(slug="build-record")
    version = strategy.history.order_by("history_id").first()

    html = editor.get(
        f"/admin/quiz/strategy/{strategy.pk}/history/{version.history_id}/",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert "Reverting restores this item's own fields only. Its citations stay" in html


@pytest.mark.parametrize("version", ["abc", "1.5", "-1", "9" * 30, "999999", "OTHER"])
def test_an_unknown_or_malformed_history_version_is_a_404(editor, version):
    strategy = Strategy.objects.get(slug="build-record")
    if version == "OTHER":  # a version of another strategy
        other = Strategy.objects.exclude(pk=strategy.pk).first()
        version = str(other.history.first().history_id)

    response = editor.get(f"/admin/quiz/strategy/{strategy.pk}/history/{version}/")

    assert response.status_code == 404


@pytest.mark.parametrize("object_id", ["abc", "9" * 30])
def test_the_history_of_a_malformed_id_is_a_404(editor, object_id):
    assert editor.get(f"/admin/quiz/strategy/{object_id}/history/").status_code == 404
    assert editor.get(f"/admin/quiz/strategy/{object_id}/history/1/").status_code == 404
