"""The criteria admin's forms: a refused save comes back with everything typed and the problem
next to its field; a form opened before someone else saved the same item is refused; a
condition's choice picker offers the chosen question's choices only. Then the tools' forms
(quiz.admin_forms), cleaned without a view: the draft's marker, publishing, import, comparing
versions and the test cases' missing answers."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from quiz import criteria as store
from quiz.admin_forms import (
    ApplyImportForm,
    CompareForm,
    DraftShownForm,
    ImportForm,
    MissingAnswersForm,
    PublishForm,
)
from quiz.models import (
    Choice,
    CriteriaTestCase,
    CriteriaVersion,
    Question,
    Rule,
    RuleCondition,
    Strategy,
    UploadedCriteria,
)
from tests import factories as f
from tests.admin_pages import rule_form, strategy_form, upload

pytestmark = pytest.mark.usefixtures("shipped_criteria")

STALE = (
    "このフォームを開いたあとに、ほかの人がこの項目を保存しました。"
    "上書きしないよう、保存しませんでした。入力した内容は下に残っています。"
    "「履歴」で相手の変更を確かめてから、もう一度保存してください。"
    "もう一度保存すると、この入力で上書きします。"
)


def signed_in(name: str) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(name, f"{name}@example.jp", "x"))
    return client


@pytest.fixture
def editor() -> Client:
    return signed_in("admin")


def field_value(html: str, name: str) -> str | None:
    """What an input or textarea named `name` shows."""
    found = re.search(rf'<input [^>]*name="{name}"[^>]*>', html)
    if found:
        value = re.search(r'value="([^"]*)"', found.group(0))
        return unescape(value.group(1)) if value else ""
    found = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    return unescape(found.group(1)) if found else None


def errors_of(html: str) -> list[str]:
    shown = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return [unescape(m) for item in shown for m in re.findall(r"<li>(.*?)</li>", item)]


def revision(client: Client, url: str) -> str:
    value = field_value(client.get(url).content.decode(), "revision")
    assert value
    return value


def question_form(**changes: str) -> dict[str, str]:
    """The add form of a single-choice question with two choices, filled in."""
    return {
        "slug": "new-question",
        "kind": "single",
        "position": "50",
        "required": "",
        "label_ja": "新しい質問",
        "label_en": "New question",
        "text_ja": "新しい質問の文です。",
        "text_en": "The new question's text.",
        "help_ja": "補足です。",
        "help_en": "",
        "max_choices": "",
        "scale_min": "",
        "scale_max": "",
        "min_label_ja": "",
        "min_label_en": "",
        "max_label_ja": "",
        "max_label_en": "",
        "dimension": "",
        "points_per_step": "0",
        "show_match": "all",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-position": "0",
        "choices-0-slug": "often",
        "choices-0-label_ja": "よくある",
        "choices-0-label_en": "Often",
        "choices-1-position": "1",
        "choices-1-slug": "rarely",
        "choices-1-label_ja": "あまりない",
        "choices-1-label_en": "Rarely",
        "display_conditions-TOTAL_FORMS": "0",
        "display_conditions-INITIAL_FORMS": "0",
        "display_conditions-MIN_NUM_FORMS": "0",
        "display_conditions-MAX_NUM_FORMS": "1000",
        **changes,
    }


def retire(slug: str) -> None:
    """Records an earlier version that had a question `slug`, which the latest dropped."""
    CriteriaVersion.objects.create(
        number=0, digest="0" * 64, data={"questions": [{"slug": slug}]}, note="earlier"
    )


def test_a_refused_new_question_comes_back_with_every_field_and_choice_as_typed(editor):
    retire("new-question")
    form = question_form()
    versions = CriteriaVersion.objects.count()

    response = editor.post("/admin/quiz/question/add/", form)

    html = response.content.decode()
    assert response.status_code == 200
    assert errors_of(html) == [
        "この識別子は以前の版で使われ、その後なくなりました。結果やテストケースが"
        "古い意味で参照しているため、別の識別子にしてください。"
    ]
    # The error sits in the slug's row.
    assert re.search(r'<ul class="errorlist" id="id_slug_error"><li>この識別子は', html)
    for name, typed in form.items():
        if name.startswith(("choices-", "display_conditions-")) and "FORMS" in name:
            continue
        if name in ("kind", "show_match", "dimension", "required"):
            continue
        assert field_value(html, name) == typed, name
    assert re.search(r'<option value="single" selected>', html)
    assert not re.search(r'name="required"[^>]*checked', html)
    assert not Question.objects.filter(slug="new-question").exists()
    assert CriteriaVersion.objects.count() == versions


def test_a_new_question_with_a_fresh_slug_is_added(editor):
    retire("old-question")

    response = editor.post("/admin/quiz/question/add/", question_form())

    assert response.status_code == 302
    added = Question.objects.get(slug="new-question")
    assert [c.slug for c in added.choices.order_by("position")] == ["often", "rarely"]


def one_condition_rule() -> tuple[Rule, RuleCondition, Choice]:
    rule = Rule.objects.get(slug="no-record-build-first")
    condition = rule.conditions.get(question__slug="track-record")
    return rule, condition, condition.choices.get()


def test_a_refused_rule_change_keeps_the_typed_weight_and_reason(editor):
    rule, condition, _ = one_condition_rule()
    foreign = Choice.objects.get(question__slug="temperament", slug="none")
    url = f"/admin/quiz/rule/{rule.pk}/change/"
    form = {
        **rule_form(rule, condition, foreign),
        "revision": revision(editor, url),
        "weight": "7",
        "reason_ja": "打ち直した理由です。",
        "reason_en": "A reason typed again.",
    }

    response = editor.post(url, form)

    html = response.content.decode()
    assert response.status_code == 200
    assert errors_of(html) == ["「temperament/none」は質問 track-record の選択肢ではありません。"]
    assert field_value(html, "weight") == "7"
    assert field_value(html, "reason_ja") == "打ち直した理由です。"
    assert field_value(html, "reason_en") == "A reason typed again."
    saved = Rule.objects.get(pk=rule.pk)
    assert (saved.weight, saved.reason_ja) == (rule.weight, rule.reason_ja)


def test_the_second_of_two_editors_on_the_same_rule_is_refused_keeping_what_was_typed():
    rule, condition, choice = one_condition_rule()
    url = f"/admin/quiz/rule/{rule.pk}/change/"
    hanako, taro = signed_in("hanako"), signed_in("taro")
    hanakos, taros = revision(hanako, url), revision(taro, url)
    assert hanakos == taros

    first = hanako.post(
        url, {**rule_form(rule, condition, choice), "revision": hanakos, "weight": "5"}
    )
    second = taro.post(
        url,
        {
            **rule_form(rule, condition, choice),
            "revision": taros,
            "weight": "9",
            "reason_ja": "太郎の理由です。",
        },
    )

    html = second.content.decode()
    assert first.status_code == 302
    assert second.status_code == 200
    assert errors_of(html) == [STALE]
    assert field_value(html, "weight") == "9"
    assert field_value(html, "reason_ja") == "太郎の理由です。"
    assert Rule.objects.get(pk=rule.pk).weight == 5
    # The form now carries the revision that Hanako's save made: saving again is deliberate.
    renewed = field_value(html, "revision")
    assert renewed == revision(taro, url) != taros
    again = taro.post(
        url,
        {
            **rule_form(rule, condition, choice),
            "revision": renewed or "",
            "weight": "9",
            "reason_ja": "太郎の理由です。",
        },
    )
    assert again.status_code == 302
    assert Rule.objects.get(pk=rule.pk).weight == 9


def test_a_change_to_an_inline_row_makes_the_items_form_stale(editor):
    strategy = Strategy.objects.get(slug="build-record")
    url = f"/admin/quiz/strategy/{strategy.pk}/change/"
    opened = revision(editor, url)
    citation = strategy.citations.first()
    assert citation is not None
    citation.position += 10
    citation.save()

    response = editor.post(
        url, {**strategy_form(strategy, title_ja="変えたい"), "revision": opened}
    )

    assert response.status_code == 200
    assert errors_of(response.content.decode()) == [STALE]
    assert Strategy.objects.get(pk=strategy.pk).title_ja != "変えたい"


def test_a_stale_form_is_explained_in_english(editor, settings):
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    strategy = Strategy.objects.get(slug="build-record")
    url = f"/admin/quiz/strategy/{strategy.pk}/change/"
    opened = revision(editor, url)
    Strategy.objects.filter(pk=strategy.pk).update(priority=1)

    response = editor.post(url, {**strategy_form(strategy), "revision": opened})

    assert errors_of(response.content.decode()) == [
        "Someone else saved this item after you opened this form, so nothing was saved: "
        "saving would have overwritten their change. What you typed is kept below. Check "
        "their change under \u201cHistory\u201d, then save again: saving again overwrites "
        "it with what you typed."
    ]


def test_the_revert_form_carries_the_revision_and_reverts(editor):
    strategy = Strategy.objects.get(slug="build-record")
    editor.post(
        f"/admin/quiz/strategy/{strategy.pk}/change/",
        strategy_form(strategy, title_ja="まず実績をつくる"),
    )
    original = strategy.history.order_by("history_date", "history_id").first()
    url = f"/admin/quiz/strategy/{strategy.pk}/history/{original.history_id}/"

    marker = revision(editor, url)
    assert marker == revision(editor, f"/admin/quiz/strategy/{strategy.pk}/change/")

    response = editor.post(url, {**strategy_form(strategy), "revision": marker})

    assert response.status_code == 302
    assert Strategy.objects.get(pk=strategy.pk).title_ja == original.title_ja


def picker(html: str, prefix: str) -> list[tuple[str, str]]:
    """The (question id, label) of each choice a condition's picker offers."""
    found = re.search(rf'<div id="id_{prefix}-choices">(.*?)\n</div>\n', html, re.S)
    assert found is not None
    return [
        (question, unescape(label.strip()))
        for question, label in re.findall(
            r'data-question="(\d+)">\s*(.*?)</label>', found.group(1), re.S
        )
    ]


