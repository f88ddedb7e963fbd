"""The interchange format (`docs/criteria-format.md`): `criteria_from_dict` reads it, after
validation, `build_criteria` builds the engine's types from it (the tables' draft too, which
need not be valid), and `criteria_to_dict` writes it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from functools import cache
from typing import TYPE_CHECKING, Any, cast, get_type_hints

from quiz.engine.emblem import DEFAULT_COLOUR
from quiz.engine.types import (
    CHOICE_OPS,
    SCALE_OPS,
    Choice,
    Citation,
    Condition,
    ConditionGroup,
    Criteria,
    CriteriaError,
    Dimension,
    Match,
    Question,
    ResultType,
    Rule,
    Section,
    Source,
    Strategy,
    Text,
    WarningSign,
)
from quiz.engine.validate import criteria_problems

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def _text(data: Mapping[str, Any], name: str) -> Text:
    return Text(str(data.get(f"{name}_ja") or ""), str(data.get(f"{name}_en") or ""))


@cache
def _texts_of(cls: type[DataclassInstance]) -> frozenset[str]:
    """The fields of an item's type that hold a text."""
    return frozenset(name for name, hint in get_type_hints(cls).items() if hint is Text)


def _build[T: DataclassInstance](cls: type[T], data: Mapping[str, Any], **given: Any) -> T:
    """An item of the format as the engine's type: each field read under its own name, a text
    from its `_ja` and `_en` fields (a missing one empty), anything else missing left at the
    type's default (a file from before a field was added has none); `given` fields are built
    by the caller."""
    texts = _texts_of(cls)
    for field in fields(cls):
        if field.name in given:
            continue
        if field.name in texts:
            given[field.name] = _text(data, field.name)
        elif field.name in data:
            given[field.name] = data[field.name]
    return cls(**given)


def _group(data: Mapping[str, Any]) -> ConditionGroup:
    # Only what the op uses is read: the tables keep nothing else, so criteria read from a file
    # equal the same criteria read back from the database.
    return ConditionGroup(
        cast(Match, data.get("match", "all")),
        tuple(
            Condition(
                question=c["question"],
                op=c["op"],
                choices=tuple(c["choices"]) if c["op"] in CHOICE_OPS else (),
                value=c["value"] if c["op"] in SCALE_OPS else None,
            )
            for c in data.get("conditions") or ()
        ),
    )


def _citations(data: Mapping[str, Any]) -> tuple[Citation, ...]:
    return tuple(Citation(c["source"], c["section"]) for c in data.get("citations") or ())


def criteria_from_dict(data: Mapping[str, Any]) -> Criteria:
    """Build criteria from the interchange format; raises CriteriaError listing every problem."""
    problems = criteria_problems(data)
    if problems:
        raise CriteriaError(problems)
    return build_criteria(data)


def build_criteria(data: Mapping[str, Any]) -> Criteria:
    """Criteria from data in the interchange format's shape that need not be valid: the tables'
    draft, which may be incomplete while editors work on it, is built this way too."""
    # Contradiction is symmetric: listing it on one side is enough.
    contradictions: dict[str, frozenset[str]] = {}
    for s in data["strategies"]:
        for other in s.get("contradicts") or ():
            contradictions[s["slug"]] = contradictions.get(s["slug"], frozenset()) | {other}
            contradictions[other] = contradictions.get(other, frozenset()) | {s["slug"]}
    # A type lists its strategies in the strategies' order, whatever order the file gives, so
    # the same criteria read from a file and from the tables are equal.
    order = {s["slug"]: i for i, s in enumerate(data["strategies"])}
    return Criteria(
        dimensions=tuple(_build(Dimension, d) for d in data["dimensions"]),
        sources=tuple(
            _build(Source, s, sections=tuple(_build(Section, x) for x in s["sections"]))
            for s in data["sources"]
        ),
        questions=tuple(
            _build(
                Question,
                q,
                choices=tuple(
                    _build(
                        Choice, c, scores={k: int(v) for k, v in (c.get("scores") or {}).items()}
                    )
                    for c in q.get("choices") or ()
                ),
                show_if=_group(q["show_if"]) if q.get("show_if") else None,
            )
            for q in data["questions"]
        ),
        rules=tuple(_build(Rule, r, when=_group(r)) for r in data["rules"]),
        strategies=tuple(
            _build(
                Strategy,
                s,
                # Stripped as the tables keep them (one step a line, each line stripped), so
                # criteria read from a file equal the same criteria read back from the tables.
                steps=tuple(
                    Text(ja.strip(), en.strip())
                    # A draft may have fewer steps in one language: only pairs are kept.
                    for ja, en in zip(s["steps_ja"], s["steps_en"], strict=False)
                ),
                citations=_citations(s),
                contradicts=contradictions.get(s["slug"], frozenset()),
            )
            for s in data["strategies"]
        ),
        warnings=tuple(_build(WarningSign, w, citations=_citations(w)) for w in data["warnings"]),
        types=tuple(
            _build(
                ResultType,
                t,
                citations=_citations(t),
                strategies=tuple(sorted(t["strategies"], key=order.__getitem__)),
                # A file from before emblems has neither: the type gets the plain emblem.
                colour=t.get("colour", DEFAULT_COLOUR).lower(),
            )
            for t in data["types"]
        ),
    )


