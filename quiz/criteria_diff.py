"""What changes between two criteria sets, field by field, as editors review it.

Both sides are the interchange format (`engine.criteria_to_dict`); items are matched by slug
within their kind, and lists of items that have slugs of their own (a source's sections, a
question's choices) are matched the same way one level down. Every field is named in the
language the admin is in. Used by the draft page, the version comparison, the proposals of a
shipped file, the admin import and the command-line import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from quiz import engine
from quiz.models import EFFECT_LABELS, KIND_LABELS, MATCH_LABELS

Status = Literal["added", "removed", "changed", "reordered"]

PART_LABELS: dict[str, Promise] = {
    "dimensions": pgettext_lazy("plural", "観点"),
    "sources": pgettext_lazy("plural", "出典記事"),
    "questions": pgettext_lazy("plural", "質問"),
    "rules": pgettext_lazy("plural", "ルール"),
    "strategies": pgettext_lazy("plural", "提案"),
    "warnings": pgettext_lazy("plural", "注意"),
    "types": pgettext_lazy("plural", "タイプ"),
}
STATUS_LABELS: dict[str, Promise] = {
    "added": pgettext_lazy("diff", "追加"),
    "removed": pgettext_lazy("diff", "削除"),
    "changed": pgettext_lazy("diff", "変更"),
    "reordered": pgettext_lazy("diff", "並び順"),
}
# The interchange format's field names, without their language suffix.
FIELD_LABELS: dict[str, Promise] = {
    "slug": _("識別子"),
    "name": _("名前"),
    "description": _("説明"),
    "title": _("タイトル"),
    "author": _("著者"),
    "site": _("サイト名"),
    "url": _("URL"),
    "summary": _("要約"),
    "sections": pgettext_lazy("plural", "記事の節"),
    "heading": _("見出し"),
    "kind": _("答え方"),
    "label": _("文言"),
    "text": _("質問文"),
    "help": _("補足"),
    "required": _("回答必須"),
    "max_choices": _("選べる数の上限"),
    "min": _("段階の最小値"),
    "max": _("段階の最大値"),
    "min_label": _("最小値の説明"),
    "max_label": _("最大値の説明"),
    "dimension": _("観点"),
    "points_per_step": _("1段階あたりの点数"),
    "show_if": _("表示条件"),
    "choices": pgettext_lazy("plural", "選択肢"),
    "exclusive": _("ほかの選択肢と一緒には選べない"),
    "scores": _("点数"),
    "match": _("発動する条件"),
    "conditions": _("条件"),
    "strategy": _("提案"),
    "warning": _("注意"),
    "effect": _("効果"),
    "weight": _("重み"),
    "reason": _("表示する理由"),
    "action": _("すること"),
    "steps": _("次の一歩"),
    "why": _("理由"),
    "priority": _("優先度"),
    "contradicts": _("両立しない提案"),
    "citations": _("出典箇所"),
    "signs": _("見分け方"),
    "severity": _("深刻さ"),
    "line": _("ひとことの説明"),
    "explanation": _("くわしい説明"),
    "strategies": pgettext_lazy("plural", "提案"),
}
VALUE_LABELS: dict[str, Mapping[str, Promise]] = {
    "kind": KIND_LABELS,
    "match": MATCH_LABELS,
    "effect": EFFECT_LABELS,
}
LANGUAGE_LABELS: dict[str, Promise] = {"ja": _("日本語"), "en": _("英語")}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    kind: str
    slug: str
    status: Status
    fields: tuple[FieldChange, ...]

    @property
    def kind_label(self) -> str:
        return str(PART_LABELS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def field_label(key: str) -> str:
    """`label_ja` → 「文言（日本語）」, in the active language."""
    base, _sep, language = key.rpartition("_")
    if base and language in LANGUAGE_LABELS and base in FIELD_LABELS:
        return gettext("%(field)s（%(language)s）") % {
            "field": FIELD_LABELS[base],
            "language": LANGUAGE_LABELS[language],
        }
    return str(FIELD_LABELS.get(key, key))


def shown(value: Any, key: str = "") -> str:
    """A field's value as one line of text for the diff; a value from a closed set (a question's
    kind, a rule's match and effect) by the name the admin gives it."""
    if key in VALUE_LABELS and isinstance(value, str):
        return str(VALUE_LABELS[key].get(value, value))
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("はい") if value else gettext("いいえ")
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " / ".join(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _slugged(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and isinstance(v.get("slug"), str) for v in value)
    )