def test_a_conditions_picker_offers_its_questions_choices_only(editor):
    rule, condition, _ = one_condition_rule()

    html = editor.get(f"/admin/quiz/rule/{rule.pk}/change/").content.decode()

    question = str(condition.question_id)
    assert picker(html, "conditions-0") == [
        (question, "まだない (none)"),
        (question, "少しある (some)"),
        (question, "胸を張れる実績やポートフォリオがある (strong)"),
    ]
    # A new row, copied by the admin's script, holds every question's for the script to filter.
    assert len(picker(html, "conditions-__prefix__")) == Choice.objects.count()
    assert '<script src="/static/js/admin-conditions.js">' in html


def test_a_question_changed_without_javascript_offers_the_new_questions_choices(editor):
    rule, condition, choice = one_condition_rule()
    other = Question.objects.get(slug="temperament")
    url = f"/admin/quiz/rule/{rule.pk}/change/"
    form = {**rule_form(rule, condition, choice), "conditions-0-question": str(other.pk)}

    html = editor.post(url, form).content.decode()

    assert {q for q, _ in picker(html, "conditions-0")} == {str(other.pk)}
    assert len(picker(html, "conditions-0")) == other.choices.count()


def test_a_display_conditions_picker_offers_its_questions_choices_only(editor):
    question = Question.objects.filter(display_conditions__op="chosen").first()
    assert question is not None
    condition = question.display_conditions.filter(op="chosen").first()

    html = editor.get(f"/admin/quiz/question/{question.pk}/change/").content.decode()

    offered = picker(html, "display_conditions-0")
    assert {q for q, _ in offered} == {str(condition.question_id)}
    assert len(offered) == Choice.objects.filter(question_id=condition.question_id).count()


