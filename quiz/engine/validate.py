"""Validation of a criteria document, wherever it comes from (a file, an upload, the admin's
tables): every problem found, with where it is and what was expected."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import urlsplit

from quiz.engine.emblem import (
    COLOUR_RE,
    DEFAULT_COLOUR,
    DEFAULT_ICON,
    ICON_MAX,
    MIN_CONTRAST,
    WHITE,
    contrast,
    icon_names,
)
from quiz.engine.types import (
    CHOICE_OPS,
    EFFECTS,
    KINDS,
    LANGUAGES,
    MATCHES,
    PARTS,
    SCALE_OPS,
    SLUG_MAX,
    SLUG_RE,
    TEXT_MAX,
    CriteriaError,
    Problem,
    Text,
)

# What every supported database stores in an integer column: PostgreSQL's `integer`, the
# narrowest. Criteria valid on SQLite must stay valid when a site moves to PostgreSQL.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
SOURCE_TITLE_MAX = 300
SOURCE_FIELD_MAX = 200  # a source's author, site and url
# A criteria file is read whole and kept in the session until it is applied; the shipped one is
# about 150 KB and nests 7 levels deep, so these leave room without letting a file cost much.
FILE_MAX_BYTES = 1024 * 1024
NESTING_MAX = 20


_STRING = Text("文字列", "a string")
_LIST = Text("リスト", "a list")
_OBJECT = Text("オブジェクト", "an object")


def _texts(*names: str) -> frozenset[str]:
    return frozenset(f"{name}_{language}" for name in names for language in ("ja", "en"))


# The fields of each object in the format (`criteria_to_dict` writes all of them). Any other key
# is reported: a misspelt optional field would otherwise be dropped without a word.
FIELDS: dict[str, frozenset[str]] = {
    "dimensions": frozenset({"slug"}) | _texts("name", "description"),
    "sources": frozenset({"slug", "title", "title_en", "author", "site", "url", "sections"})
    | _texts("summary"),
    "sections": frozenset({"slug"}) | _texts("heading", "summary"),
    "questions": frozenset(
        {"slug", "kind", "required", "max_choices", "min", "max", "dimension"}
        | {"points_per_step", "show_if", "choices"}
    )
    | _texts("label", "text", "help", "min_label", "max_label"),
    "choices": frozenset({"slug", "exclusive", "scores"}) | _texts("label"),
    "rules": frozenset({"slug", "match", "conditions", "strategy", "warning", "effect", "weight"})
    | _texts("reason"),
    "strategies": frozenset({"slug", "steps_ja", "steps_en", "priority", "contradicts"})
    | frozenset({"citations"})
    | _texts("title", "action", "why"),
    "warnings": frozenset({"slug", "severity", "citations"}) | _texts("title", "signs", "action"),
    "types": frozenset({"slug", "icon", "colour", "strategies", "citations"})
    | _texts("name", "line", "explanation", "gift"),
    "show_if": frozenset({"match", "conditions"}),
    "conditions": frozenset({"question", "op", "choices", "value"}),
    "citations": frozenset({"source", "section"}),
}
_BOOLEAN = Text("true か false", "true or false")
_WHOLE_NUMBER = Text("整数", "a whole number")
_DIMENSION = Text("観点", "dimension")
_SOURCE = Text("出典記事", "source")
_SECTION = Text("節", "section")
_QUESTION = Text("質問", "question")
_CHOICE = Text("選択肢", "choice")
_STRATEGY = Text("提案", "strategy")
_WARNING = Text("注意", "warning")
_TYPE = Text("タイプ", "type")


def _type_of(value: object) -> Text:
    """A value's JSON type, as an editor would name it."""
    if value is None:
        return Text("null", "null")
    if isinstance(value, bool):
        return Text("true/false", "true or false")
    if isinstance(value, int):
        return _WHOLE_NUMBER
    if isinstance(value, float):
        return Text("小数", "a decimal number")
    if isinstance(value, str):
        return _STRING
    if isinstance(value, list | tuple):
        return _LIST
    if isinstance(value, Mapping):
        return _OBJECT
    return Text(type(value).__name__, type(value).__name__)


def _shown(value: object) -> Text:
    """A value quoted in a problem: a file can hold a megabyte in one string, so never whole."""
    ja = value if isinstance(value, str) else repr(value)
    en = repr(value)
    ja = f"「{ja[:40]}…」" if len(ja) > 40 else f"「{ja}」"
    return Text(ja, en[:40] + "…" if len(en) > 40 else en)


