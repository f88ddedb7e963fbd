"""Print each strategy, warning (with its rules' reasons), type and source summary, sentence by
sentence, beside the headings and summaries of the article sections it cites, for a reviewer to
read side by side with the articles (see docs/sources.md, "The fidelity review")."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.criteria import load_criteria
from quiz.engine import criteria_from_dict
from quiz.engine.audit import audit_report


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lang", choices=("ja", "en"), help="one language only (default: both)"
        )
        parser.add_argument(
            "--file", help="read the criteria from this JSON file instead of the database"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"]:
            try:
                data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
                criteria = criteria_from_dict(data)
            except (OSError, ValueError) as error:
                raise CommandError(str(error)) from error
        else:
            criteria = load_criteria()
        languages = (options["lang"],) if options["lang"] else ("ja", "en")
        self.stdout.write(audit_report(criteria, languages), ending="")
