"""Load test cases (the personas format of fixtures/personas.json), adding or updating by slug."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from quiz.models import CriteriaTestCase


class Command(BaseCommand):
    help = "Add or update test cases from FILE (personas format); unchanged ones stay as they are."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            personas = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: cannot read: {error}") from error
        created = 0
        with transaction.atomic():
            for persona in personas:
                _, new = CriteriaTestCase.objects.update_or_create(
                    slug=persona["slug"],
                    defaults={
                        "name": persona.get("name_ja") or persona["slug"],
                        "description": persona.get("description_ja", ""),
                        "answers": persona["answers"],
                        "expect_strategies": persona.get("expect_strategies", []),
                        "expect_warnings": persona.get("expect_warnings", []),
                        "forbid_strategies": persona.get("forbid_strategies", []),
                        "forbid_warnings": persona.get("forbid_warnings", []),
                    },
                )
                created += new
        self.stdout.write(f"{path}: {len(personas)} test cases, {created} new.")
