"""The chart geometry: exact positions, so a change in the drawing is a visible change here."""

from __future__ import annotations

from quiz import chart


def test_profile_bars_scale_to_the_score():
    drawn = chart.bars(
        [
            {"name": {"ja": "実績", "en": "Record"}, "score": 50},
            {"name": {"ja": "社交性", "en": ""}, "score": 140},
        ],
        "en",
    )

    # Each name on its own line above its bar; the bar's length is the score in percent.
    assert [(b.name, b.score, b.value, b.text_y, b.y) for b in drawn.bars] == [
        ("Record", 50, "50", 14, 22),
        ("社交性", 100, "100", 58, 66),
    ]
    assert (drawn.height, drawn.font_size, drawn.bar_height) == (88, 14, 12)


def test_a_bar_may_show_a_count_instead_of_its_score():
    drawn = chart.bars([{"name": {"ja": "質問", "en": ""}, "score": 40, "value": 7}], "ja")

    assert [(b.score, b.value) for b in drawn.bars] == [(40, "7")]


def test_stacked_columns_keep_the_six_most_frequent_and_fold_the_rest():
    periods = [
        ("11/09", {"a": 4, "b": 2, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1, "h": 1}),
        ("11/16", {}),
        ("11/23", {"a": 2}),
    ]

    drawn = chart.stacked(periods, {"a": "エー"}, "その他")

    assert [s.name for s in drawn.series] == ["エー", "b", "c", "d", "e", "f", "その他"]
    assert [c.counts for c in drawn.columns] == [
        (4, 2, 1, 1, 1, 1, 2),
        (0, 0, 0, 0, 0, 0, 0),
        (2, 0, 0, 0, 0, 0, 0),
    ]
    assert [c.total for c in drawn.columns] == [12, 0, 2]
    assert drawn.peak == 12
    first = drawn.columns[0].segments
    # Stacked from the bottom of the plot (y 216) up, the tallest column filling all 200 px.
    assert (first[0].y, first[0].height) == (216 - 67, 67)
    assert first[-1].y == 16
    assert drawn.columns[1].segments == ()
    assert (drawn.columns[2].segments[0].y, drawn.columns[2].segments[0].height) == (183, 33)


def test_stacked_with_nothing_to_show_draws_empty_columns():
    drawn = chart.stacked([("11/23", {})], {}, "その他")

    assert drawn.series == ()
    assert drawn.columns[0].total == 0
    assert drawn.peak == 1
