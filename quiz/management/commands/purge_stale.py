"""Delete abandoned assessments (never completed and untouched for --days days,
DJANGO_STALE_ASSESSMENT_DAYS, default 30) and spent rate-limit counters (older than a day)."""

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from quiz.models import Assessment, RateLimit


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.STALE_ASSESSMENT_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - timedelta(days=options["days"])
        assessments, _ = Assessment.objects.filter(
            completed_at__isnull=True, updated_at__lt=cutoff
        ).delete()
        # Counters are per hour; anything from before yesterday can no longer matter.
        counters, _ = RateLimit.objects.filter(period__lt=int(time.time()) // 3600 - 24).delete()
        self.stdout.write(
            f"Deleted {assessments} abandoned assessments older than {options['days']} days "
            f"and {counters} old rate-limit counters."
        )