def _slug_of(what: Text) -> Text:
    return Text(f"{what.ja}の識別子", f"a {what.en}'s slug")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _storable(text: str) -> bool:
    """Whether every database column can hold the text: PostgreSQL refuses NUL, and no database
    can encode an unpaired surrogate (which JSON's \\ud800 escapes can produce)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _web_address(url: str) -> bool:
    """An absolute http or https address: anything else (`javascript:`, `data:`) would be a live
    link on the source page."""
    if any(c.isspace() or not c.isprintable() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class _Checker:
    """Collects every problem in a criteria dict, each naming where it is (kind, slug, field).

    Every value is checked for its type before it is compared, hashed or iterated, so any JSON
    at all gets a list of problems and never an exception."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, ja: str, en: str) -> None:
        self.problems.append(Problem(where, Text(ja, en)))

    def wrong_type(self, where: str, expected: Text, value: object) -> None:
        found = _type_of(value)
        self.add(
            where,
            f"{expected.ja}にしてください({found.ja}になっています)。",
            f"must be {expected.en}, not {found.en}",
        )

    def one_of(self, where: str, value: object, allowed: tuple[str, ...]) -> bool:
        if isinstance(value, str) and value in allowed:
            return True
        shown = _shown(value)
        self.add(
            where,
            f"{shown.ja}は使えません。{'、'.join(allowed)} のどれかにしてください。",
            f"{shown.en} is not one of {', '.join(allowed)}",
        )
        return False

    def string(
        self, where: str, value: object, *, required: bool = False, limit: int | None = None
    ) -> bool:
        if not isinstance(value, str):
            self.wrong_type(where, _STRING, value)
        elif required and not value.strip():
            self.add(where, "空にはできません。", "must not be empty")
        elif limit is not None and len(value) > limit:
            self.add(
                where, f"{limit}文字以内にしてください。", f"is longer than {limit} characters"
            )
        elif not _storable(value):
            self.add(
                where,
                "保存できない文字(NUL 文字か、対になっていないサロゲート)が含まれています。",
                "contains a character that cannot be stored (NUL or an unpaired surrogate)",
            )
        else:
            return True
        return False

    def texts(
        self, where: str, item: Mapping[str, Any], *names: str, required: bool = True
    ) -> None:
        for name in names:
            for language in LANGUAGES:
                self.string(
                    f"{where}.{name}_{language}",
                    item.get(f"{name}_{language}", ""),
                    required=required,
                    limit=TEXT_MAX.get(name),
                )

    def boolean(self, where: str, value: object) -> None:
        if not isinstance(value, bool):
            self.wrong_type(where, _BOOLEAN, value)

    def integer(self, where: str, value: object, low: int = INT_MIN, high: int = INT_MAX) -> bool:
        if not _is_int(value):
            self.wrong_type(where, _WHOLE_NUMBER, value)
            return False
        if not low <= cast(int, value) <= high:
            shown = str(value)
            shown = shown[:40] + "…" if len(shown) > 40 else shown
            self.add(
                where,
                f"{shown} は範囲外です。{low} から {high} までの整数にしてください。",
                f"{shown} is outside {low}..{high}",
            )
            return False
        return True

    def reference(
        self, where: str, value: object, known: Mapping[str, Any] | set[str], what: Text
    ) -> bool:
        """A slug naming an item that exists."""
        if not isinstance(value, str):
            self.wrong_type(where, _slug_of(what), value)
            return False
        if value not in known:
            shown = _shown(value)
            self.add(
                where, f"{shown.ja}という{what.ja}はありません。", f"{shown.en} is not a {what.en}"
            )
            return False
        return True

    def known(self, where: str, item: Mapping[Any, Any], fields: frozenset[str]) -> None:
        for key in item:
            if key not in fields:
                # A key can be a megabyte long too: shortened as values are.
                name = key if isinstance(key, str) and len(key) <= 40 else _shown(key).en
                self.add(
                    f"{where}.{name}" if where else name,
                    "基準の形式にない項目です。綴りを確かめてください。",
                    "is not a field of the criteria format; check its spelling",
                )

    def slugs(self, kind: str, items: object, fields: frozenset[str]) -> list[Mapping[str, Any]]:
        if not isinstance(items, list):
            self.wrong_type(kind, _LIST, items)
            return []
        valid: list[Mapping[str, Any]] = []
        seen: set[str] = set()
        for position, item in enumerate(items):
            if not isinstance(item, Mapping):
                self.wrong_type(f"{kind}[{position}]", _OBJECT, item)
                continue
            slug = item.get("slug")
            # fullmatch: `$` in a plain match would let a slug end with a line break.
            if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
                shown = _shown(slug)
                self.add(
                    f"{kind}[{position}].slug",
                    f"{shown.ja}は識別子に使えません(a-z、0-9 とハイフンで書きます)。",
                    f"{shown.en} is not a slug (a-z, 0-9 and hyphens)",
                )
                continue
            if len(slug) > SLUG_MAX:
                self.add(
                    f"{kind}[{position}].slug",
                    f"{SLUG_MAX}文字以内にしてください。",
                    f"is longer than {SLUG_MAX} characters",
                )
                continue
            if slug in seen:
                self.add(
                    f"{kind}[{slug}].slug",
                    "同じ識別子がほかにもあります。",
                    "is used twice",
                )
                continue
            seen.add(slug)
            self.known(f"{kind}[{slug}]", item, fields)
            valid.append(item)
        return valid


