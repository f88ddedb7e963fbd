"""Run one answer set (a file, stdin or a saved test case) through the engine on the published
criteria (or the draft, with --draft) and print the result as JSON; for a test case, also what it
expects and what fails."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from quiz import snapshots
from quiz.criteria import current_criteria, load_criteria
from quiz.engine import check_answers, evaluate
from quiz.models import CriteriaTestCase


def citations_json(citations: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "source": c["source"],
            "title": c["source_title"],
            "section": c["section"],
            "section_title": c["section_heading"]["ja"],
        }
        for c in citations
    ]


def reasons_json(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "rule": r["rule"],
            "text": r["text"]["ja"],
            "answers": {a["question"]: a["answer"]["ja"] for a in r["answers"]},
        }
        for r in reasons
    ]


class Command(BaseCommand):
    help = (
        "Read answers as JSON keyed by question slug (FILE, - for stdin, or the answers of the "
        "test case --case SLUG) and print the recommendations, warnings, what was excluded and the "
        "profile as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", help='answers JSON, e.g. {"track-record": "none"}; - for stdin'
        )
        parser.add_argument("--case", help="the slug of a saved test case (a persona)")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="run on the draft instead of the published criteria",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name, slug = options["file"], options["case"]
        if (name is None) == (slug is None):
            raise CommandError("give either a FILE (- for stdin) or --case SLUG")
        case = self.read_case(slug) if slug else None
        raw = case.answers if case else self.read_file(name)
        criteria = load_criteria() if options["draft"] else current_criteria().criteria
        answers, errors = check_answers(criteria, raw)
        if errors:
            lines = "\n".join(f"question {e.question}: {e.message.en}" for e in errors)
            raise CommandError(f"answers not valid:\n{lines}")
        # The same frozen form the result pages are rendered from, in Japanese.
        frozen = snapshots.freeze(criteria, evaluate(criteria, answers))
        kind = frozen["type"]
        output = {
            "type": {"slug": kind["slug"], "name": kind["name"]["ja"]} if kind else None,
            "recommendations": [
                {
                    "slug": r["slug"],
                    "title": r["title"]["ja"],
                    "score": r["score"],
                    "reasons": reasons_json(r["reasons"]),
                    "citations": citations_json(r["citations"]),
                }
                for r in frozen["recommendations"]
            ],
            "warnings": [
                {
                    "slug": w["slug"],
                    "title": w["title"]["ja"],
                    "reasons": reasons_json(w["reasons"]),
                    "citations": citations_json(w["citations"]),
                }
                for w in frozen["warnings"]
            ],
            "excluded": [
                {
                    "slug": e["slug"],
                    "title": e["title"]["ja"],
                    "reasons": reasons_json(e["reasons"]),
                }
                for e in frozen["excluded"]
            ],
            "profile": {p["dimension"]: p["score"] for p in frozen["profile"]},
        }
        if case is not None:
            # What the case expects, and what fails, in English as commands speak.
            with translation.override("en"):
                failures = case.failures(criteria)
            output["test_case"] = {
                "slug": case.slug,
                "expect_type": case.expect_type,
                "type": kind["slug"] if kind else None,
                "expect_top": case.expect_top,
                "top": [r["slug"] for r in frozen["recommendations"][: CriteriaTestCase.TOP]],
                "failures": failures,
            }
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))

    def read_file(self, name: str) -> dict[str, Any]:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
            raw = json.loads(text)
        except OSError as error:
            raise CommandError(f"{name}: cannot read: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{name}: not valid JSON: {error}") from error
        if not isinstance(raw, dict):
            raise CommandError(f"{name}: answers must be a JSON object keyed by question slug")
        return raw

    def read_case(self, slug: str) -> CriteriaTestCase:
        found = CriteriaTestCase.objects.filter(slug=slug).first()
        if found is None:
            known = ", ".join(CriteriaTestCase.objects.values_list("slug", flat=True))
            raise CommandError(f"no test case {slug!r}; the saved ones are: {known}")
        if not isinstance(found.answers, dict):
            raise CommandError(f"test case {slug!r}: its answers are not a JSON object")
        return found
