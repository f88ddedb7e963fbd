"""Geometry of the profile chart: horizontal bars, one per dimension, drawn as inline SVG on the
server (no chart library in the browser). The template draws it; a table carries the same data
for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH = 640
LABEL_WIDTH = 240
BAR_MAX = 340
ROW = 44


@dataclass(frozen=True)
class Bar:
    name: str
    score: int
    value: str
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bar_x: int
    bar_max: int
    bars: tuple[Bar, ...]


def bars(profile: list[dict[str, Any]], language: str) -> Chart:
    rows = []
    for number, item in enumerate(profile):
        score = max(0, min(100, int(item["score"])))
        name = item["name"]["en" if language == "en" and item["name"].get("en") else "ja"]
        width = round(BAR_MAX * score / 100)
        y = number * ROW + 8
        value = str(item.get("value", score))
        rows.append(Bar(name, score, value, y, width, y + 21, LABEL_WIDTH + width + 8))
    return Chart(WIDTH, len(rows) * ROW + 8, LABEL_WIDTH, BAR_MAX, tuple(rows))