def _check_group(
    check: _Checker,
    where: str,
    group: Mapping[str, Any],
    questions: Mapping[str, Mapping[str, Any]],
) -> None:
    check.one_of(f"{where}.match", group.get("match", "all"), MATCHES)
    conditions = group.get("conditions")
    if not isinstance(conditions, list):
        check.wrong_type(f"{where}.conditions", _LIST, conditions)
        return
    for position, condition in enumerate(conditions):
        at = f"{where}.conditions[{position}]"
        if not isinstance(condition, Mapping):
            check.wrong_type(at, _OBJECT, condition)
            continue
        check.known(at, condition, FIELDS["conditions"])
        slug = condition.get("question")
        if not isinstance(slug, str):
            check.wrong_type(f"{at}.question", _slug_of(_QUESTION), slug)
            continue
        question = questions.get(slug)
        if question is None:
            shown = _shown(slug)
            if where.startswith("questions"):
                check.add(
                    f"{at}.question",
                    f"{shown.ja}はこの質問より前にある質問ではありません。",
                    f"{shown.en} is not a question asked before this one",
                )
            else:
                check.add(
                    f"{at}.question",
                    f"{shown.ja}という質問はありません。",
                    f"{shown.en} is not a question",
                )
            continue
        op = condition.get("op")
        kind = question.get("kind")
        if not (isinstance(kind, str) and kind in KINDS):
            continue  # the question's kind is reported; which ops apply is not known
        if kind == "scale":
            if not (isinstance(op, str) and op in SCALE_OPS):
                shown = _shown(op)
                check.add(
                    f"{at}.op",
                    f"{shown.ja}は段階で答える質問 {slug} には使えません。"
                    f"{'、'.join(SCALE_OPS)} のどれかにしてください。",
                    f"{shown.en} does not apply to scale question {slug}; "
                    f"use {', '.join(SCALE_OPS)}",
                )
            elif check.integer(f"{at}.value", condition.get("value")):
                value, low, high = condition["value"], question.get("min"), question.get("max")
                if _is_int(low) and _is_int(high) and not low <= value <= high:
                    check.add(
                        f"{at}.value",
                        f"{value} は質問 {slug} の段階({low}〜{high})の範囲外です。",
                        f"{value} is outside {slug}'s scale {low}..{high}",
                    )
            continue
        if not (isinstance(op, str) and op in CHOICE_OPS):
            shown = _shown(op)
            check.add(
                f"{at}.op",
                f"{shown.ja}は選択肢で答える質問 {slug} には使えません。"
                f"{'、'.join(CHOICE_OPS)} のどちらかにしてください。",
                f"{shown.en} does not apply to choice question {slug}; use {', '.join(CHOICE_OPS)}",
            )
            continue
        chosen = condition.get("choices")
        if not isinstance(chosen, list):
            check.wrong_type(
                f"{at}.choices", Text("選択肢の識別子のリスト", "a list of choice slugs"), chosen
            )
            continue
        if not chosen:
            check.add(
                f"{at}.choices", "選択肢を1つ以上挙げてください。", "must list at least one choice"
            )
            continue
        items = question.get("choices")
        own = {
            c.get("slug")
            for c in (items if isinstance(items, list) else ())
            if isinstance(c, Mapping) and isinstance(c.get("slug"), str)
        }
        seen: set[str] = set()
        for number, choice in enumerate(chosen):
            if not isinstance(choice, str):
                check.wrong_type(f"{at}.choices[{number}]", _slug_of(_CHOICE), choice)
                continue
            shown = _shown(choice)
            if choice not in own:
                check.add(
                    f"{at}.choices",
                    f"{shown.ja}は質問 {slug} の選択肢ではありません。",
                    f"{shown.en} is not a choice of question {slug}",
                )
            elif choice in seen:
                check.add(
                    f"{at}.choices",
                    f"{shown.ja}が2回挙げられています。",
                    f"lists {shown.en} twice",
                )
            seen.add(choice)


