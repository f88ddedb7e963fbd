"""The frozen result: an engine outcome frozen into the snapshot a result is shown from, and
read back in one language.

The snapshot holds every text in both languages, so a result page never needs the criteria again
and stays the same however the criteria are edited later.
"""

from __future__ import annotations

from typing import Any

from quiz import engine

# A result leads with this many suggestions, each in one line: on the owner's first screens, on
# the share card, and on the page a friend sees.
FIRST_SHOWN = 3


def text(value: engine.Text) -> dict[str, str]:
    return {"ja": value.ja, "en": value.en}


def citation(criteria: engine.Criteria, cited: engine.Citation) -> dict[str, Any]:
    source = criteria.source(cited.source)
    section = source.section(cited.section)
    return {
        "source": source.slug,
        "section": cited.section,
        "source_title": source.title,
        "source_title_en": source.title_en,
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


def freeze(criteria: engine.Criteria, result: engine.Outcome) -> dict[str, Any]:
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
    kind = result.result_type
    return {
        # The result's type, frozen like the rest: a shared result keeps the type it was given.
        "type": (
            {
                "slug": kind.slug,
                "name": text(kind.name),
                "line": text(kind.line),
                # The emblem too: a result shared last year keeps the face it was shown with.
                "icon": kind.icon,
                "colour": kind.colour,
            }
            if kind is not None
            else None
        ),
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
        # Older snapshots have no such key: their pages simply list nothing here.
        "excluded": [
            {"slug": e.slug, "title": text(e.strategy.title), "reasons": reasons(e.reasons)}
            for e in result.excluded
        ],
        "profile": [
            {"dimension": d.slug, "name": text(d.name), "score": result.profile[d.slug]}
            for d in criteria.dimensions
        ],
    }


def type_of(snapshot: dict[str, Any], language: str) -> dict[str, str] | None:
    """A result's type from its snapshot, in one language (`slug`, `name`, `line`, and since
    emblems `icon` and `colour`); None for a
    result without recommendations, or made before types existed."""
    kind = snapshot.get("type")
    return localize(kind, language) if kind else None


def localize(value: Any, language: str) -> Any:
    """The snapshot with every `{"ja": …, "en": …}` text replaced by its text in `language`
    (Japanese where no English exists), so the template prints plain strings."""
    if isinstance(value, dict):
        if value.keys() == {"ja", "en"}:
            return (value["en"] if language == "en" else "") or value["ja"]
        return {key: localize(item, language) for key, item in value.items()}
    if isinstance(value, list):
        return [localize(item, language) for item in value]
    return value
