"""The criteria admin: every page opens, a valid edit publishes a new version, and an edit that
would break the criteria is rolled back whole with the problem named."""

from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from quiz.emblem import emblem_svg
from quiz.models import (
    Choice,
    CriteriaTestCase,
    CriteriaVersion,
    Question,
    ResultType,
    Rule,
    RuleCondition,
    Strategy,
)
from tests import factories as f

pytestmark = pytest.mark.usefixtures("shipped_criteria")


@pytest.fixture
def editor(client: Client) -> Client:
    user = User.objects.create_superuser("admin", "admin@example.jp", "pw-not-used")
    client.force_login(user)
    return client


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


def strategy_form(strategy: Strategy, **changes: str) -> dict[str, str]:
    citations = list(strategy.citations.all())
    data = {
        "slug": strategy.slug,
        "position": str(strategy.position),
        "priority": str(strategy.priority),
        "result_type": str(strategy.result_type_id),
        "title_ja": strategy.title_ja,
        "title_en": strategy.title_en,
        "action_ja": strategy.action_ja,
        "action_en": strategy.action_en,
        "steps_ja": strategy.steps_ja,
        "steps_en": strategy.steps_en,
        "why_ja": strategy.why_ja,
        "why_en": strategy.why_en,
        "citations-TOTAL_FORMS": str(len(citations)),
        "citations-INITIAL_FORMS": str(len(citations)),
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
    }
    data["contradicts"] = [str(o.pk) for o in strategy.contradicts.all()]  # type: ignore[assignment]
    for i, c in enumerate(citations):
        data.update(
            {
                f"citations-{i}-id": str(c.pk),
                f"citations-{i}-strategy": str(strategy.pk),
                f"citations-{i}-section": str(c.section_id),
                f"citations-{i}-position": str(c.position),
            }
        )
    data.update(changes)
    return data


def test_a_valid_edit_is_saved_and_published_as_a_new_version(editor):
    strategy = Strategy.objects.get(slug="build-record")

    response = editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/",
        strategy_form(strategy, title_ja="まず実績をつくる"),
    )

    assert response.status_code == 302
    assert Strategy.objects.get(slug="build-record").title_ja == "まず実績をつくる"
    assert CriteriaVersion.objects.order_by("-number").first().data["strategies"][0][
        "title_ja"
    ] == ("まず実績をつくる")


