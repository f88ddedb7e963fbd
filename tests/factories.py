"""Small criteria sets for tests, in the interchange format, built by short functions."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, cast

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "criteria.json"
PERSONAS = Path(__file__).resolve().parent.parent / "fixtures" / "personas.json"


def shipped_criteria() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(FIXTURE.read_text(encoding="utf-8")))


def personas() -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], json.loads(PERSONAS.read_text(encoding="utf-8")))


def texts(name: str, ja: str, en: str | None = None) -> dict[str, str]:
    return {f"{name}_ja": ja, f"{name}_en": en if en is not None else f"{ja} (en)"}


def choice(
    slug: str, scores: dict[str, int] | None = None, exclusive: bool = False
) -> dict[str, Any]:
    return {"slug": slug, **texts("label", slug), "exclusive": exclusive, "scores": scores or {}}


def question(
    slug: str, kind: str = "single", choices: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": slug,
        "kind": kind,
        **texts("label", slug),
        **texts("text", f"{slug}?"),
        "required": True,
        "choices": [choice(c) for c in (choices or ([] if kind == "scale" else ["a", "b"]))],
    }
    data.update(extra)
    return data


def chosen(question_slug: str, *choices: str) -> dict[str, Any]:
    return {"question": question_slug, "op": "chosen", "choices": list(choices)}


def not_chosen(question_slug: str, *choices: str) -> dict[str, Any]:
    return {"question": question_slug, "op": "not_chosen", "choices": list(choices)}


def compare(question_slug: str, op: str, value: int) -> dict[str, Any]:
    return {"question": question_slug, "op": op, "value": value}


def rule(
    slug: str,
    conditions: list[dict[str, Any]],
    match: str = "all",
    strategy: str | None = None,
    warning: str | None = None,
    weight: int = 1,
) -> dict[str, Any]:
    return {
        "slug": slug,
        "match": match,
        "conditions": conditions,
        "strategy": strategy,
        "warning": warning,
        "weight": weight,
        **texts("reason", f"{slug} reason"),
    }


CITE = [{"source": "article", "section": "intro"}]


def strategy(slug: str, priority: int = 0, contradicts: list[str] | None = None) -> dict[str, Any]:
    return {
        "slug": slug,
        **texts("title", f"{slug} title"),
        **texts("action", "do"),
        "steps_ja": ["step"],
        "steps_en": ["step"],
        **texts("why", "why"),
        "priority": priority,
        "contradicts": contradicts or [],
        "citations": copy.deepcopy(CITE),
    }


def warning(slug: str, severity: int = 2) -> dict[str, Any]:
    return {
        "slug": slug,
        **texts("title", f"{slug} title"),
        **texts("signs", "signs"),
        **texts("action", "act"),
        "severity": severity,
        "citations": copy.deepcopy(CITE),
    }


def criteria(
    questions: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    strategies: list[dict[str, Any]],
    warnings: list[dict[str, Any]] | None = None,
    dimensions: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "dimensions": [
            {"slug": d, **texts("name", d), **texts("description", "")}
            for d in (dimensions or ["record"])
        ],
        "sources": [
            {
                "slug": "article",
                "title": "記事",
                "author": "",
                "site": "",
                "url": "",
                **texts("summary", "要約"),
                "sections": [
                    {"slug": "intro", **texts("heading", "はじめに"), **texts("summary", "")}
                ],
            }
        ],
        "questions": questions,
        "rules": rules,
        "strategies": strategies,
        "warnings": warnings or [],
    }
