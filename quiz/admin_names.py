"""Criteria as editors see them: a problem's place, given as a path into the interchange format
(`strategies[build-record].citations`, `test_cases[no-record]`), named the way the admin names
things: 「提案『まず実績をつくる』の出典箇所」, 'strategy "Build a track record first", citations'.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils import translation

from quiz import engine
from quiz.models import (
    Choice,
    CriteriaTestCase,
    Dimension,
    DisplayCondition,
    Question,
    ResultType,
    Rule,
    RuleCondition,
    Section,
    Source,
    Strategy,
    WarningSign,
)

# Each part of the format: its model, and the field (bilingual when it ends in `_`) that names
# an item of it; None where editors know an item by its slug.
PARTS: dict[str, tuple[type[Model], str | None]] = {
    "dimensions": (Dimension, "name_"),
    "sources": (Source, "title"),
    "questions": (Question, "label_"),
    "rules": (Rule, None),
    "strategies": (Strategy, "title_"),
    "warnings": (WarningSign, "title_"),
    "types": (ResultType, "name_"),
    "test_cases": (CriteriaTestCase, "name"),
}
# Lists inside an item, by the model their rows are.
ROWS: dict[str, type[Model]] = {
    "choices": Choice,
    "sections": Section,
    "conditions": RuleCondition,
}
# Names in the format that the tables spell otherwise.
FIELDS = {"min": "scale_min", "max": "scale_max", "show_if": "display_conditions"}
_STEP = re.compile(r"([A-Za-z_]+)(?:\[([^\]]*)\])?")


def _label(model: type[Model], name: str, one: bool) -> str | None:
    """A field's label as the admin shows it; a list of rows (a strategy's citations) by their
    model's name, singular when `one` row is meant."""
    try:
        field = model._meta.get_field(FIELDS.get(name, name))
    except FieldDoesNotExist:
        return None
    if hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    meta = field.related_model._meta
    return str(meta.verbose_name if one else meta.verbose_name_plural)


def _item_name(model: type[Model], name_field: str | None, slug: str, language: str) -> str:
    if name_field is None or not slug:
        return slug
    fields = (
        [f"{name_field}{language}", f"{name_field}ja"] if name_field.endswith("_") else [name_field]
    )
    row = model._default_manager.filter(slug=slug).values(*fields).first()
    return next((row[f] for f in fields if row and row[f]), slug)


def _choice_name(question: str, slug: str, language: str) -> str:
    row = (
        Choice.objects.filter(question__slug=question, slug=slug)
        .values("label_ja", "label_en")
        .first()
    )
    if row is None:
        return slug
    return (row["label_en"] if language == "en" and row["label_en"] else row["label_ja"]) or slug


def describe(where: str, language: str) -> str:
    """`where` named for an editor, in `language`; the path as it is when it is not one."""
    steps = [_STEP.fullmatch(step) for step in where.split(".")] if where else []
    if not steps or not all(steps) or steps[0] is None or steps[0].group(1) not in PARTS:
        return where
    part, key = steps[0].group(1), steps[0].group(2) or ""
    model, name_field = PARTS[part]
    with translation.override(language):
        kind = str(model._meta.verbose_name)
        kind = kind if language == "ja" else kind[:1].lower() + kind[1:]
        item = (
            _item_name(model, name_field, key, language)
            if not key.isdigit()
            else (f"{int(key) + 1}番目" if language == "ja" else f"no. {int(key) + 1}")
        )
        named = f"{kind}『{item}』" if language == "ja" else f'{kind} "{item}"'
        pieces = [named]
        current = model
        for index, step in enumerate(steps[1:], start=2):
            assert step is not None
            name, sub = step.group(1), step.group(2)
            if part == "questions" and name == "show_if":
                current = DisplayCondition
                one = len(steps) > index and "[" in where.split(".")[index]
                pieces.append(_label(Question, name, one=one) or name)
                continue
            if name == "conditions" and current is DisplayCondition:
                # 「質問の表示条件」 already says which list: only the row's number is added.
                if sub is not None and sub.isdigit():
                    pieces[-1] += f"{int(sub) + 1}" if language == "ja" else f" {int(sub) + 1}"
                continue
            label = _label(current, name, one=sub is not None) or name
            if sub is None:
                pieces.append(label)
                continue
            if sub.isdigit():
                number = int(sub) + 1
                pieces.append(f"{label}{number}" if language == "ja" else f"{label} {number}")
            elif name == "choices" and part == "questions":
                choice = _choice_name(key, sub, language)
                pieces.append(f"{label}「{choice}」" if language == "ja" else f'{label} "{choice}"')
            else:
                pieces.append(f"{label}「{sub}」" if language == "ja" else f'{label} "{sub}"')
            current = ROWS.get(name, current)
    return "の".join(pieces) if language == "ja" else ", ".join(pieces)


def in_language(problems: Sequence[engine.Problem], language: str) -> list[str]:
    """Problems as the admin lists them: each place named for editors, then what is wrong."""
    separator = "：" if language == "ja" else ": "
    return [
        f"{describe(p.where, language)}{separator}{p.message.get(language)}"
        if p.where
        else p.message.get(language)
        for p in problems
    ]


def admin_language() -> str:
    """The language the admin's pages are in: English when the admin speaks it, else Japanese."""
    return "en" if (translation.get_language() or "ja").startswith("en") else "ja"


def in_admin_language(problems: Sequence[engine.Problem]) -> list[str]:
    """Problems as the admin shows them: in the language its pages are in, each place named as
    editors see it."""
    return in_language(problems, admin_language())