def _check_citations(
    check: _Checker, where: str, item: Mapping[str, Any], sections: Mapping[str, set[str]]
) -> None:
    citations = item.get("citations")
    if not isinstance(citations, list):
        check.wrong_type(f"{where}.citations", _LIST, citations)
        return
    if not citations:
        check.add(
            f"{where}.citations",
            "出典記事の節を1つ以上引いてください。",
            "needs at least one citation of a source section",
        )
        return
    for position, citation in enumerate(citations):
        at = f"{where}.citations[{position}]"
        if not isinstance(citation, Mapping):
            check.wrong_type(at, _OBJECT, citation)
            continue
        check.known(at, citation, FIELDS["citations"])
        source, section = citation.get("source"), citation.get("section")
        if not check.reference(f"{at}.source", source, sections, _SOURCE):
            continue
        if not isinstance(section, str):
            check.wrong_type(f"{at}.section", _slug_of(_SECTION), section)
        elif section not in sections[cast(str, source)]:
            shown = _shown(section)
            check.add(
                f"{at}.section",
                f"{shown.ja}は出典記事 {source} の節ではありません。",
                f"{shown.en} is not a section of {source}",
            )


def _check_steps(check: _Checker, where: str, strategy: Mapping[str, Any]) -> None:
    steps: dict[str, list[Any]] = {}
    for language in LANGUAGES:
        name = f"steps_{language}"
        value = strategy.get(name)
        if not isinstance(value, list):
            check.wrong_type(f"{where}.{name}", Text("文字列のリスト", "a list of strings"), value)
            continue
        steps[language] = value
        for position, step in enumerate(value):
            at = f"{where}.{name}[{position}]"
            # The tables keep the steps one a line, so a line break would split a step in two.
            if check.string(at, step, required=True) and step.splitlines() != [step]:
                check.add(
                    at,
                    "1行で書いてください(次の一歩は1行に1つです)。",
                    "must be one line: each step is one line",
                )
    if len(steps) < len(LANGUAGES):
        return
    if not steps["ja"]:
        check.add(
            f"{where}.steps_ja",
            "次の一歩を1つ以上、両方の言語で書いてください。",
            "needs at least one step, in both languages",
        )
    elif len(steps["ja"]) != len(steps["en"]):
        check.add(
            f"{where}.steps_en",
            f"{len(steps['en'])}個あります。steps_ja と同じ {len(steps['ja'])}個にしてください。",
            f"has {len(steps['en'])} steps; steps_ja has {len(steps['ja'])}",
        )


