"""A type's emblem: the icons come from the installed package, the colour must be dark enough
for white on it (WCAG contrast, checked at its boundary), the format carries both and reads a
file from before emblems, and the emblem heads the result's type card."""

from __future__ import annotations

import copy
import re

import pytest
from django.template.loader import render_to_string
from django.test import Client

from quiz import engine
from quiz.emblem import emblem_svg
from quiz.engine.emblem import DEFAULT_COLOUR, DEFAULT_ICON, contrast, icon_names, icon_svg
from tests import factories as f


def test_the_icons_are_the_installed_lucide_set():
    names = icon_names()

    assert len(names) > 1000
    assert {"handshake", "megaphone", "sprout", DEFAULT_ICON} <= names
    assert icon_svg("handshake").lstrip().startswith("<svg")
    with pytest.raises(KeyError):
        icon_svg("no-such-icon")


@pytest.mark.parametrize(
    ("colour", "ratio"),
    [
        ("#ffffff", 1.0),
        ("#000000", 21.0),
        ("#767676", 4.54),  # the lightest grey that passes 4.5:1 on white
        ("#777777", 4.48),  # one step lighter fails
        ("#0b5c4a", 7.94),
    ],
)
def test_contrast_with_white_follows_wcag(colour, ratio):
    assert round(contrast(colour, "#ffffff"), 2) == ratio
    assert contrast("#ffffff", colour) == contrast(colour, "#ffffff")


def shipped() -> dict:
    return copy.deepcopy(f.shipped_criteria())


def problems_of(data: dict) -> list[tuple[str, str, str]]:
    return [(p.where, p.message.ja, p.message.en) for p in engine.criteria_problems(data)]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (
            {"colour": "#777777"},
            (
                "types[peer-ready].colour",
                "#777777 は明るすぎて、上にのせる白い文字が読みにくくなります。"
                "白との明暗比が 4.5:1 以上になる、もっと濃い色にしてください（いまは 4.47:1）。",
                "#777777 is too light for the white text on it: its contrast with white is "
                "4.47:1 and must be at least 4.5:1; choose a darker colour",
            ),
        ),
        (
            {"colour": "blue"},
            (
                "types[peer-ready].colour",
                "「blue」は色として読めません。#0b5c4a のように、# と6桁の16進数で書いてください。",
                "'blue' is not a colour; write it as # and six hex digits, such as #0b5c4a",
            ),
        ),
        (
            {"colour": "#1d4ed8\n"},
            (
                "types[peer-ready].colour",
                "「#1d4ed8\n」は色として読めません。"
                "#0b5c4a のように、# と6桁の16進数で書いてください。",
                "'#1d4ed8\\n' is not a colour; write it as # and six hex digits, such as #0b5c4a",
            ),
        ),
        (
            {"icon": "hand-shake"},
            (
                "types[peer-ready].icon",
                "「hand-shake」というアイコンはありません。"
                "Lucide のアイコンの名前（circle-user-round、handshake など）にしてください。",
                "'hand-shake' is not an icon; use a Lucide icon's name, such as circle-user-round",
            ),
        ),
        (
            {"icon": ""},
            ("types[peer-ready].icon", "空にはできません。", "must not be empty"),
        ),
        (
            {"icon": None},
            (
                "types[peer-ready].icon",
                "文字列にしてください(nullになっています)。",
                "must be a string, not null",
            ),
        ),
    ],
)
def test_a_bad_emblem_is_a_problem_in_both_languages(changes, problem):
    data = shipped()
    kind = next(t for t in data["types"] if t["slug"] == "peer-ready")
    kind.update(changes)

    assert problems_of(data) == [problem]


def test_the_lightest_colour_allowed_passes_and_upper_case_is_read_as_lower_case():
    data = shipped()
    kind = next(t for t in data["types"] if t["slug"] == "peer-ready")
    kind["colour"] = "#767676"
    assert problems_of(data) == []

    kind["colour"] = "#1D4ED8"
    criteria = engine.criteria_from_dict(data)
    assert criteria.types_by_slug["peer-ready"].colour == "#1d4ed8"


def test_the_format_carries_the_emblem_both_ways():
    data = shipped()

    criteria = engine.criteria_from_dict(data)
    written = engine.criteria_to_dict(criteria)

    peer = criteria.types_by_slug["peer-ready"]
    assert (peer.icon, peer.colour) == ("handshake", "#1d4ed8")
    assert [(t["icon"], t["colour"]) for t in written["types"]] == [
        (t["icon"], t["colour"]) for t in data["types"]
    ]
    assert engine.criteria_from_dict(written) == criteria


def test_a_file_from_before_emblems_still_reads_with_the_plain_emblem():
    data = shipped()
    for kind in data["types"]:
        del kind["icon"], kind["colour"]

    criteria = engine.criteria_from_dict(data)

    assert {(t.icon, t.colour) for t in criteria.types} == {(DEFAULT_ICON, DEFAULT_COLOUR)}
    assert all(
        (t["icon"], t["colour"]) == (DEFAULT_ICON, DEFAULT_COLOUR)
        for t in engine.criteria_to_dict(criteria)["types"]
    )


def test_the_emblem_is_the_icon_in_white_on_the_colour_without_a_style_attribute():
    svg = emblem_svg("megaphone", "#C2410C", 48)

    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48"'
        ' class="emblem-svg" aria-hidden="true" focusable="false">'
        '<rect width="48" height="48" rx="12" fill="#c2410c"/>'
    )
    assert 'stroke="#ffffff"' in svg
    assert "currentColor" not in svg
    assert "style" not in svg
    assert len(re.findall(r"<path ", svg)) == icon_svg("megaphone").count("<path ")
    with pytest.raises(ValueError):
        emblem_svg("megaphone", "red")
    with pytest.raises(KeyError):
        emblem_svg("no-such-icon", "#c2410c")


def test_the_partial_draws_nothing_for_a_type_frozen_before_emblems():
    old = {"slug": "step-away", "name": "合わない場から離れるタイプ", "line": "…"}
    gone = old | {"icon": "an-icon-a-later-package-dropped", "colour": "#475569"}
    kept = old | {"icon": "door-open", "colour": "#475569"}

    assert render_to_string("quiz/_emblem.html", {"type": old}).strip() == ""
    assert render_to_string("quiz/_emblem.html", {"type": gone}).strip() == ""
    assert render_to_string("quiz/_emblem.html", {"type": kept}).strip() == (
        f'<span class="emblem">{emblem_svg("door-open", "#475569")}</span>'
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_criteria")
def test_the_result_and_a_friend_see_the_emblem_at_the_head_of_the_type_card():
    owner = Client()
    made = f.owned(owner, f.result())
    emblem = f'<span class="emblem">{emblem_svg("door-open", "#475569")}</span>'

    assert made.snapshot["type"]["icon"] == "door-open"
    assert made.snapshot["type"]["colour"] == "#475569"
    for client in (owner, Client()):
        main = f.main_of(client.get(f"/r/{made.token}/").content.decode())
        card = main[main.index('<section class="at-a-glance"') :]
        assert card[: card.index('<p class="eyebrow">')].rstrip().endswith(emblem)