def test_two_editors_on_the_same_test_case_the_second_is_refused(editor):
    case = CriteriaTestCase.objects.create(
        slug="saved", name="保存済み", answers=f.personas()[0]["answers"]
    )
    url = f"/admin/quiz/criteriatestcase/{case.pk}/change/"
    opened = revision(editor, url)
    CriteriaTestCase.objects.filter(pk=case.pk).update(name="ほかの人の名前")
    form = {
        "name": "わたしの名前",
        "description": "",
        "answers": json.dumps(case.answers),
        "expect_top": "[]",
        "expect_strategies": "[]",
        "expect_warnings": "[]",
        "forbid_strategies": "[]",
        "forbid_warnings": "[]",
        "expect_type": "",
        "revision": opened,
    }

    response = editor.post(url, form)

    html = response.content.decode()
    assert errors_of(html) == [STALE]
    assert field_value(html, "name") == "わたしの名前"
    assert CriteriaTestCase.objects.get(pk=case.pk).name == "ほかの人の名前"


def test_a_retired_slug_is_explained_in_english(editor, settings):
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    retire("new-question")

    response = editor.post("/admin/quiz/question/add/", question_form())

    assert errors_of(response.content.decode()) == [
        "This identifier was used by an earlier version and then retired. Saved results and "
        "test cases still refer to it with its old meaning, so please choose another."
    ]


@pytest.fixture
def japanese():
    """The forms below are cleaned outside a request: in the admin's default language."""
    with translation.override("ja"):
        yield


@pytest.mark.usefixtures("japanese")
def test_the_drafts_marker_refuses_another_draft_and_then_carries_the_one_shown():
    fresh = DraftShownForm({"draft": "a" * 64}, shown="a" * 64)
    stale = DraftShownForm({"draft": "b" * 64}, shown="a" * 64)
    missing = DraftShownForm({}, shown="a" * 64)

    assert fresh.is_valid()
    assert not stale.is_valid()
    assert stale.errors == {
        "draft": ["このページを開いた後で下書きが変わりました。変更点を確かめ直してください。"]
    }
    assert stale.has_error("draft", code="stale")
    assert str(stale["draft"]) == f'<input type="hidden" name="draft" value="{"a" * 64}">'
    assert not missing.is_valid()
    assert str(DraftShownForm(shown="c" * 64)["draft"]).endswith(f'value="{"c" * 64}">')