def _check_question(
    check: _Checker,
    q: Mapping[str, Any],
    dimensions: set[str],
    earlier: Mapping[str, Mapping[str, Any]],
) -> None:
    where = f"questions[{q['slug']}]"
    check.texts(where, q, "label", "text")
    check.texts(where, q, "help", "min_label", "max_label", required=False)
    check.boolean(f"{where}.required", q.get("required", True))
    kind = q.get("kind")
    check.one_of(f"{where}.kind", kind, KINDS)
    low, high = q.get("min"), q.get("max")
    if kind == "scale":
        if (
            check.integer(f"{where}.min", low)
            and check.integer(f"{where}.max", high)
            and cast(int, low) >= cast(int, high)
        ):
            check.add(f"{where}.max", "min より大きくしてください。", "must be greater than min")
    else:
        for name, value in (("min", low), ("max", high)):
            if value is not None:
                check.integer(f"{where}.{name}", value)
    if q.get("dimension") is not None:
        check.reference(f"{where}.dimension", q["dimension"], dimensions, _DIMENSION)
    check.integer(f"{where}.points_per_step", q.get("points_per_step", 0))

    choices: list[Mapping[str, Any]] = []
    if kind == "scale":
        if q.get("choices") is not None and not isinstance(q["choices"], list):
            check.wrong_type(f"{where}.choices", _LIST, q["choices"])
        elif q.get("choices"):
            check.add(
                f"{where}.choices",
                "段階で答える質問には選択肢を付けられません。",
                "a scale question has no choices",
            )
    elif kind in KINDS:
        choices = check.slugs(f"{where}.choices", q.get("choices"), FIELDS["choices"])
        if isinstance(q.get("choices"), list) and len(choices) < 2:
            check.add(
                f"{where}.choices", "選択肢を2つ以上にしてください。", "needs at least two choices"
            )
        for c in choices:
            at = f"{where}.choices[{c['slug']}]"
            check.texts(at, c, "label")
            exclusive = c.get("exclusive", False)
            check.boolean(f"{at}.exclusive", exclusive)
            if exclusive is True and kind != "multiple":
                check.add(
                    f"{at}.exclusive",
                    "複数選べる質問にだけ使えます。",
                    "only applies to multiple-choice questions",
                )
            scores = c.get("scores")
            if scores is None:
                continue
            if not isinstance(scores, Mapping):
                check.wrong_type(f"{at}.scores", _OBJECT, scores)
                continue
            for dimension, points in scores.items():
                check.reference(f"{at}.scores", dimension, dimensions, _DIMENSION)
                check.integer(f"{at}.scores.{dimension}", points)

    if q.get("max_choices") is not None and kind in KINDS:
        if kind != "multiple":
            check.add(
                f"{where}.max_choices",
                "複数選べる質問にだけ使えます。",
                "only applies to multiple-choice questions",
            )
        else:
            check.integer(f"{where}.max_choices", q["max_choices"], 1, max(len(choices), 1))

    show_if = q.get("show_if")
    if show_if is None:
        return
    if not isinstance(show_if, Mapping):
        check.wrong_type(
            f"{where}.show_if", Text("オブジェクトか null", "an object or null"), show_if
        )
        return
    check.known(f"{where}.show_if", show_if, FIELDS["show_if"])
    _check_group(check, f"{where}.show_if", show_if, earlier)
    # The tables keep no display condition as "always shown": an empty group that never or
    # always holds could not be stored as it is.
    if show_if.get("conditions") == []:
        check.add(
            f"{where}.show_if.conditions",
            "条件を1つ以上にするか、show_if を null にしてください。",
            "needs at least one condition; for none, make show_if null",
        )


def _check_emblem(check: _Checker, where: str, t: Mapping[str, Any]) -> None:
    """The type's icon is one the installed icon package has, and its colour a `#rrggbb` dark
    enough for the emblem's white icon and white text (WCAG AA for text)."""
    icon = t.get("icon", DEFAULT_ICON)
    if check.string(f"{where}.icon", icon, required=True, limit=ICON_MAX) and (
        icon not in icon_names()
    ):
        shown = _shown(icon)
        check.add(
            f"{where}.icon",
            f"{shown.ja}というアイコンはありません。"
            f"Lucide のアイコンの名前（{DEFAULT_ICON}、handshake など）にしてください。",
            f"{shown.en} is not an icon; use a Lucide icon's name, such as {DEFAULT_ICON}",
        )
    colour = t.get("colour", DEFAULT_COLOUR)
    if not check.string(f"{where}.colour", colour, required=True):
        return
    if not COLOUR_RE.fullmatch(colour):
        shown = _shown(colour)
        check.add(
            f"{where}.colour",
            f"{shown.ja}は色として読めません。#0b5c4a のように、# と6桁の16進数で書いてください。",
            f"{shown.en} is not a colour; write it as # and six hex digits, such as #0b5c4a",
        )
        return
    ratio = contrast(colour, WHITE)
    if ratio < MIN_CONTRAST:
        # Rounded down, so that a refused colour never reads as if it reached the minimum.
        shown_ratio = f"{math.floor(ratio * 100) / 100:.2f}"
        check.add(
            f"{where}.colour",
            f"{colour} は明るすぎて、上にのせる白い文字が読みにくくなります。"
            f"白との明暗比が {MIN_CONTRAST}:1 以上になる、もっと濃い色にしてください"
            f"（いまは {shown_ratio}:1）。",
            f"{colour} is too light for the white text on it: its contrast with white is "
            f"{shown_ratio}:1 and must be at least {MIN_CONTRAST}:1; choose a darker colour",
        )


