"""The editors' outcomes page's arithmetic: assessments started and completed, where unfinished
ones stopped, the top strategies and warnings of results overall and per week, and how results
travel, all counted in the database and laid out as the page shows them (tables and charts).

Aggregates only: nothing here reads one person's answers beyond finding where an unfinished
assessment stopped, and nothing shown names anyone.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quiz import chart, engine, travel
from quiz.models import Assessment, Result, TravelCount

WEEKS_SHOWN = 12
# Where unfinished assessments stopped: the recent ones, and no more than this many.
DROP_OFF_DAYS = 90
DROP_OFF_MOST = 5000


def weeks(today: date, count: int) -> list[str]:
    """The last `count` weeks, each its Monday as an ISO date, oldest first, the current one
    last."""
    monday = travel.week_of(today)
    return [(monday - timedelta(weeks=n)).isoformat() for n in range(count - 1, -1, -1)]


def week_label(week: str) -> str:
    """A week as the page names it: its Monday's month and day, `11/30`."""
    return week[5:].replace("-", "/")


class ResultCounts(NamedTuple):
    tops: Counter[str]
    top_by_week: dict[str, Counter[str]]
    warned: Counter[str]
    warned_by_week: dict[str, Counter[str]]


def result_counts(shown: list[str]) -> ResultCounts:
    """Top strategies and warnings of the results not deleted, all-time and per week of `shown`,
    counted by the database in one pass over the narrow fields the `quiz_result_outcomes` index
    covers. One row comes back per week, top strategy and set of warnings that occurred (a few
    thousand), never a result, and no snapshot is read. `created_week` is the Monday in the
    site's time zone, as `weeks` makes them. (Counting each warning in SQL, a LIKE per warning
    and row, took three times as long as this.)"""
    rows = (
        Result.objects.filter(deleted_at__isnull=True)
        .values_list("created_week", "top_strategy", "warning_slugs")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = ResultCounts(
        Counter(), {week: Counter() for week in shown}, Counter(), {w: Counter() for w in shown}
    )
    for monday, top, warning_slugs, n in rows:
        week = monday.isoformat() if monday else ""
        if top:
            counts.tops[top] += n
            if week in counts.top_by_week:
                counts.top_by_week[week][top] += n
        for slug in warning_slugs.split():
            counts.warned[slug] += n
            if week in counts.warned_by_week:
                counts.warned_by_week[week][slug] += n
    return counts


def drop_off(criteria: engine.Criteria, now: datetime) -> list[tuple[str, int]]:
    """Each question with how many recent unfinished assessments stopped at it."""
    stopped_at: Counter[str] = Counter()
    unfinished = Assessment.objects.filter(
        completed_at__isnull=True, created_at__gte=now - timedelta(days=DROP_OFF_DAYS)
    ).values_list("answers", flat=True)[:DROP_OFF_MOST]
    for answers in unfinished:
        open_question = engine.progress(criteria, answers).next_open
        if open_question is not None:
            stopped_at[open_question.slug] += 1
    return [(q.label.ja, stopped_at[q.slug]) for q in criteria.questions]


def travel_context(criteria: engine.Criteria, shown: list[str]) -> dict[str, Any]:
    """How results travel (quiz.travel), over the weeks shown: per type of the shared result and
    per week, each event a column. Summed in the database: two queries, whatever the traffic."""
    since = date.fromisoformat(shown[0])
    names = {t.slug: t.name.ja for t in criteria.types}
    per_type: dict[str, dict[str, int]] = {}
    for row in travel.by_type(since):
        counts = per_type.setdefault(row["type_slug"], dict.fromkeys(travel.EVENTS, 0))
        counts[row["event"]] = row["total"]
    per_week = {week: dict.fromkeys(travel.EVENTS, 0) for week in shown}
    for row in travel.by_week(since):
        if (week := row["week"].isoformat()) in per_week:
            per_week[week][row["event"]] = row["total"]
    return {
        "travel_events": [TravelCount.EVENTS[event] for event in travel.EVENTS],
        "travel_by_type": [
            (names.get(slug, slug or "-"), [counts[e] for e in travel.EVENTS])
            for slug, counts in sorted(per_type.items(), key=lambda item: -sum(item[1].values()))
        ],
        "travel_by_week": [
            (week_label(week), [counts[e] for e in travel.EVENTS])
            for week, counts in per_week.items()
        ],
    }


def bars_svg(counts: list[tuple[str, int]]) -> chart.Chart:
    """Labelled counts as a bar chart, the largest bar full width."""
    top = max((n for _, n in counts), default=0) or 1
    return chart.bars(
        [
            {"name": {"ja": label, "en": label}, "score": round(100 * n / top), "value": n}
            for label, n in counts
        ],
        "ja",
    )


def over_time(
    labels: list[str], by_week: dict[str, Counter[str]], titles: dict[str, str]
) -> chart.Stacked:
    """Counts per week as stacked columns, one a week in the order of `by_week`, each slug named
    by its title."""
    return chart.stacked(list(zip(labels, by_week.values(), strict=True)), titles, _("その他"))


def page_context(criteria: engine.Criteria) -> dict[str, Any]:
    """Everything the outcomes page shows, on `criteria` (the published ones: titles and
    questions as people saw them)."""
    counted = Assessment.objects.aggregate(
        started=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False))
    )
    shown = weeks(timezone.localdate(), WEEKS_SHOWN)
    counts = result_counts(shown)
    titles = {s.slug: s.title.ja for s in criteria.strategies}
    warning_titles = {w.slug: w.title.ja for w in criteria.warnings}
    stopped = drop_off(criteria, timezone.now())
    tops = [(titles.get(s, s), n) for s, n in counts.tops.most_common(10)]
    warned = [(warning_titles.get(s, s), n) for s, n in counts.warned.most_common(10)]
    labels = [week_label(week) for week in shown]
    return {
        **counted,
        "drop_off": bars_svg(stopped),
        "drop_off_rows": stopped,
        "tops": bars_svg(tops),
        "tops_rows": tops,
        "warned": bars_svg(warned),
        "warned_rows": warned,
        "weeks": labels,
        "tops_over_time": over_time(labels, counts.top_by_week, titles),
        "warned_over_time": over_time(labels, counts.warned_by_week, warning_titles),
        **travel_context(criteria, shown),
    }
