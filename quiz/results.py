"""Freezing an engine result into the snapshot a result page is rendered from.

The snapshot holds every text in both languages, so a result page never needs the criteria again
and stays the same however the criteria are edited later.
"""

from __future__ import annotations

from typing import Any

from quiz import engine


def text(value: engine.Text) -> dict[str, str]:
    return {"ja": value.ja, "en": value.en}


def citation(criteria: engine.Criteria, cited: engine.Citation) -> dict[str, Any]:
    source = criteria.source(cited.source)
    section = source.section(cited.section)
    return {
        "source": source.slug,
        "section": cited.section,
        "source_title": source.title,
        "section_heading": text(section.heading) if section else {"ja": "", "en": ""},
    }


def reasons(items: tuple[engine.Reason, ...]) -> list[dict[str, Any]]:
    return [
        {
            "rule": r.rule,
            "text": text(r.text),
            "answers": [
                {"question": m.question, "label": text(m.label), "answer": text(m.answer)}
                for m in r.matched
            ],
        }
        for r in items
    ]


def snapshot(criteria: engine.Criteria, result: engine.Result) -> dict[str, Any]:
    """Everything a result page shows, in both languages, as plain JSON."""
    answered = []
    for question in criteria.questions:
        if question.slug in result.answers:
            answered.append(
                {
                    "question": question.slug,
                    "text": text(question.text),
                    "answer": text(engine.describe_answer(question, result.answers[question.slug])),
                }
            )
    return {
        "answers": {
            slug: list(value) if isinstance(value, tuple) else value
            for slug, value in result.answers.items()
        },
        "answered": answered,
        "recommendations": [
            {
                "slug": r.slug,
                "score": r.score,
                "title": text(r.strategy.title),
                "action": text(r.strategy.action),
                "steps": [text(step) for step in r.strategy.steps],
                "why": text(r.strategy.why),
                "reasons": reasons(r.reasons),
                "citations": [citation(criteria, c) for c in r.strategy.citations],
            }
            for r in result.recommendations
        ],
        "warnings": [
            {
                "slug": w.slug,
                "severity": w.warning.severity,
                "title": text(w.warning.title),
                "signs": text(w.warning.signs),
                "action": text(w.warning.action),
                "reasons": reasons(w.reasons),
                "citations": [citation(criteria, c) for c in w.warning.citations],
            }
            for w in result.warnings
        ],
        "profile": [
            {"dimension": d.slug, "name": text(d.name), "score": result.profile[d.slug]}
            for d in criteria.dimensions
        ],
    }