def test_a_saved_text_that_strays_from_the_glossary_is_kept_with_a_warning(editor):
    strategy = Strategy.objects.get(slug="build-record")
    long_ja = "あ" * 61 + "。"

    response = editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/",
        strategy_form(strategy, title_ja="いちばんのおすすめ", action_ja=long_ja),
        follow=True,
    )

    assert Strategy.objects.get(slug="build-record").title_ja == "いちばんのおすすめ"
    shown = [(m.level_tag, m.message) for m in response.context["messages"]]
    assert shown[-1][0] == "success"  # Django's own "changed" message, after the notes
    assert shown[:-1] == [
        ("warning", "保存しました。用語集に照らして、次の点を見直してください。"),
        (
            "warning",
            "strategies[build-record].title_ja: 「おすすめ」ではなく「提案」と書きます（用語集）。",
        ),
        (
            "warning",
            "strategies[build-record].action_ja: 62文字の文です。60文字以内に分けると読みやすく"
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

    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_removing_the_last_citation_is_refused_and_nothing_changes(editor):
    strategy = Strategy.objects.get(slug="build-record")
    form = strategy_form(strategy, title_ja="変更されないはず")
    for i in range(strategy.citations.count()):
        form[f"citations-{i}-DELETE"] = "on"
    form["citations-MIN_NUM_FORMS"] = "0"
    versions = CriteriaVersion.objects.count()

    response = editor.post(f"/admin/quiz/strategy/{strategy.pk}/change/", form, follow=True)

    html = response.content.decode()
    assert "保存しませんでした。次の問題を直してください。" in html
    # The admin capitalises each message's first letter.
    assert "Strategies[build-record].citations: 出典記事の節を1つ以上引いてください。" in html
    assert Strategy.objects.get(slug="build-record").title_ja != "変更されないはず"
    assert Strategy.objects.get(slug="build-record").citations.count() >= 1
    assert CriteriaVersion.objects.count() == versions


def rule_form(rule: Rule, condition: RuleCondition, choice: Choice) -> dict[str, object]:
    """The admin change form of a rule with one condition that chooses `choice`."""
    return {
        "slug": rule.slug,
        "position": str(rule.position),
        "match": rule.match,
        "strategy": str(rule.strategy_id or ""),
        "warning": str(rule.warning_id or ""),
        "effect": rule.effect,
        "weight": str(rule.weight),
        "reason_ja": rule.reason_ja,
        "reason_en": rule.reason_en,
        "conditions-TOTAL_FORMS": "1",
        "conditions-INITIAL_FORMS": "1",
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "1000",
        "conditions-0-id": str(condition.pk),
        "conditions-0-rule": str(rule.pk),
        "conditions-0-position": "0",
        "conditions-0-question": str(condition.question_id),
        "conditions-0-op": "chosen",
        "conditions-0-choices": [str(choice.pk)],
        "conditions-0-value": "",
    }


def test_a_condition_on_a_choice_of_another_question_is_refused(editor):
    rule = Rule.objects.get(slug=Rule.objects.filter(conditions__op="chosen").first().slug)
    condition = rule.conditions.first()
    foreign = Choice.objects.exclude(question=condition.question).first()
    assert condition is not None and foreign is not None
    form = rule_form(rule, condition, foreign)
    for extra in RuleCondition.objects.filter(rule=rule).exclude(pk=condition.pk):
        extra.delete()

    response = editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form, follow=True)

    html = response.content.decode()
    question = Question.objects.get(pk=condition.question_id).slug
    assert f"は質問 {question} の選択肢ではありません。" in html
    assert foreign not in RuleCondition.objects.get(pk=condition.pk).choices.all()


def test_a_choice_of_another_question_with_the_same_slug_is_refused(editor):
    rule = Rule.objects.get(slug="no-record-build-first")
    condition = rule.conditions.get(question__slug="track-record")
    same_slug = Choice.objects.get(question__slug="temperament", slug="none")
    form = rule_form(rule, condition, same_slug)

    html = editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form, follow=True).content.decode()

    assert "「temperament/none」は質問 track-record の選択肢ではありません。" in html
    assert same_slug not in RuleCondition.objects.get(pk=condition.pk).choices.all()


def test_slugs_are_read_only_once_created(editor):
    strategy = Strategy.objects.get(slug="build-record")

    html = editor.get(f"/admin/quiz/strategy/{strategy.pk}/change/").content.decode()

    assert 'name="slug"' not in html
    assert '<div class="readonly">build-record</div>' in html


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


def test_a_refused_edit_is_explained_in_the_admins_language(editor, settings):
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    strategy = Strategy.objects.get(slug="build-record")
    form = strategy_form(strategy)
    for i in range(strategy.citations.count()):
        form[f"citations-{i}-DELETE"] = "on"
    form["citations-MIN_NUM_FORMS"] = "0"

    html = editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/", form, follow=True
    ).content.decode()

    assert "Nothing was saved. Please fix the following problems." in html
    assert (
        "Strategies[build-record].citations: needs at least one citation of a source section"
        in html
    )


def weight_form(slug: str, **changes: str) -> tuple[Rule, dict[str, object]]:
    """A one-condition rule's change form as it stands, with `changes`."""
    rule = Rule.objects.get(slug=slug)
    condition = rule.conditions.get()
    return rule, {**rule_form(rule, condition, condition.choices.get()), **changes}


def test_an_edit_that_makes_a_test_case_fail_is_refused_naming_the_case(editor):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    rule, form = weight_form("two-cards", weight="1")
    versions = CriteriaVersion.objects.count()

    html = editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form, follow=True).content.decode()

    assert "保存しませんでした。次の問題を直してください。" in html
    # The admin capitalises each message's first letter.
    assert (
        "Test_cases[no-record-mixer-regular]: この変更で通らなくなります：上位3件が "
        "build-record, stop-stranger-mixers, one-card-nominated ではなく "
        "stop-stranger-mixers, build-record, broadcast-on-sns です"
    ) in unescape(html)
    assert Rule.objects.get(slug="two-cards").weight == 8
    assert CriteriaVersion.objects.count() == versions


def test_a_case_that_already_failed_does_not_block_other_edits(editor):
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
    )

    assert response.status_code == 302
    assert Strategy.objects.get(slug="build-record").title_ja == "まず実績をつくる"


