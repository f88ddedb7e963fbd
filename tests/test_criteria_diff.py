"""The field-by-field diff of two criteria sets, as the draft, versions, proposals and imports
show it."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from quiz import criteria_diff
from quiz.criteria_diff import FieldChange, ItemChange
from tests import factories as f


def base() -> dict[str, Any]:
    return f.shipped_criteria()


def test_the_same_criteria_have_no_changes():
    assert criteria_diff.diff(base(), base()) == []


def test_a_choice_label_changed_is_named_by_question_and_choice():
    after = base()
    question = after["questions"][0]
    choice = question["choices"][0]
    before_label = choice["label_ja"]
    choice["label_ja"] = "新しい選択肢"

    assert criteria_diff.diff(base(), after) == [
        ItemChange(
            "questions",
            question["slug"],
            "changed",
            (
                FieldChange(
                    f"選択肢 › {choice['slug']} › 文言（日本語）", before_label, "新しい選択肢"
                ),
            ),
        )
    ]


def test_an_added_and_a_removed_item_list_their_filled_fields():
    after = base()
    removed = after["warnings"].pop()
    with translation.override("en"):
        changes = criteria_diff.diff(base(), after)

    assert [(c.kind, c.slug, c.status) for c in changes] == [
        ("warnings", removed["slug"], "removed")
    ]
    assert FieldChange("Title (Japanese)", removed["title_ja"], "—") in changes[0].fields
    assert criteria_diff.diff(after, base())[0].status == "added"


def test_a_new_order_is_one_change_of_the_kind():
    after = base()
    after["dimensions"].reverse()
    slugs = [d["slug"] for d in base()["dimensions"]]

    assert criteria_diff.diff(base(), after) == [
        ItemChange(
            "dimensions",
            "",
            "reordered",
            (FieldChange("並び順", " / ".join(slugs), " / ".join(reversed(slugs))),),
        )
    ]


def test_a_rules_match_is_shown_by_its_admin_name():
    after = base()
    after["rules"][0]["match"] = "any"

    (change,) = criteria_diff.diff(base(), after)

    assert change.fields == (
        FieldChange("発動する条件", "すべての条件に当てはまるとき", "どれかの条件に当てはまるとき"),
    )


def test_the_text_form_has_one_line_per_item_and_field():
    after = base()
    after["strategies"][0]["priority"] = 99
    before = base()["strategies"][0]["priority"]

    with translation.override("ja"):
        text = criteria_diff.as_text(criteria_diff.diff(base(), after))

    assert text == f"提案 build-record (変更)\n  優先度: {before} → 99"
