"""Print the whole criteria set as JSON on stdout, in the format import_criteria reads
(docs/criteria-format.md)."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from quiz.criteria import load_criteria
from quiz.engine import criteria_to_dict


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        data = criteria_to_dict(load_criteria())
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
