"""Geometry of the profile chart: horizontal bars, one per dimension, drawn as inline SVG on the
server (no chart library in the browser). The template draws it; a table carries the same data
for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

# Bars are drawn at the page's own scale (no viewBox): each bar's length is a share of the width,
# and the text stays FONT_SIZE CSS pixels at any width, the name above its bar and the value at
# its right end, so that a phone reads it as a desktop does.
FONT_SIZE = 14
BAR_HEIGHT = 12
ROW = 44


@dataclass(frozen=True)
class Bar:
    name: str
    score: int
    value: str
    text_y: int
    y: int


@dataclass(frozen=True)
class Chart:
    height: int
    bars: tuple[Bar, ...]
    # The same for every chart, here for the template.
    font_size: ClassVar[int] = FONT_SIZE
    bar_height: ClassVar[int] = BAR_HEIGHT


def bars(profile: list[dict[str, Any]], language: str) -> Chart:
    rows = []
    for number, item in enumerate(profile):
        score = max(0, min(100, int(item["score"])))
        name = item["name"]["en" if language == "en" and item["name"].get("en") else "ja"]
        top = number * ROW
        rows.append(Bar(name, score, str(item.get("value", score)), top + FONT_SIZE, top + 22))
    return Chart(len(rows) * ROW, tuple(rows))


# The stacked columns of the admin's outcomes keep a fixed drawing scaled to the page.
WIDTH = 640
# Distinguishable on white and from each other (and not by hue alone: the legend and the table
# carry the names); the last one is "everything else".
PALETTE = ("#0b5c4a", "#c2571a", "#2f5d9e", "#8a3b8f", "#6b7a1f", "#a33a3a", "#6e6e73")
PLOT_LEFT = 48
PLOT_TOP = 16
PLOT_HEIGHT = 200
PLOT_BOTTOM = PLOT_TOP + PLOT_HEIGHT
LEGEND_ROW = 24


@dataclass(frozen=True)
class Segment:
    name: str
    count: int
    x: int
    y: int
    width: int
    height: int
    color: str


@dataclass(frozen=True)
class Column:
    label: str
    total: int
    label_x: int
    segments: tuple[Segment, ...]
    counts: tuple[int, ...]  # one per series, zeros included, for the table


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    legend_y: int


@dataclass(frozen=True)
class Stacked:
    """Counts per period, stacked by series: one column per period, one colour per series."""

    height: int
    peak: int
    columns: tuple[Column, ...]
    series: tuple[Series, ...]
    # The same for every drawing, here for the template.
    width: ClassVar[int] = WIDTH
    plot_left: ClassVar[int] = PLOT_LEFT
    plot_bottom: ClassVar[int] = PLOT_BOTTOM
    label_y: ClassVar[int] = PLOT_BOTTOM + 20


def stacked(
    periods: list[tuple[str, dict[str, int]]], names: dict[str, str], other: str
) -> Stacked:
    """The most frequent series over all periods get a colour each; the rest are summed under
    `other`. `names` gives each key's display name."""
    overall: dict[str, int] = {}
    for _, counts in periods:
        for key, n in counts.items():
            overall[key] = overall.get(key, 0) + n
    ranked = sorted(overall, key=lambda key: (-overall[key], key))
    kept = ranked[: len(PALETTE) - 1]
    rows: list[tuple[str, list[int]]] = [
        (names.get(key, key), [counts.get(key, 0) for _, counts in periods]) for key in kept
    ]
    rest = [sum(n for key, n in counts.items() if key not in kept) for _, counts in periods]
    if any(rest):
        rows.append((other, rest))
    peak = max((sum(counts.values()) for _, counts in periods), default=0) or 1
    slot = (WIDTH - PLOT_LEFT) // max(len(periods), 1)
    columns = []
    for number, (label, _period) in enumerate(periods):
        x = PLOT_LEFT + number * slot + slot // 6
        top, below = PLOT_BOTTOM, 0
        segments = []
        for (name, series_counts), color in zip(rows, PALETTE, strict=False):
            count = series_counts[number]
            if count:
                # From the running total, so the rounding never adds up past the column's height.
                below += count
                upper = PLOT_BOTTOM - round(PLOT_HEIGHT * below / peak)
                segments.append(Segment(name, count, x, upper, slot * 2 // 3, top - upper, color))
                top = upper
        counts_here = tuple(series_counts[number] for _name, series_counts in rows)
        columns.append(Column(label, sum(counts_here), x + slot // 3, tuple(segments), counts_here))
    legend_top = PLOT_BOTTOM + 40
    series = tuple(
        Series(name, color, legend_top + i * LEGEND_ROW)
        for i, ((name, _), color) in enumerate(zip(rows, PALETTE, strict=False))
    )
    height = legend_top + len(series) * LEGEND_ROW
    return Stacked(height, peak, tuple(columns), series)