def _check_types(
    check: _Checker, types: object, strategies: list[str], sections: Mapping[str, set[str]]
) -> None:
    """Each type's texts and citations, and that every strategy belongs to exactly one type: a
    result's type is its first recommendation's, so that makes one type per result."""
    owner: dict[str, str] = {}
    for t in check.slugs("types", types, FIELDS["types"]):
        where = f"types[{t['slug']}]"
        check.texts(where, t, "name", "line", "explanation")
        # Optional, so that files from before it still import: a type without one is compared
        # with a friend's without that line.
        check.texts(where, t, "gift", required=False)
        _check_emblem(check, where, t)
        _check_citations(check, where, t, sections)
        listed = t.get("strategies")
        if not isinstance(listed, list):
            check.wrong_type(
                f"{where}.strategies",
                Text("提案の識別子のリスト", "a list of strategy slugs"),
                listed,
            )
            continue
        # A type without strategies is allowed: an editor adds a type before moving strategies
        # into it, and empties one before deleting it. Coverage reports a type nobody gets.
        for position, slug in enumerate(listed):
            if not isinstance(slug, str):
                check.wrong_type(f"{where}.strategies[{position}]", _slug_of(_STRATEGY), slug)
                continue
            if not check.reference(f"{where}.strategies", slug, set(strategies), _STRATEGY):
                continue
            if slug in owner:
                other = owner[slug]
                check.add(
                    f"{where}.strategies",
                    f"提案 {slug} はタイプ {other} にも入っています。"
                    "提案が入るタイプは1つだけです。"
                    if other != t["slug"]
                    else f"提案 {slug} が2回挙げられています。",
                    f"{slug} is also in type {other}; a strategy belongs to one type only"
                    if other != t["slug"]
                    else f"lists {slug} twice",
                )
                continue
            owner[slug] = t["slug"]
    for slug in strategies:
        if slug not in owner:
            check.add(
                f"strategies[{slug}]",
                "どのタイプにも入っていません。types のどれか1つの strategies に加えてください。",
                "belongs to no type; list it in the strategies of exactly one type",
            )


