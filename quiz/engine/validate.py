"""Validation of a criteria document, wherever it comes from (a file, an upload, the admin's
tables): every problem found, with where it is and what was expected. What differs by question
kind is checked by the kind (`quiz.engine.kinds`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

from quiz.engine.checks import (
    DIMENSION,
    FIELDS,
    LIST,
    QUESTION,
    SECTION,
    SOURCE,
    STRATEGY,
    WARNING,
    Checker,
    is_int,
    quoted,
    slug_of,
    web_address,
)
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
from quiz.engine.kinds import check_bounds, kind_named
from quiz.engine.types import (
    EFFECTS,
    KINDS,
    LANGUAGES,
    MATCHES,
    PARTS,
    Problem,
    Text,
)

SOURCE_TITLE_MAX = 300
SOURCE_FIELD_MAX = 200  # a source's author, site and url


def _check_group(
    check: Checker,
    where: str,
    group: Mapping[str, Any],
    questions: Mapping[str, Mapping[str, Any]],
) -> None:
    check.one_of(f"{where}.match", group.get("match", "all"), MATCHES)
    conditions = group.get("conditions")
    if not isinstance(conditions, list):
        check.wrong_type(f"{where}.conditions", LIST, conditions)
        return
    for at, condition in check.objects(f"{where}.conditions", conditions, FIELDS["conditions"]):
        slug = condition.get("question")
        if not isinstance(slug, str):
            check.wrong_type(f"{at}.question", slug_of(QUESTION), slug)
            continue
        question = questions.get(slug)
        if question is None:
            shown = quoted(slug)
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
        kind = kind_named(question.get("kind"))
        # An unknown kind is reported with its question; which ops apply is not known.
        if kind is not None:
            kind.check_condition(check, at, slug, question, condition)


def _check_citations(
    check: Checker, where: str, item: Mapping[str, Any], sections: Mapping[str, set[str]]
) -> None:
    citations = item.get("citations")
    if not isinstance(citations, list):
        check.wrong_type(f"{where}.citations", LIST, citations)
        return
    if not citations:
        check.add(
            f"{where}.citations",
            "出典記事の節を1つ以上引いてください。",
            "needs at least one citation of a source section",
        )
        return
    for at, citation in check.objects(f"{where}.citations", citations, FIELDS["citations"]):
        source, section = citation.get("source"), citation.get("section")
        if not check.reference(f"{at}.source", source, sections, SOURCE):
            continue
        if not isinstance(section, str):
            check.wrong_type(f"{at}.section", slug_of(SECTION), section)
        elif section not in sections[cast(str, source)]:
            shown = quoted(section)
            check.add(
                f"{at}.section",
                f"{shown.ja}は出典記事 {source} の節ではありません。",
                f"{shown.en} is not a section of {source}",
            )


def _check_steps(check: Checker, where: str, strategy: Mapping[str, Any]) -> None:
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
    check: Checker,
    q: Mapping[str, Any],
    dimensions: set[str],
    earlier: Mapping[str, Mapping[str, Any]],
) -> None:
    where = f"questions[{q['slug']}]"
    check.texts(where, q, "label", "text")
    check.texts(where, q, "help", "min_label", "max_label", required=False)
    check.boolean(f"{where}.required", q.get("required", True))
    check.one_of(f"{where}.kind", q.get("kind"), KINDS)
    kind = kind_named(q.get("kind"))
    if kind is None:
        check_bounds(check, where, q)
    else:
        kind.check_range(check, where, q)
    if q.get("dimension") is not None:
        check.reference(f"{where}.dimension", q["dimension"], dimensions, DIMENSION)
    check.integer(f"{where}.points_per_step", q.get("points_per_step", 0))
    if kind is not None:
        kind.check_choices(check, where, q, dimensions)

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


def _check_emblem(check: Checker, where: str, t: Mapping[str, Any]) -> None:
    """The type's icon is one the installed icon package has, and its colour a `#rrggbb` dark
    enough for the emblem's white icon and white text (WCAG AA for text)."""
    icon = t.get("icon", DEFAULT_ICON)
    if check.string(f"{where}.icon", icon, required=True, limit=ICON_MAX) and (
        icon not in icon_names()
    ):
        shown = quoted(icon)
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
        shown = quoted(colour)
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
    check: Checker, types: object, strategies: list[str], sections: Mapping[str, set[str]]
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
        # A type without strategies is allowed: an editor adds a type before moving strategies
        # into it, and empties one before deleting it. Coverage reports a type nobody gets.
        listed = t.get("strategies")
        for slug in check.references(f"{where}.strategies", listed, set(strategies), STRATEGY):
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
    check = Checker()
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
        if url_ok and url and not web_address(url):
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
        for other in check.references(
            f"{where}.contradicts", contradicts, strategy_slugs, STRATEGY
        ):
            if other == s["slug"]:
                check.add(
                    f"{where}.contradicts",
                    "提案を自分自身と両立しないことにはできません。",
                    "a strategy cannot contradict itself",
                )
            elif is_int(priorities[other]) and priorities[other] == priorities[s["slug"]]:
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
            check.reference(f"{where}.strategy", strategy, strategy_slugs, STRATEGY)
        else:
            check.reference(f"{where}.warning", warning, warning_slugs, WARNING)
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
