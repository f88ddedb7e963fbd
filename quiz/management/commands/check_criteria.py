"""Report what the current criteria can and cannot reach; exit non-zero on any problem."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz import coverage
from quiz.criteria import load_criteria


class Command(BaseCommand):
    help = (
        "Check the criteria for strategies and warnings no answers reach, answers that get no "
        "recommendation, rules that never fire or always lose, and questions never shown."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--samples", type=int, default=coverage.DEFAULT_SAMPLES)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        report = coverage.check(load_criteria(), options["samples"], options["seed"])
        how = (
            f"all {report.tried} answer sets"
            if report.mode == "exhaustive"
            else f"{report.tried} random answer sets (seed {options['seed']}) "
            f"out of up to {report.space:,}"
        )
        self.stdout.write(f"Checked {how}.")
        if report.problems:
            raise CommandError("\n".join(report.problems))
        self.stdout.write("No problems found.")