def criteria_problems(data: Any) -> list[Problem]:
    """Every problem in a criteria dict, each with where it is and what was expected. Empty when
    valid; then `criteria_from_dict` succeeds and every value fits its database column."""
    check = _Checker()
    if not isinstance(data, Mapping):
        check.wrong_type("criteria", Text("JSON オブジェクト", "a JSON object"), data)
        return check.problems
    for key in PARTS:
        if key not in data:
            check.add(key, "この項目がありません。", "is missing")
    if check.problems:
        return check.problems
    check.known("", data, frozenset(PARTS))

    dimensions = check.slugs("dimensions", data["dimensions"], FIELDS["dimensions"])
    for d in dimensions:
        check.texts(f"dimensions[{d['slug']}]", d, "name")
        check.texts(f"dimensions[{d['slug']}]", d, "description", required=False)
    dimension_slugs = {d["slug"] for d in dimensions}

    sections: dict[str, set[str]] = {}
    for s in check.slugs("sources", data["sources"], FIELDS["sources"]):
        where = f"sources[{s['slug']}]"
        check.string(f"{where}.title", s.get("title", ""), required=True, limit=SOURCE_TITLE_MAX)
        check.string(f"{where}.title_en", s.get("title_en", ""), limit=SOURCE_TITLE_MAX)
        for name in ("author", "site"):
            check.string(f"{where}.{name}", s.get(name, ""), limit=SOURCE_FIELD_MAX)
        url = s.get("url", "")
        url_ok = check.string(f"{where}.url", url, limit=SOURCE_FIELD_MAX)
        if url_ok and url and not _web_address(url):
            check.add(
                f"{where}.url",
                "http:// か https:// で始まるウェブのアドレスにしてください。",
                "must be a web address starting with http:// or https://",
            )
        check.texts(where, s, "summary")
        sections[s["slug"]] = set()
        for x in check.slugs(f"{where}.sections", s.get("sections"), FIELDS["sections"]):
            check.texts(f"{where}.sections[{x['slug']}]", x, "heading")
            check.texts(f"{where}.sections[{x['slug']}]", x, "summary", required=False)
            sections[s["slug"]].add(x["slug"])
        if not sections[s["slug"]]:
            check.add(
                f"{where}.sections", "節を1つ以上にしてください。", "needs at least one section"
            )

    earlier: dict[str, Mapping[str, Any]] = {}
    for q in check.slugs("questions", data["questions"], FIELDS["questions"]):
        _check_question(check, q, dimension_slugs, earlier)
        earlier[q["slug"]] = q
    questions = earlier

    strategies = check.slugs("strategies", data["strategies"], FIELDS["strategies"])
    strategy_slugs = {s["slug"] for s in strategies}
    priorities = {s["slug"]: s.get("priority", 0) for s in strategies}
    for s in strategies:
        where = f"strategies[{s['slug']}]"
        check.texts(where, s, "title", "action", "why")
        check.integer(f"{where}.priority", s.get("priority", 0))
        _check_steps(check, where, s)
        _check_citations(check, where, s, sections)
        contradicts = s.get("contradicts")
        if contradicts is None:
            continue
        if not isinstance(contradicts, list):
            check.wrong_type(
                f"{where}.contradicts",
                Text("提案の識別子のリスト", "a list of strategy slugs"),
                contradicts,
            )
            continue
        for position, other in enumerate(contradicts):
            if not isinstance(other, str):
                check.wrong_type(f"{where}.contradicts[{position}]", _slug_of(_STRATEGY), other)
                continue
            if not check.reference(f"{where}.contradicts", other, strategy_slugs, _STRATEGY):
                continue
            if other == s["slug"]:
                check.add(
                    f"{where}.contradicts",
                    "提案を自分自身と両立しないことにはできません。",
                    "a strategy cannot contradict itself",
                )
            elif _is_int(priorities[other]) and priorities[other] == priorities[s["slug"]]:
                check.add(
                    f"{where}.priority",
                    f"両立しない提案 {other} と同じ優先度です。違う値にしてください。",
                    f"equals the priority of {other}, which it contradicts; make them differ",
                )

    warnings = check.slugs("warnings", data["warnings"], FIELDS["warnings"])
    warning_slugs = {w["slug"] for w in warnings}
    for w in warnings:
        where = f"warnings[{w['slug']}]"
        check.texts(where, w, "title", "signs", "action")
        check.integer(f"{where}.severity", w.get("severity", 2), 1, 3)
        _check_citations(check, where, w, sections)

    _check_types(check, data["types"], [s["slug"] for s in strategies], sections)

    for r in check.slugs("rules", data["rules"], FIELDS["rules"]):
        where = f"rules[{r['slug']}]"
        check.texts(where, r, "reason")
        _check_group(check, where, r, questions)
        strategy, warning = r.get("strategy"), r.get("warning")
        if (strategy is None) == (warning is None):
            check.add(
                where,
                "strategy と warning のどちらか一方だけを指定してください。",
                "needs exactly one of strategy or warning",
            )
        elif strategy is not None:
            check.reference(f"{where}.strategy", strategy, strategy_slugs, _STRATEGY)
        else:
            check.reference(f"{where}.warning", warning, warning_slugs, _WARNING)
        effect = r.get("effect", "add")
        if (
            check.one_of(f"{where}.effect", effect, EFFECTS)
            and effect == "exclude"
            and warning is not None
        ):
            check.add(
                f"{where}.effect",
                "exclude(提案を出さない)は、提案のルールにだけ使えます。",
                "exclude (keep the strategy out) applies to a strategy's rule only",
            )
        # Only a rule that adds to a strategy's score needs a weight of 1 or more: an excluding
        # rule adds nothing, and a warning's rule only orders its warning among the others.
        adds = warning is None and effect != "exclude"
        check.integer(f"{where}.weight", r.get("weight", 1), 1 if adds else 0)
    return check.problems


def validate_criteria_dict(data: Any) -> list[str]:
    """Every problem in a criteria dict, in English, as `kind[slug].field: what is wrong`. Empty
    when valid."""
    return [str(p) for p in criteria_problems(data)]


# A string, its closing quote optional so that an unclosed one ends the scan instead of being
# tried again from every later quote; or a bracket.
_JSON_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.S)


def _nesting(text: str) -> int:
    """How deep lists and objects nest in a JSON text, found without parsing it: the parser
    recurses and would fail on a file nested thousands deep before anything could be said."""
    depth = deepest = 0
    for token in _JSON_BRACKETS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in ("]", "}"):
            depth -= 1
    return deepest


# What the parser says, in Japanese; its English is shown as it is.
_JSON_MESSAGES_JA = {
    "Expecting value": "値がありません",
    "Expecting property name enclosed in double quotes": "キーは二重引用符で囲んでください",
    "Expecting ':' delimiter": "「:」がありません",
    "Expecting ',' delimiter": "「,」がありません",
    "Unterminated string starting at": "文字列が閉じていません",
    "Invalid control character at": "文字列の中に改行などの制御文字があります",
    "Invalid \\escape": "使えない「\\」の書き方です",
    "Invalid \\uXXXX escape": "「\\u」の後は16進数4桁にしてください",
    "Extra data": "JSON の後に余分な文字があります",
}
# Longer numbers are refused before Python converts them: an integer of thousands of digits
# costs time to convert and then fails, and no field in this app needs more than this.
NUMBER_CHARS_MAX = 100


