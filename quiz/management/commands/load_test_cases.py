"""Load test cases (the personas format of fixtures/personas.json), adding or updating by slug."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from quiz.criteria import clean_test_case
from quiz.models import CriteriaTestCase


class Command(BaseCommand):
    help = (
        "Add or update test cases from FILE (personas format), each checked as the admin checks "
        "a saved one; on any error change nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            personas = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as error:
            raise CommandError(f"{path}: cannot read: {error}") from error
        if not isinstance(personas, list):
            raise CommandError(f"{path}: must be a JSON list of test cases")
        problems: list[str] = []
        created = 0
        # Commands speak English, as import_criteria does, whatever the site's language.
        with translation.override("en"), transaction.atomic():
            for position, persona in enumerate(personas):
                slug = persona.get("slug") if isinstance(persona, dict) else None
                if not isinstance(slug, str):
                    problems.append(f"{path}: [{position}]: must be an object with a slug")
                    continue
                case = CriteriaTestCase.objects.filter(slug=slug).first()
                new = case is None
                case = case or CriteriaTestCase(slug=slug)
                case.name = persona.get("name_ja") or slug
                case.description = persona.get("description_ja", "")
                case.answers = persona.get("answers")
                for name in CriteriaTestCase.EXPECTATIONS:
                    setattr(case, name, persona.get(name, []))
                case.expect_type = persona.get("expect_type", "")
                try:
                    clean_test_case(case)
                except ValidationError as error:
                    problems += [
                        f"{path}: {slug}.{field}: {message}"
                        for field, messages in error.message_dict.items()
                        for message in messages
                    ]
                    continue
                case.save()
                created += new
            if problems:
                raise CommandError(
                    "test cases not loaded, nothing changed:\n" + "\n".join(problems)
                )
        self.stdout.write(f"{path}: {len(personas)} test cases, {created} new.")
