"""Publish the draft as a new version, as the admin's draft page does: print what it changes
against the published criteria, then publish it with --note (required) if validation and every
saved test case pass."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from quiz import criteria_diff
from quiz.criteria import Blocked, draft_data, live_data, publish_draft


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--note", required=True, help="what changed and why")
        parser.add_argument("--author", default="", help="who publishes (shown in the admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["note"].strip():
            raise CommandError("give a --note: what changed and why")
        with translation.override("en"):
            changes = criteria_diff.diff(live_data(), draft_data())
            if changes:
                self.stdout.write("Changes to publish:\n" + criteria_diff.as_text(changes))
            try:
                version = publish_draft(options["note"].strip(), options["author"])
            except Blocked as error:
                lines = "\n".join(p.get("en") for p in error.problems)
                raise CommandError(f"not published:\n{lines}") from error
        if version is None:
            self.stdout.write("The draft is the published criteria; nothing to publish.")
        else:
            self.stdout.write(f"Published as version {version.number}.")