class JSONTextError(ValueError):
    """Why a JSON text was refused, in both languages."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def _number(text: str) -> float | int:
    if len(text) > NUMBER_CHARS_MAX:
        raise JSONTextError(
            Text(
                f"桁の多すぎる数があります。数は {NUMBER_CHARS_MAX} 文字までにしてください。",
                f"A number has too many digits: {NUMBER_CHARS_MAX} characters at most.",
            )
        )
    number = float(text) if any(c in text for c in ".eE") else int(text)
    if not math.isfinite(number):
        raise JSONTextError(Text("大きすぎる数があります。", "A number is too large to be read."))
    return number


def _not_a_number(name: str) -> Any:
    raise JSONTextError(
        Text(
            f"{name} は JSON の数ではありません。数字で書いてください。",
            f"{name} is not a JSON number; please write the number in digits.",
        )
    )


def _strings_are_text(data: Any) -> None:
    """Refuses a string that holds half of a surrogate pair (JSON can write one as `\\ud800`):
    it is not a character, and no database or page can store or show it."""
    stack = [data]
    while stack:
        item = stack.pop()
        strings: list[Any] = []
        if isinstance(item, dict):
            strings = list(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            strings = [item]
        for value in strings:
            if isinstance(value, str) and not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError as error:
                    raise JSONTextError(
                        Text(
                            "対になっていないサロゲート（\\ud800 など）は文字ではないので"
                            "使えません。",
                            "A string holds half of a surrogate pair (such as \\ud800), "
                            "which is not a character.",
                        )
                    ) from error


def read_json_text(text: str, nesting_max: int = NESTING_MAX) -> Any:
    """JSON text as data, refusing with `JSONTextError` what the parser would fail on before it
    could say why (nesting deeper than `nesting_max`, numbers of thousands of digits) and what
    it accepts but nothing downstream can hold: NaN, Infinity, numbers too large for a float,
    and lone surrogates."""
    if _nesting(text) > nesting_max:
        raise JSONTextError(
            Text(
                f"JSON の入れ子が {nesting_max} 段を超えています。"
                f"入れ子は {nesting_max} 段までにしてください。",
                f"The JSON nests lists and objects more than {nesting_max} levels deep, "
                f"the most it may.",
            )
        )
    try:
        data = json.loads(
            text, parse_int=_number, parse_float=_number, parse_constant=_not_a_number
        )
    except json.JSONDecodeError as error:
        ja = _JSON_MESSAGES_JA.get(error.msg, error.msg)
        raise JSONTextError(
            Text(
                f"JSON として読めません({error.lineno}行目、{error.colno}文字目: {ja})。",
                f"This is not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}.",
            )
        ) from error
    _strings_are_text(data)
    return data


def read_criteria_json(raw: bytes) -> Any:
    """A criteria file's content as data, for import. Raises `CriteriaError` with one problem
    saying why when the file is larger than FILE_MAX_BYTES, nested deeper than NESTING_MAX, or not
    UTF-8 JSON as `read_json_text` reads it. The data still has to be validated."""

    def refuse(ja: str, en: str) -> CriteriaError:
        return CriteriaError([Problem("", Text(ja, en))])

    if len(raw) > FILE_MAX_BYTES:
        raise refuse(
            "ファイルが 1 MiB(1,048,576 バイト)を超えています。"
            "基準のファイルは 1 MiB までにしてください。",
            "The file is larger than 1 MiB (1,048,576 bytes), the most a criteria file may be.",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise refuse(
            f"ファイルが UTF-8 のテキストではありません({error.start + 1}バイト目を読めません)。",
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read).",
        ) from error
    if _nesting(text) > NESTING_MAX:
        raise refuse(
            f"JSON の入れ子が {NESTING_MAX} 段を超えています。"
            f"基準のファイルの入れ子は {NESTING_MAX} 段までにしてください。",
            f"The JSON nests lists and objects more than {NESTING_MAX} levels deep, "
            f"the most a criteria file may.",
        )
    try:
        return read_json_text(text)
    except JSONTextError as error:
        raise CriteriaError([Problem("", error.message)]) from error
