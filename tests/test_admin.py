"""The criteria admin: every page opens, an edit lands in the draft and is published from the
draft's page with a note, and an edit that would break the criteria is kept in the draft while
what blocks publishing it is named."""

from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from quiz import criteria as store
from quiz.models import (
    Choice,
    CriteriaTestCase,
    CriteriaVersion,
    Question,
    Rule,
    RuleCondition,
    Strategy,
)
from tests import admin_pages as pages
from tests import factories as f
from tests.admin_pages import SAVED, live, notices, publish, rule_form, strategy_form

pytestmark = pytest.mark.usefixtures("shipped_criteria")


@pytest.fixture
def editor(client: Client) -> Client:
    return pages.admin(client)


@pytest.mark.parametrize(
    "model",
    [
        "source",
        "dimension",
        "question",
        "choice",
        "rule",
        "strategy",
        "warningsign",
        "criteriaversion",
    ],
)
def test_every_criteria_admin_list_and_first_change_page_opens(editor, model):
    listing = editor.get(f"/admin/quiz/{model}/")
    assert listing.status_code == 200

    first = apps.get_model("quiz", model).objects.order_by("pk").first()
    assert editor.get(f"/admin/quiz/{model}/{first.pk}/change/").status_code == 200


def test_a_valid_edit_lands_in_the_draft_and_is_published_with_a_note(editor):
    strategy = Strategy.objects.get(slug="build-record")
    versions = CriteriaVersion.objects.count()

    response = editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/",
        strategy_form(strategy, title_ja="まず実績をつくる"),
    )

    assert response.status_code == 302
    assert Strategy.objects.get(slug="build-record").title_ja == "まず実績をつくる"
    assert CriteriaVersion.objects.count() == versions
    assert live()["strategies"][0]["title_ja"] == "まず実績とポートフォリオをつくる"

    assert publish(editor, "題を短く").status_code == 302

    newest = CriteriaVersion.objects.order_by("-number")[0]
    assert (newest.number, newest.note, newest.author) == (versions + 1, "題を短く", "admin")
    assert newest.data["strategies"][0]["title_ja"] == "まず実績をつくる"


def test_a_saved_text_that_strays_from_the_glossary_is_kept_with_a_warning(editor):
    strategy = Strategy.objects.get(slug="build-record")
    long_ja = "あ" * 61 + "。"

    response = editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/",
        strategy_form(strategy, title_ja="いちばんのおすすめ", action_ja=long_ja),
        follow=True,
    )

    assert Strategy.objects.get(slug="build-record").title_ja == "いちばんのおすすめ"
    shown = notices(response)
    assert shown[-1][0] == "success"  # Django's own "changed" message, after the notes
    assert shown[:-1] == [
        ("info", SAVED),
        ("warning", "保存しました。用語集に照らして、次の点を見直してください。"),
        (
            "warning",
            # Named by the title just saved.
            "提案『いちばんのおすすめ』のタイトル（日本語）："
            "「おすすめ」ではなく「提案」と書きます（用語集）。",
        ),
        (
            "warning",
            "提案『いちばんのおすすめ』のすること（日本語）：62文字の文です。60文字以内に分けると読みやすく"
            "なります：「ああああああああああああああああああああ…」",
        ),
    ]


def test_a_save_that_touches_no_text_brings_no_glossary_warning(editor):
    strategy = Strategy.objects.get(slug="build-record")

    response = editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/",
        strategy_form(strategy, priority="91"),
        follow=True,
    )

    assert [m.level_tag for m in response.context["messages"]] == ["info", "success"]


def test_removing_the_last_citation_is_saved_in_the_draft_and_blocks_publishing(editor):
    strategy = Strategy.objects.get(slug="build-record")
    form = strategy_form(strategy, title_ja="下書きにだけ入る")
    for i in range(strategy.citations.count()):
        form[f"citations-{i}-DELETE"] = "on"
    form["citations-MIN_NUM_FORMS"] = "0"
    versions = CriteriaVersion.objects.count()

    response = editor.post(f"/admin/quiz/strategy/{strategy.pk}/change/", form, follow=True)

    assert notices(response)[:3] == [
        ("info", SAVED),
        ("warning", "このままでは公開できません（1件の問題）。"),
        (
            "warning",
            # Named as the draft now calls it.
            "提案『下書きにだけ入る』の出典箇所：出典記事の節を1つ以上引いてください。",
        ),
    ]
    assert Strategy.objects.get(slug="build-record").title_ja == "下書きにだけ入る"
    refused = publish(editor)
    assert refused.status_code == 422
    assert (
        "<li>提案『下書きにだけ入る』の出典箇所：出典記事の節を1つ以上引いてください。</li>"
        in refused.content.decode()
    )
    assert CriteriaVersion.objects.count() == versions
    assert live()["strategies"][0]["title_ja"] == "まず実績とポートフォリオをつくる"


def test_a_condition_on_a_choice_of_another_question_is_a_form_error(editor):
    rule = Rule.objects.get(slug=Rule.objects.filter(conditions__op="chosen").first().slug)
    condition = rule.conditions.first()
    foreign = Choice.objects.exclude(question=condition.question).first()
    assert condition is not None and foreign is not None
    form = rule_form(rule, condition, foreign)
    for extra in RuleCondition.objects.filter(rule=rule).exclude(pk=condition.pk):
        extra.delete()
    versions = CriteriaVersion.objects.count()

    html = editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form, follow=True).content.decode()

    question = Question.objects.get(pk=condition.question_id).slug
    assert f"は質問 {question} の選択肢ではありません。" in html
    # Refused by the form, with what was typed kept: nothing reaches the draft.
    assert not store.has_draft()
    assert CriteriaVersion.objects.count() == versions


