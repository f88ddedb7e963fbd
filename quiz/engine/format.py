"""The interchange format (`docs/criteria-format.md`): `criteria_from_dict` reads it, after
validation, and `criteria_to_dict` writes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from quiz.engine.emblem import DEFAULT_COLOUR, DEFAULT_ICON
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


def _text(data: Mapping[str, Any], name: str) -> Text:
    return Text(str(data.get(f"{name}_ja") or ""), str(data.get(f"{name}_en") or ""))


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
        dimensions=tuple(
            Dimension(d["slug"], _text(d, "name"), _text(d, "description"))
            for d in data["dimensions"]
        ),
        sources=tuple(
            Source(
                slug=s["slug"],
                title=s["title"],
                summary=_text(s, "summary"),
                sections=tuple(
                    Section(x["slug"], _text(x, "heading"), _text(x, "summary"))
                    for x in s["sections"]
                ),
                author=s.get("author") or "",
                site=s.get("site") or "",
                url=s.get("url") or "",
                # A file from before English titles has none: the title stands alone.
                title_en=s.get("title_en") or "",
            )
            for s in data["sources"]
        ),
        questions=tuple(
            Question(
                slug=q["slug"],
                kind=q["kind"],
                label=_text(q, "label"),
                text=_text(q, "text"),
                help=_text(q, "help"),
                required=bool(q.get("required", True)),
                choices=tuple(
                    Choice(
                        c["slug"],
                        _text(c, "label"),
                        bool(c.get("exclusive", False)),
                        {k: int(v) for k, v in (c.get("scores") or {}).items()},
                    )
                    for c in q.get("choices") or ()
                ),
                max_choices=q.get("max_choices"),
                min=q.get("min"),
                max=q.get("max"),
                min_label=_text(q, "min_label"),
                max_label=_text(q, "max_label"),
                dimension=q.get("dimension"),
                points_per_step=int(q.get("points_per_step") or 0),
                show_if=_group(q["show_if"]) if q.get("show_if") else None,
            )
            for q in data["questions"]
        ),
        rules=tuple(
            Rule(
                slug=r["slug"],
                when=_group(r),
                reason=_text(r, "reason"),
                strategy=r.get("strategy"),
                warning=r.get("warning"),
                weight=int(r.get("weight", 1)),
                effect=r.get("effect", "add"),
            )
            for r in data["rules"]
        ),
        strategies=tuple(
            Strategy(
                slug=s["slug"],
                title=_text(s, "title"),
                action=_text(s, "action"),
                # Stripped as the tables keep them (one step a line, each line stripped), so
                # criteria read from a file equal the same criteria read back from the tables.
                steps=tuple(
                    Text(ja.strip(), en.strip())
                    # A draft may have fewer steps in one language: only pairs are kept.
                    for ja, en in zip(s["steps_ja"], s["steps_en"], strict=False)
                ),
                why=_text(s, "why"),
                citations=_citations(s),
                priority=int(s.get("priority", 0)),
                contradicts=contradictions.get(s["slug"], frozenset()),
            )
            for s in data["strategies"]
        ),
        warnings=tuple(
            WarningSign(
                slug=w["slug"],
                title=_text(w, "title"),
                signs=_text(w, "signs"),
                action=_text(w, "action"),
                citations=_citations(w),
                severity=int(w.get("severity", 2)),
            )
            for w in data["warnings"]
        ),
        types=tuple(
            ResultType(
                slug=t["slug"],
                name=_text(t, "name"),
                line=_text(t, "line"),
                explanation=_text(t, "explanation"),
                citations=_citations(t),
                strategies=tuple(sorted(t["strategies"], key=order.__getitem__)),
                # A file from before emblems has neither: the type gets the plain emblem.
                icon=t.get("icon", DEFAULT_ICON),
                colour=t.get("colour", DEFAULT_COLOUR).lower(),
                # A file from before friends' comparisons has none: the comparison leaves it out.
                gift=_text(t, "gift"),
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
