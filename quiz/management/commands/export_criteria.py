"""Print the whole criteria set as JSON, in the format import_criteria reads."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from quiz.criteria import load_criteria
from quiz.engine import criteria_to_dict


class Command(BaseCommand):
    help = "Print the criteria as JSON on stdout (the format of docs/criteria-format.md)."

    def handle(self, *args: Any, **options: Any) -> None:
        data = criteria_to_dict(load_criteria())
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