def _field_changes(before: dict[str, Any], after: dict[str, Any], prefix: str) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if old == new or key == "slug":
            continue
        label = f"{prefix}{field_label(key)}"
        if (_slugged(old) or old in (None, [])) and (_slugged(new) or new in (None, [])):
            changes += _list_changes(old or [], new or [], label)
        else:
            changes.append(FieldChange(label, shown(old, key), shown(new, key)))
    return changes


def _list_changes(before: list[Any], after: list[Any], label: str) -> list[FieldChange]:
    """Changes to a list of items with slugs of their own, named `label › slug › field`."""
    old = {item["slug"]: item for item in before}
    new = {item["slug"]: item for item in after}
    changes: list[FieldChange] = []
    for slug in [*old, *(s for s in new if s not in old)]:
        where = f"{label} › {slug} › "
        if slug not in new:
            changes.append(FieldChange(f"{label} › {slug}", gettext("あり"), gettext("削除")))
        elif slug not in old:
            changes += [
                FieldChange(f"{where}{field_label(k)}", "—", shown(v, k))
                for k, v in new[slug].items()
                if k != "slug" and v not in (None, "", [])
            ]
        else:
            changes += _field_changes(old[slug], new[slug], where)
    common = [s for s in old if s in new]
    if common != [s for s in new if s in old]:
        changes.append(
            FieldChange(
                f"{label} › {STATUS_LABELS['reordered']}",
                " / ".join(common),
                " / ".join(s for s in new if s in old),
            )
        )
    return changes


def _whole(item: dict[str, Any], old_side: bool) -> tuple[FieldChange, ...]:
    """Every filled field of an item added or removed."""
    rows = []
    for key, value in item.items():
        if key == "slug" or value in (None, "", []):
            continue
        if _slugged(value):
            value = [v["slug"] for v in value]
        text = shown(value, key)
        old, new = (text, "—") if old_side else ("—", text)
        rows.append(FieldChange(field_label(key), old, new))
    return tuple(rows)


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[ItemChange]:
    """Every difference from `before` to `after`, kind by kind in the format's order."""
    changes: list[ItemChange] = []
    for kind in engine.PARTS:
        old = {item["slug"]: item for item in before.get(kind, [])}
        new = {item["slug"]: item for item in after.get(kind, [])}
        for slug in [*old, *(s for s in new if s not in old)]:
            if slug not in new:
                changes.append(ItemChange(kind, slug, "removed", _whole(old[slug], True)))
            elif slug not in old:
                changes.append(ItemChange(kind, slug, "added", _whole(new[slug], False)))
            elif fields := _field_changes(old[slug], new[slug], ""):
                changes.append(ItemChange(kind, slug, "changed", tuple(fields)))
        common = [s for s in old if s in new]
        moved = [s for s in new if s in old]
        if common != moved:
            order = " / ".join(common), " / ".join(moved)
            label = str(STATUS_LABELS["reordered"])
            changes.append(ItemChange(kind, "", "reordered", (FieldChange(label, *order),)))
    return changes


def as_text(changes: list[ItemChange]) -> str:
    """The diff as plain lines, for the command line."""
    lines = []
    for change in changes:
        name = f"{change.kind_label} {change.slug}".strip()
        lines.append(f"{name} ({change.status_label})")
        lines += [f"  {f.field}: {f.old} → {f.new}" for f in change.fields]
    return "\n".join(lines)