@pytest.mark.usefixtures("japanese")
def test_publishing_needs_a_note_of_at_most_the_versions_length():
    shown = {"draft": "a" * 64}

    assert PublishForm({**shown, "note": " 題を短く "}, shown="a" * 64).is_valid()
    blank = PublishForm({**shown, "note": "  "}, shown="a" * 64)
    long = PublishForm({**shown, "note": "あ" * 201}, shown="a" * 64)

    assert blank.errors == {"note": ["公開のメモを書いてください（何を、なぜ変えたか）。"]}
    assert not long.is_valid() and list(long.errors) == ["note"]
    assert 'id="publish-note"' in str(blank["note"])
    assert 'maxlength="200"' in str(blank["note"])


@pytest.mark.usefixtures("japanese")
def test_the_import_form_cleans_a_file_to_canonical_criteria_or_names_each_problem():
    bad = f.shipped_criteria()
    bad["warnings"][0]["citations"] = []

    good = ImportForm({}, {"file": upload(f.shipped_criteria())})
    refused = ImportForm({}, {"file": upload(bad)})
    empty = ImportForm({}, {})

    assert good.is_valid()
    assert good.cleaned_data["file"] == store.canonical(f.shipped_criteria())
    assert refused.errors == {
        "file": ["注意『マルチ商法の勧誘』の出典箇所：出典記事の節を1つ以上引いてください。"]
    }
    assert not empty.is_valid() and list(empty.errors) == ["file"]


@pytest.mark.usefixtures("japanese")
def test_applying_an_import_finds_the_kept_upload_by_its_digest():
    data = store.canonical(f.shipped_criteria())
    kept = UploadedCriteria.objects.create(digest=store.digest_of(data), data=data)

    found = ApplyImportForm({"digest": kept.digest, "draft": "a" * 64}, shown="a" * 64)
    gone = ApplyImportForm({"digest": "f" * 64, "draft": "a" * 64}, shown="a" * 64)

    assert found.is_valid()
    assert found.cleaned_data["digest"] == kept
    assert gone.has_error("digest", code="gone")
    assert gone.errors["digest"] == [
        "このファイルはもう残っていません。もう一度読み込んでください。"
    ]


def test_the_compare_form_takes_two_published_numbers():
    numbers = [3, 2, 1]

    chosen = CompareForm({"a": "1", "b": "3"}, numbers=numbers)
    unknown = CompareForm({"a": "1", "b": "9"}, numbers=numbers)
    unbound = CompareForm(numbers=numbers)

    assert chosen.is_valid()
    assert (chosen.cleaned_data["a"], chosen.cleaned_data["b"]) == (1, 3)
    assert list(unknown.errors) == ["b"]
    assert (unbound["a"].initial, unbound["b"].initial) == (2, 3)
    assert CompareForm(numbers=[1])["a"].initial is None


@pytest.mark.usefixtures("japanese")
def test_missing_answers_are_read_as_the_public_step_reads_them_and_saved_per_case():
    criteria = store.load_criteria()
    single = next(q for q in criteria.questions if q.kind == "single")
    multiple = next(q for q in criteria.questions if q.kind == "multiple")
    scale = next(q for q in criteria.questions if q.kind == "scale")
    case = CriteriaTestCase.objects.create(slug="one", name="一人目", answers={})
    rows = [(case, [single, multiple, scale])]
    two = [c.slug for c in multiple.choices if not c.exclusive][:2]
    posted = {
        f"one:{single.slug}": single.choices[0].slug,
        f"one:{scale.slug}": str(scale.min),
    }

    form = MissingAnswersForm(rows, {**posted, f"one:{multiple.slug}": two})
    wrong = MissingAnswersForm(rows, {f"one:{single.slug}": "nope", f"one:{scale.slug}": "x"})

    assert form.is_valid()
    assert form.save() == 1
    case.refresh_from_db()
    assert case.answers == {
        single.slug: single.choices[0].slug,
        multiple.slug: two,
        scale.slug: scale.min,
    }
    assert wrong.errors == {
        f"one:{single.slug}": ["「nope」はこの質問の選択肢ではありません。"],
        f"one:{scale.slug}": ["整数を選んでください。"],
    }
    assert MissingAnswersForm(rows, {}).is_valid()