def test_a_choice_of_another_question_with_the_same_slug_is_a_form_error(editor):
    rule = Rule.objects.get(slug="no-record-build-first")
    condition = rule.conditions.get(question__slug="track-record")
    same_slug = Choice.objects.get(question__slug="temperament", slug="none")
    form = rule_form(rule, condition, same_slug)

    html = editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form, follow=True).content.decode()

    problem = "「temperament/none」は質問 track-record の選択肢ではありません。"
    assert problem in html
    assert not store.has_draft()


def test_slugs_are_read_only_once_created(editor):
    strategy = Strategy.objects.get(slug="build-record")

    html = editor.get(f"/admin/quiz/strategy/{strategy.pk}/change/").content.decode()

    assert 'name="slug"' not in html
    assert '<div class="readonly">build-record</div>' in html


@pytest.mark.parametrize(
    ("model", "source"),
    [
        ("source", "title"),
        ("question", "label_en"),
        ("strategy", "title_en"),
        ("warningsign", "title_en"),
    ],
)
def test_a_new_items_slug_is_prefilled(editor, model, source):
    html = editor.get(f"/admin/quiz/{model}/add/").content.decode()

    constants = re.search(r'data-prepopulated-fields="([^"]+)"', html)
    assert constants is not None
    fields = json.loads(unescape(constants.group(1)))
    assert [(f["id"], f["dependency_ids"]) for f in fields] == [("#id_slug", [f"#id_{source}"])]


def test_what_blocks_publishing_is_explained_in_the_admins_language(editor, settings):
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    strategy = Strategy.objects.get(slug="build-record")
    form = strategy_form(strategy)
    for i in range(strategy.citations.count()):
        form[f"citations-{i}-DELETE"] = "on"
    form["citations-MIN_NUM_FORMS"] = "0"

    response = editor.post(f"/admin/quiz/strategy/{strategy.pk}/change/", form, follow=True)

    assert notices(response)[1:3] == [
        ("warning", "The draft cannot be published as it is (1 problem)."),
        (
            "warning",
            'strategy "Build a track record and a portfolio first", citations: needs at least one '
            "citation of a source section",
        ),
    ]


def weight_form(slug: str, **changes: str) -> tuple[Rule, dict[str, object]]:
    """A one-condition rule's change form as it stands, with `changes`."""
    rule = Rule.objects.get(slug=slug)
    condition = rule.conditions.get()
    return rule, {**rule_form(rule, condition, condition.choices.get()), **changes}


def test_an_edit_that_makes_a_test_case_fail_is_saved_and_blocks_publishing_naming_the_case(
    editor,
):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    rule, form = weight_form("two-cards", weight="1")
    versions = CriteriaVersion.objects.count()

    html = editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form, follow=True).content.decode()

    problem = (
        "テストケース『交流会に通う副業初心者』（no-record-mixer-regular）：上位3件が "
        "build-record, stop-stranger-mixers, one-card-nominated ではなく "
        "stop-stranger-mixers, build-record, broadcast-on-sns です"
    )
    assert problem in unescape(html)
    assert Rule.objects.get(slug="two-cards").weight == 1
    assert problem in unescape(publish(editor).content.decode())
    assert CriteriaVersion.objects.count() == versions
    assert next(r for r in live()["rules"] if r["slug"] == "two-cards")["weight"] == 8


def test_a_case_that_already_failed_is_listed_as_blocking_but_edits_still_save(editor):
    CriteriaTestCase.objects.create(
        slug="already-failing",
        name="もともと失敗しているケース",
        answers=f.personas()[0]["answers"],
        expect_top=["go-to-events", "peer-networking", "grow-alone"],
    )
    strategy = Strategy.objects.get(slug="build-record")

    response = editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/",
        strategy_form(strategy, title_ja="まず実績をつくる"),
        follow=True,
    )

    assert Strategy.objects.get(slug="build-record").title_ja == "まず実績をつくる"
    assert notices(response)[2][1].startswith("テストケース『もともと失敗しているケース』")


def test_a_broken_test_case_is_explained_in_the_admins_language(editor, settings):
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    rule, form = weight_form("two-cards", weight="1")

    html = editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form, follow=True).content.decode()

    assert (
        "Test case “交流会に通う副業初心者” (no-record-mixer-regular): The top 3 are "
        "stop-stranger-mixers, build-record, broadcast-on-sns, not "
        "build-record, stop-stranger-mixers, one-card-nominated"
    ) in unescape(html)


def test_an_excluding_rule_edited_in_the_admin_needs_no_weight_and_one_that_adds_does(editor):
    rule, form = weight_form("no-network-no-events", weight="0", effect="add")

    html = editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form, follow=True).content.decode()

    assert (
        "ルール『no-network-no-events』の重み：0 は範囲外です。" in html
    )  # capitalised by the admin
    assert store.discard_draft()
    rule, form = weight_form("no-record-build-first", effect="exclude", weight="0")
    assert editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form).status_code == 302
    assert publish(editor).status_code == 302
    assert live()["rules"][0] == {
        **f.shipped_criteria()["rules"][0],
        "effect": "exclude",
        "weight": 0,
    }
