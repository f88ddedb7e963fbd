"""Validate a criteria file and replace the criteria with it, atomically."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.criteria import replace_criteria
from quiz.engine import FILE_MAX_BYTES, CriteriaError, read_criteria_json


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
            with path.open("rb") as file:
                # One byte more than allowed is enough to tell that a file is too large.
                raw = file.read(FILE_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{path}: cannot read: {error.strerror}") from error
        try:
            data = read_criteria_json(raw)
            version = replace_criteria(data, note=options["note"] or f"import {path.name}")
        except CriteriaError as error:
            lines = "\n".join(f"{path}: {line}" for line in error.errors)
            raise CommandError(f"criteria not imported, nothing changed:\n{lines}") from error
        if version is None:
            self.stdout.write(f"{path}: criteria unchanged.")
        else:
            self.stdout.write(f"{path}: criteria imported as version {version.number}.")
