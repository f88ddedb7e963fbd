"""Import a criteria file into the draft, after showing what it changes and asking; on any
error nothing changes.

The file goes into the draft (the editable tables), never straight to the public: review and
publish it in the admin, or with `publish_criteria`, or pass `--publish` to publish it here once
every check passes. `--draft` says the default out loud.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from quiz import criteria_diff, engine
from quiz.criteria import (
    canonical,
    draft_data,
    live_data,
    publish,
    publish_blockers,
    stage_criteria,
)


def read_file(path: Path) -> Any:
    """A criteria (or personas) JSON file, read as imports read it."""
    try:
        with path.open("rb") as file:
            # One byte more than allowed is enough to tell that a file is too large.
            raw = file.read(engine.FILE_MAX_BYTES + 1)
    except OSError as error:
        raise CommandError(f"{path}: cannot read: {error.strerror}") from error
    return engine.read_criteria_json(raw)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="criteria JSON, in the format of docs/criteria-format.md")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--draft", action="store_true", help="write into the draft only (the default)"
        )
        mode.add_argument(
            "--publish",
            action="store_true",
            help="publish it too, if validation and every test case pass",
        )
        parser.add_argument("--yes", action="store_true", help="apply without asking")
        parser.add_argument("--note", default="", help="the published version's note")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        # Commands speak English, whatever the site's language.
        with translation.override("en"):
            try:
                data = canonical(read_file(path))
            except engine.CriteriaError as error:
                lines = "\n".join(f"{path}: {line}" for line in error.errors)
                raise CommandError(f"criteria not imported, nothing changed:\n{lines}") from error
            current = draft_data()
            changes = criteria_diff.diff(current, data)
            unpublished = criteria_diff.diff(live_data(), current)
            blockers = [p.get("en") for p in publish_blockers(data)]
            diff_text = criteria_diff.as_text(changes)
        if not changes:
            self.stdout.write(f"{path}: the draft already holds exactly this; nothing to do.")
            if not options["publish"]:
                return
        else:
            self.stdout.write(f"{path}: changes to the draft:\n{diff_text}")
        if unpublished and changes:
            self.stdout.write(
                f"The draft has {len(unpublished)} unpublished changes; importing replaces "
                "them (the diff above shows every field)."
            )
        if options["publish"] and blockers:
            raise CommandError(
                "not imported, nothing changed: these would block publishing:\n"
                + "\n".join(blockers)
            )
        if blockers:
            self.stdout.write(
                "Before it can be published:\n" + "\n".join(f"  {b}" for b in blockers)
            )
        if changes and not options["yes"]:
            self.confirm(options["publish"])
        with transaction.atomic():
            stage_criteria(data)
            version = (
                publish(options["note"] or f"import {path.name}") if options["publish"] else None
            )
        if options["publish"]:
            if version is None:
                self.stdout.write(f"{path}: already published; nothing to do.")
            else:
                self.stdout.write(f"{path}: published as version {version.number}.")
        else:
            self.stdout.write(
                f"{path}: written into the draft. Review and publish it in the admin "
                "(/admin/tools/draft/) or with `python manage.py publish_criteria --note ...`."
            )

    def confirm(self, publishing: bool) -> None:
        if not sys.stdin.isatty():
            raise CommandError(
                "not imported, nothing changed: there is no terminal to ask on; "
                "pass --yes to apply the changes shown."
            )
        where = "publish it" if publishing else "write it into the draft"
        answer = input(f"Apply these changes and {where}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            raise CommandError("not imported, nothing changed.")
