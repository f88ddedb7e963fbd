"""Check the criteria for strategies and warnings no answers reach, answers that get no
recommendation, rules that never fire, always lose, apply to everyone or exclude nothing, questions
never shown, and saved test cases that fail; exit non-zero on any problem."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from quiz import coverage
from quiz.criteria import load_criteria
from quiz.models import CriteriaTestCase


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--samples", type=int, default=coverage.DEFAULT_SAMPLES)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        criteria = load_criteria()
        report = coverage.check(criteria, options["samples"], options["seed"])
        how = (
            f"all {report.tried} answer sets"
            if report.mode == "exhaustive"
            else f"{report.tried} random answer sets (seed {options['seed']}) "
            f"out of up to {report.space:,}"
        )
        cases = list(CriteriaTestCase.objects.all())
        self.stdout.write(f"Checked {how}, and {len(cases)} test cases.")
        # Commands speak English, as import_criteria does, whatever the site's language.
        with translation.override("en"):
            failing = [
                f"test case {case.slug} fails: {failure}"
                for case in cases
                for failure in case.failures(criteria)
            ]
        if problems := report.problems + failing:
            raise CommandError("\n".join(problems))
        self.stdout.write("No problems found.")
