"""How results travel from one person to the next, counted without tracking anyone.

Four events, each counted per week (its Monday) and per type of the result that travels:
`shared` (a result's owner used its LINE or X share button for the first time: once per result;
the share sheet and copy buttons are not counted, they never reach the server), `viewed` (the
result's shared page was served to someone other than its owner, link previews' crawlers
included; a copy served by a shared cache in front of the site is not counted), `invited` (an
assessment started from a friend's invitation) and `completed` (such an assessment finished).
Nothing records who: a counter per week, type and event is incremented in place.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from quiz.models import TravelCount

EVENTS = tuple(TravelCount.EVENTS)


def week_of(day: date) -> date:
    """The Monday that starts `day`'s week."""
    return day - timedelta(days=day.weekday())


def count(event: str, type_slug: str) -> None:
    """Add one to this week's counter of `event` for results of type `type_slug`: one UPDATE,
    and an INSERT the first time in a week (a concurrent first INSERT is retried as an UPDATE)."""
    week = week_of(timezone.localdate())
    counter = _counter(week, type_slug, event)
    if counter.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            TravelCount.objects.create(week=week, type_slug=type_slug, event=event, count=1)
    except IntegrityError:
        counter.update(count=F("count") + 1)


# Building this filter was a third of a count, and a count a fifth of a friend's kept page;
# update() works on a copy of the query, so one filter per week, type and event serves every
# request of a process.
@lru_cache(maxsize=512)
def _counter(week: date, type_slug: str, event: str) -> QuerySet[TravelCount]:
    return TravelCount.objects.filter(week=week, type_slug=type_slug, event=event)


def by_week(since: date) -> list[dict[str, Any]]:
    """The counts from the week of `since` on, summed in the database per week and event (all
    types together): rows of `week`, `event` and `total`, oldest week first."""
    return _summed(since, "week", "event")


def by_type(since: date) -> list[dict[str, Any]]:
    """The same counts summed over the weeks from `since` on, per type and event."""
    return _summed(since, "type_slug", "event")


def _summed(since: date, *per: str) -> list[dict[str, Any]]:
    rows = (
        TravelCount.objects.filter(week__gte=week_of(since))
        .values(*per)
        .annotate(total=Sum("count"))
        .order_by(*per)
    )
    return [dict(row) for row in rows]
