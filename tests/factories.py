"""Small criteria sets for tests, in the interchange format, built by short functions; and
assessments and results made without walking every page."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.test import Client

from quiz import engine, snapshots
from quiz.criteria import current_criteria
from quiz.models import Assessment, Result

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "criteria.json"
PERSONAS = Path(__file__).resolve().parent.parent / "fixtures" / "personas.json"


def shipped_criteria() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(FIXTURE.read_text(encoding="utf-8")))


def shipped_type_slugs() -> list[str]:
    """The shipped types, in the order the criteria file gives them (and pages list them)."""
    return [kind["slug"] for kind in shipped_criteria()["types"]]


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
    effect: str = "add",
) -> dict[str, Any]:
    return {
        "slug": slug,
        "match": match,
        "conditions": conditions,
        "strategy": strategy,
        "warning": warning,
        "effect": effect,
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


def result_type(slug: str, strategies: list[str]) -> dict[str, Any]:
    return {
        "slug": slug,
        **texts("name", f"{slug} name"),
        **texts("line", f"{slug} line"),
        **texts("explanation", f"{slug} explanation"),
        "strategies": strategies,
        "citations": copy.deepcopy(CITE),
    }


def criteria(
    questions: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    strategies: list[dict[str, Any]],
    warnings: list[dict[str, Any]] | None = None,
    dimensions: list[str] | None = None,
    types: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Without `types`, one type holds every strategy (none when there is no strategy)."""
    if types is None:
        slugs = [s["slug"] for s in strategies if isinstance(s, dict) and "slug" in s]
        types = [result_type("all", slugs)] if slugs else []
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
        "types": types,
    }


# One person's answers as each step's form posts them: the shipped criteria's questions in order.
STEP_POSTS: list[tuple[str, dict[str, Any]]] = [
    ("work-style", {"work-style": "freelance"}),
    ("track-record", {"track-record": "none"}),
    ("sociability", {"sociability": "2"}),
    ("temperament", {"temperament": ["introvert", "hard-to-refuse"]}),
    ("purpose", {"purpose": ["customers"]}),
    ("where-you-network", {"where-you-network": ["paid-mixers", "drinking"]}),
    ("network-results", {"network-results": "drained"}),
    ("event-spend", {"event-spend": "high"}),
    ("time", {"time": "solo-everything"}),
    ("business-cards", {"business-cards": "two-or-more"}),
    ("warning-signs", {"warning-signs": ["mlm", "drunk-pitch"]}),
]
# The same answers as an assessment stores them.
ANSWERS: dict[str, Any] = {
    slug: int(value) if slug == "sociability" else value
    for _, data in STEP_POSTS
    for slug, value in data.items()
}


def assessment(answers: dict[str, Any] | None = None) -> Assessment:
    return Assessment.objects.create(answers=ANSWERS if answers is None else answers)


def result(answers: dict[str, Any] | None = None, language: str = "ja") -> Result:
    """A result made as completing an assessment makes one, on the published criteria."""
    current = current_criteria()
    checked, errors = engine.check_answers(
        current.criteria, ANSWERS if answers is None else answers
    )
    assert errors == [], errors
    outcome = engine.evaluate(current.criteria, checked)
    made = assessment(engine.answers_to_json(checked)).complete(
        snapshots.freeze(current.criteria, outcome), current.version, language
    )
    assert made is not None
    return made


def owned(client: Client, made: Result) -> Result:
    """`client` becomes the browser that took the assessment behind `made`."""
    client.cookies[made.owner_cookie_name()] = made.owner_token
    if made_by := Assessment.objects.filter(result=made).first():
        client.cookies[f"{settings.COOKIE_PREFIX}assessment"] = made_by.token
    return made


def take(client: Client) -> Result:
    """The whole assessment through its pages, as a person takes it."""
    client.post("/start/")
    for slug, data in STEP_POSTS:
        response = client.post(f"/q/{slug}/", data)
        assert response.status_code == 302, (slug, response.content.decode()[:300])
    return Result.objects.get()


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]
