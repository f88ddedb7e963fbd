"""Validate a criteria file and replace the criteria with it, atomically."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.criteria import replace_criteria
from quiz.engine import CriteriaError


class Command(BaseCommand):
    help = (
        "Validate FILE (criteria JSON), then replace the criteria with it; on error change nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="criteria JSON, in the format of docs/criteria-format.md")
        parser.add_argument("--note", default="", help="a note stored with the new version")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"{path}: cannot read: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: not valid JSON: {error}") from error
        try:
            version = replace_criteria(data, note=options["note"] or f"import {path.name}")
        except CriteriaError as error:
            lines = "\n".join(f"{path}: {line}" for line in error.errors)
            raise CommandError(f"criteria not imported, nothing changed:\n{lines}") from error
        if version is None:
            self.stdout.write(f"{path}: criteria unchanged.")
        else:
            self.stdout.write(f"{path}: criteria imported as version {version.number}.")
