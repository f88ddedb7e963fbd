"""Run one answer set through the engine on the current criteria and print the result as JSON."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.criteria import load_criteria
from quiz.engine import Citation, Criteria, Reason, check_answers, evaluate


def citation_json(criteria: Criteria, citation: Citation) -> dict[str, str]:
    source = criteria.source(citation.source)
    section = source.section(citation.section)
    return {
        "source": source.slug,
        "title": source.title,
        "section": citation.section,
        "section_title": section.heading.ja if section else "",
    }


def reasons_json(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    return [
        {
            "rule": r.rule,
            "text": r.text.ja,
            "answers": {m.question: m.answer.ja for m in r.matched},
        }
        for r in reasons
    ]


class Command(BaseCommand):
    help = (
        "Read answers as JSON keyed by question slug (FILE, or - for stdin) and print the "
        "recommendations, warnings and profile as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='answers JSON, e.g. {"track-record": "none"}; - for stdin')

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
            raw = json.loads(text)
        except OSError as error:
            raise CommandError(f"{name}: cannot read: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{name}: not valid JSON: {error}") from error
        if not isinstance(raw, dict):
            raise CommandError(f"{name}: answers must be a JSON object keyed by question slug")
        criteria = load_criteria()
        answers, errors = check_answers(criteria, raw)
        if errors:
            lines = "\n".join(f"question {e.question}: {e.message.en}" for e in errors)
            raise CommandError(f"answers not valid:\n{lines}")
        result = evaluate(criteria, answers)
        output = {
            "recommendations": [
                {
                    "slug": r.slug,
                    "title": r.strategy.title.ja,
                    "score": r.score,
                    "reasons": reasons_json(r.reasons),
                    "citations": [citation_json(criteria, c) for c in r.strategy.citations],
                }
                for r in result.recommendations
            ],
            "warnings": [
                {
                    "slug": w.slug,
                    "title": w.warning.title.ja,
                    "reasons": reasons_json(w.reasons),
                    "citations": [citation_json(criteria, c) for c in w.warning.citations],
                }
                for w in result.warnings
            ],
            "profile": dict(result.profile),
        }
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