def _fields(item: Any, *names: str) -> dict[str, Any]:
    """The named fields of an item as the format writes them, in order: a text as its `_ja` and
    `_en` fields, anything else as it is."""
    fields: dict[str, Any] = {}
    for name in names:
        value = getattr(item, name)
        if isinstance(value, Text):
            fields |= {f"{name}_ja": value.ja, f"{name}_en": value.en}
        else:
            fields[name] = value
    return fields


def _group_dict(group: ConditionGroup) -> dict[str, Any]:
    conditions: list[dict[str, Any]] = []
    for c in group.conditions:
        entry: dict[str, Any] = {"question": c.question, "op": c.op}
        if c.op in CHOICE_OPS:
            entry["choices"] = list(c.choices)
        else:
            entry["value"] = c.value
        conditions.append(entry)
    return {"match": group.match, "conditions": conditions}


def _citation_dicts(citations: tuple[Citation, ...]) -> list[dict[str, str]]:
    return [{"source": c.source, "section": c.section} for c in citations]


def criteria_to_dict(criteria: Criteria) -> dict[str, Any]:
    """The interchange format; `criteria_from_dict(criteria_to_dict(c)) == c`."""
    return {
        "dimensions": [_fields(d, "slug", "name", "description") for d in criteria.dimensions],
        "sources": [
            {
                **_fields(s, "slug", "title", "title_en", "author", "site", "url", "summary"),
                "sections": [_fields(x, "slug", "heading", "summary") for x in s.sections],
            }
            for s in criteria.sources
        ],
        "questions": [
            {
                **_fields(q, "slug", "kind", "label", "text", "help", "required", "max_choices"),
                **_fields(q, "min", "max", "min_label", "max_label", "dimension"),
                "points_per_step": q.points_per_step,
                "show_if": _group_dict(q.show_if) if q.show_if else None,
                "choices": [
                    {**_fields(c, "slug", "label", "exclusive"), "scores": dict(c.scores)}
                    for c in q.choices
                ],
            }
            for q in criteria.questions
        ],
        "rules": [
            {
                "slug": r.slug,
                **_group_dict(r.when),
                **_fields(r, "strategy", "warning", "effect", "weight", "reason"),
            }
            for r in criteria.rules
        ],
        "strategies": [
            {
                **_fields(s, "slug", "title", "action"),
                "steps_ja": [t.ja for t in s.steps],
                "steps_en": [t.en for t in s.steps],
                **_fields(s, "why", "priority"),
                "contradicts": sorted(s.contradicts),
                "citations": _citation_dicts(s.citations),
            }
            for s in criteria.strategies
        ],
        "warnings": [
            {
                **_fields(w, "slug", "title", "signs", "action", "severity"),
                "citations": _citation_dicts(w.citations),
            }
            for w in criteria.warnings
        ],
        "types": [
            {
                **_fields(t, "slug", "name", "line", "explanation", "icon", "colour", "gift"),
                "strategies": list(t.strategies),
                "citations": _citation_dicts(t.citations),
            }
            for t in criteria.types
        ],
    }