def test_a_broken_test_case_is_explained_in_the_admins_language(editor, settings):
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    rule, form = weight_form("two-cards", weight="1")

    html = editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form, follow=True).content.decode()

    assert (
        "Test_cases[no-record-mixer-regular]: This change would make it fail: The top 3 are "
        "stop-stranger-mixers, build-record, broadcast-on-sns, not "
        "build-record, stop-stranger-mixers, one-card-nominated"
    ) in unescape(html)


def test_an_excluding_rule_edited_in_the_admin_needs_no_weight_and_one_that_adds_does(editor):
    rule, form = weight_form("no-network-no-events", weight="0", effect="add")

    html = editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form, follow=True).content.decode()

    assert "Rules[no-network-no-events].weight: 0 は範囲外です。" in html
    assert Rule.objects.get(slug="no-network-no-events").effect == "exclude"
    rule, form = weight_form("no-record-build-first", effect="exclude", weight="0")
    assert editor.post(f"/admin/quiz/rule/{rule.pk}/change/", form).status_code == 302
    assert CriteriaVersion.objects.order_by("-number").first().data["rules"][0] == {
        **f.shipped_criteria()["rules"][0],
        "effect": "exclude",
        "weight": 0,
    }


def test_moving_a_strategy_to_another_type_that_breaks_a_persona_is_refused(editor):
    call_command("load_test_cases", str(f.PERSONAS), stdout=io.StringIO())
    strategy = Strategy.objects.get(slug="stop-stranger-mixers")
    other = ResultType.objects.get(slug="record-first")
    versions = CriteriaVersion.objects.count()

    html = editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/",
        strategy_form(strategy, result_type=str(other.pk)),
        follow=True,
    ).content.decode()

    assert (
        "Test_cases[no-record-mixer-regular]: この変更で通らなくなります：タイプが "
        "step-away ではなく record-first です"
    ) in unescape(html)
    assert Strategy.objects.get(slug="stop-stranger-mixers").result_type.slug == "step-away"
    assert CriteriaVersion.objects.count() == versions


def test_a_types_page_lists_its_strategies_and_keeps_its_history(editor):
    kind = ResultType.objects.get(slug="peer-ready")

    html = editor.get(f"/admin/quiz/resulttype/{kind.pk}/change/").content.decode()
    history = editor.get(f"/admin/quiz/resulttype/{kind.pk}/history/")

    assert ">実績のある人同士でつながる<" in html
    assert history.status_code == 200


def type_form(kind: ResultType, **changes: str) -> dict[str, str]:
    citations = list(kind.citations.all())
    strategies = list(kind.strategies.all())
    data = {
        "position": str(kind.position),
        "name_ja": kind.name_ja,
        "name_en": kind.name_en,
        "line_ja": kind.line_ja,
        "line_en": kind.line_en,
        "explanation_ja": kind.explanation_ja,
        "explanation_en": kind.explanation_en,
        "icon": kind.icon,
        "colour": kind.colour,
        "citations-TOTAL_FORMS": str(len(citations)),
        "citations-INITIAL_FORMS": str(len(citations)),
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
        "strategies-TOTAL_FORMS": str(len(strategies)),
        "strategies-INITIAL_FORMS": str(len(strategies)),
        "strategies-MIN_NUM_FORMS": "0",
        "strategies-MAX_NUM_FORMS": "1000",
    }
    for i, c in enumerate(citations):
        data |= {
            f"citations-{i}-id": str(c.pk),
            f"citations-{i}-result_type": str(kind.pk),
            f"citations-{i}-section": str(c.section_id),
            f"citations-{i}-position": str(c.position),
        }
    for i, s in enumerate(strategies):
        data |= {f"strategies-{i}-id": str(s.pk), f"strategies-{i}-result_type": str(kind.pk)}
    return data | changes


