"""Bring the shipped criteria file into the database without ever overwriting editors' work.

An empty database is seeded: the file is imported and published as version 1. Otherwise, a file
that differs from what was last shipped is recorded as a proposal that editors review in the
admin (「出荷された基準の提案」) and adopt into their draft, or dismiss; the same file again does
nothing. Test cases from the personas file are added when their slug is new; an existing one is
never overwritten, since editors may have edited it. `make setup` and every release run this.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from quiz import engine
from quiz.criteria import canonical, clean_test_case, digest_of, draft_data, replace_criteria
from quiz.management.commands.import_criteria import read_file
from quiz.models import CriteriaTestCase, CriteriaVersion, ShippedCriteria


class Command(BaseCommand):
    help = (
        "Seed an empty database with the shipped criteria (published as version 1); otherwise "
        "record a changed criteria file as a proposal for editors, never overwriting their "
        "criteria. Add the personas file's test cases whose slug is new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--criteria", default="fixtures/criteria.json")
        parser.add_argument("--personas", default="fixtures/personas.json")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["criteria"])
        try:
            data = canonical(read_file(path))
        except engine.CriteriaError as error:
            lines = "\n".join(f"{path}: {line}" for line in error.errors)
            raise CommandError(f"criteria not set up, nothing changed:\n{lines}") from error
        with transaction.atomic():
            self.stdout.write(f"{path}: {self.ship(data)}")
        self.add_cases(Path(options["personas"]))

    def ship(self, data: dict[str, Any]) -> str:
        digest = digest_of(data)
        last = ShippedCriteria.objects.first()
        if not CriteriaVersion.objects.exists() and not any(draft_data().values()):
            version = replace_criteria(data, note="seed: shipped criteria file")
            ShippedCriteria.objects.create(
                digest=digest, data=data, state=ShippedCriteria.State.SEEDED
            )
            number = version.number if version else 1
            return f"empty database: criteria imported and published as version {number}."
        if last is not None and last.digest == digest:
            return "unchanged since it was last shipped; nothing to do."
        latest = CriteriaVersion.objects.newest()
        if latest is not None and latest.digest == digest:
            # Already what is published (for example exported from this very database).
            ShippedCriteria.objects.create(
                digest=digest, data=data, state=ShippedCriteria.State.ADOPTED
            )
            return "the same as the published criteria; nothing to do."
        ShippedCriteria.objects.create(
            digest=digest, data=data, state=ShippedCriteria.State.PROPOSED
        )
        return (
            "differs from what was last shipped: recorded as a proposal. The published criteria "
            "and the draft are unchanged; an editor reviews the proposal in the admin "
            "(/admin/tools/proposals/) and adopts it into the draft or dismisses it."
        )

    def add_cases(self, path: Path) -> None:
        try:
            personas = engine.read_criteria_json(path.read_bytes())
        except OSError as error:
            raise CommandError(f"{path}: cannot read: {error.strerror}") from error
        except engine.CriteriaError as error:
            raise CommandError(f"{path}: cannot read: {'; '.join(error.errors)}") from error
        if not isinstance(personas, list):
            raise CommandError(f"{path}: must be a JSON list of test cases")
        existing = set(CriteriaTestCase.objects.values_list("slug", flat=True))
        added, kept, refused = [], [], []
        # Commands speak English, whatever the site's language.
        with translation.override("en"):
            for position, persona in enumerate(personas):
                slug = persona.get("slug") if isinstance(persona, dict) else None
                if not isinstance(slug, str):
                    refused.append(f"[{position}]: must be an object with a slug")
                    continue
                if slug in existing:
                    kept.append(slug)
                    continue
                case = CriteriaTestCase(
                    slug=slug,
                    name=persona.get("name_ja") or slug,
                    description=persona.get("description_ja", ""),
                    answers=persona.get("answers"),
                    expect_type=persona.get("expect_type", ""),
                    **{name: persona.get(name, []) for name in CriteriaTestCase.EXPECTATIONS},
                )
                try:
                    clean_test_case(case)
                except ValidationError as error:
                    refused += [
                        f"{slug}.{field}: {message}"
                        for field, messages in error.message_dict.items()
                        for message in messages
                    ]
                    continue
                case.save()
                added.append(slug)
        self.stdout.write(
            f"{path}: {len(added)} test cases added, {len(kept)} already saved and left as "
            "editors have them."
        )
        if refused:
            self.stdout.write(
                f"{path}: not added (they do not fit the draft's criteria; run again once it "
                "has what they need):\n" + "\n".join(f"  {line}" for line in refused)
            )