def test_an_editor_adds_a_type_before_moving_strategies_into_it(editor):
    section = ResultType.objects.get(slug="peer-ready").citations.all()[0].section
    data = {
        "slug": "new-type",
        "position": "99",
        "name_ja": "新しいタイプ",
        "name_en": "New type",
        "line_ja": "新しいタイプの説明です。",
        "line_en": "A new type.",
        "explanation_ja": "くわしい説明です。",
        "explanation_en": "More about it.",
        "icon": "sparkles",
        "colour": "#1e40af",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-section": str(section.pk),
        "citations-0-position": "0",
        "strategies-TOTAL_FORMS": "0",
        "strategies-INITIAL_FORMS": "0",
        "strategies-MIN_NUM_FORMS": "0",
        "strategies-MAX_NUM_FORMS": "1000",
    }

    response = editor.post("/admin/quiz/resulttype/add/", data)

    assert response.status_code == 302
    published = CriteriaVersion.objects.newest()
    assert published is not None
    latest = CriteriaVersion.objects.get(number=published.number).data
    added = next(t for t in latest["types"] if t["slug"] == "new-type")
    assert added["strategies"] == []
    assert (added["icon"], added["colour"]) == ("sparkles", "#1e40af")


def test_a_types_page_offers_the_icons_by_name_and_a_colour_picker(editor):
    kind = ResultType.objects.get(slug="peer-ready")

    html = editor.get(f"/admin/quiz/resulttype/{kind.pk}/change/").content.decode()

    assert '<option value="handshake" selected>handshake</option>' in html
    assert '<option value="megaphone">megaphone</option>' in html
    assert html.count("<option value=") >= 1000  # the whole icon set, not a chosen few
    assert '<input type="color" name="colour" value="#1d4ed8"' in html
    assert emblem_svg("handshake", "#1d4ed8", 48) in html


def test_an_editor_changes_a_types_emblem_and_it_is_published_with_its_history(editor):
    kind = ResultType.objects.get(slug="peer-ready")

    response = editor.post(
        f"/admin/quiz/resulttype/{kind.pk}/change/",
        type_form(kind, icon="link", colour="#9d174d"),
    )

    assert response.status_code == 302
    published = CriteriaVersion.objects.newest()
    assert published is not None
    latest = CriteriaVersion.objects.get(number=published.number).data
    peer = next(t for t in latest["types"] if t["slug"] == "peer-ready")
    assert (peer["icon"], peer["colour"]) == ("link", "#9d174d")
    history = [(h.icon, h.colour) for h in kind.history.order_by("history_id")]
    assert history[-2:] == [("handshake", "#1d4ed8"), ("link", "#9d174d")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"colour": "#ffd700"},
            "#ffd700 は明るすぎて、上にのせる白い文字が読みにくくなります。"
            "白との明暗比が 4.5:1 以上になる、もっと濃い色にしてください（いまは 1.40:1）。",
        ),
        (
            {"icon": "handshakes"},
            "「handshakes」というアイコンはありません。"
            "Lucide のアイコンの名前（circle-user-round、handshake など）にしてください。",
        ),
    ],
)
def test_an_emblem_that_is_not_valid_is_refused_with_what_to_do(editor, changes, message):
    kind = ResultType.objects.get(slug="peer-ready")
    versions = CriteriaVersion.objects.count()

    response = editor.post(
        f"/admin/quiz/resulttype/{kind.pk}/change/", type_form(kind, **changes), follow=True
    )

    html = unescape(response.content.decode())
    assert response.redirect_chain == [(f"/admin/quiz/resulttype/{kind.pk}/change/", 302)]
    assert "保存しませんでした。次の問題を直してください。" in html
    # The admin capitalises each message's first letter.
    assert f"Types[peer-ready].{next(iter(changes))}: {message}" in html
    assert CriteriaVersion.objects.count() == versions
    kind.refresh_from_db()
    assert (kind.icon, kind.colour) == ("handshake", "#1d4ed8")


def test_editing_a_types_line_publishes_a_new_version(editor):
    kind = ResultType.objects.get(slug="peer-ready")
    versions = CriteriaVersion.objects.count()

    response = editor.post(
        f"/admin/quiz/resulttype/{kind.pk}/change/",
        type_form(kind, line_ja="実績ができた今こそ、実績のある人とつながりましょう。"),
    )

    assert response.status_code == 302
    assert CriteriaVersion.objects.count() == versions + 1
    published = CriteriaVersion.objects.newest()
    assert published is not None
    latest = CriteriaVersion.objects.get(number=published.number).data
    peer = next(t for t in latest["types"] if t["slug"] == "peer-ready")
    assert peer["line_ja"] == "実績ができた今こそ、実績のある人とつながりましょう。"
    assert peer["strategies"] == ["peer-networking"]
