"""The share image: lines break between phrases (BudouX for Japanese, spaces for English), never
inside a word; what does not fit ends with an ellipsis; each part is drawn where it belongs and
nothing runs past the margins; the image is in the result's language."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import cast

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image, ImageColor, ImageDraw, ImageFont

from quiz import og, results
from tests import factories as f

WIDTH = og.WIDTH - 2 * og.MARGIN

# Titles and lines of the shipped criteria with words a character-by-character wrap split
# (名刺／交換会, 人同／士), and English ones.
JAPANESE = [
    "名刺交換会に行くより、まず実績とポートフォリオをつくる",
    "同じ立場の人同士で小さな輪をつくり、月に一度は成果を見せ合いましょう。",
    "交流会や名刺交換に時間をかける価値はあるのか。実績・性格・目的から考えます。",
]
ENGLISH = [
    "Build a track record and a portfolio before going to business card exchanges",
    "Show your work to a small circle of peers once a month; events can wait.",
]


@pytest.fixture(scope="module")
def draw() -> ImageDraw.ImageDraw:
    return ImageDraw.Draw(Image.new("RGB", (og.WIDTH, og.HEIGHT)))


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(settings.OG_FONT_PATH, size)


def breaks(parts: list[str]) -> set[int]:
    """The offsets in the joined text where one part ends and the next begins."""
    offsets, at = set(), 0
    for part in parts[:-1]:
        at += len(part)
        offsets.add(at)
    return offsets


def line_breaks(text: str, lines: list[str]) -> Iterator[int]:
    """Where in `text` each line after the first begins (spaces at a break are dropped)."""
    at = 0
    for number, line in enumerate(lines):
        at = text.index(line, at)
        if number:
            yield at
        at += len(line)


def test_phrases_are_budoux_phrases_cut_again_at_spaces():
    assert og.phrases("名刺交換会に行くより、まず実績とポートフォリオをつくる") == [
        "名刺交換会に",
        "行くより、",
        "まず",
        "実績と",
        "ポートフォリオを",
        "つくる",
    ]
    assert og.phrases("Build a record first") == ["Build ", "a ", "record ", "first"]
    assert og.phrases("1日3分のSNS発信から始める") == ["1日3分の", "SNS発信から", "始める"]


@pytest.mark.parametrize("text", JAPANESE + ENGLISH)
@pytest.mark.parametrize("size", [32, 60])
def test_lines_break_only_between_phrases_at_every_width(draw, text, size):
    allowed = breaks(og.phrases(text))
    type_ = font(size)
    widest = max(draw.textlength(p.strip(), font=type_) for p in og.phrases(text))

    for width in range(int(widest) + 1, WIDTH + 1, 20):
        lines = og.wrap(draw, text, type_, width)

        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(draw.textlength(line, font=type_) <= width for line in lines)
        for at in line_breaks(text, lines):
            assert at in allowed or text[at - 1] == " ", (width, lines)


def test_a_title_wraps_where_a_reader_would_break_it(draw):
    lines = og.wrap(draw, JAPANESE[0], font(60), WIDTH)
    english = og.wrap(draw, ENGLISH[0], font(60), WIDTH)

    assert lines == ["名刺交換会に行くより、まず実績と", "ポートフォリオをつくる"]
    assert english == [
        "Build a track record and a portfolio",
        "before going to business card",
        "exchanges",
    ]


def test_only_a_phrase_wider_than_a_line_is_broken_between_characters(draw):
    lines = og.wrap(draw, "ポートフォリオを", font(60), 200)

    assert lines == ["ポート", "フォリ", "オを"]


def test_what_does_not_fit_ends_with_an_ellipsis_after_a_whole_phrase(draw):
    japanese = og.clip(draw, JAPANESE[0], 1, font(60), WIDTH)
    english = og.clip(draw, ENGLISH[0], 2, font(60), WIDTH)
    short = og.clip(draw, "まず実績をつくる", 1, font(60), WIDTH)

    assert japanese == ["名刺交換会に行くより、まず実績と…"]
    assert english == ["Build a track record and a portfolio", "before going to business card..."]
    assert short == ["まず実績をつくる"]


PALETTE = {
    ImageColor.getrgb(colour)[:3]: name
    for name, colour in (
        ("ink", og.INK),
        ("muted", og.MUTED),
        ("paper", og.PAPER),
        ("accent", og.ACCENT),
    )
}


def colours(image: Image.Image, box: tuple[int, int, int, int]) -> set[str]:
    """The image's colours found in a region: each pixel counted as the nearest of the four
    (antialiased edges blend them)."""

    def nearest(pixel: tuple[int, ...]) -> str:
        def distance(colour: tuple[int, ...]) -> int:
            return sum((a - b) ** 2 for a, b in zip(colour, pixel, strict=True))

        return PALETTE[min(PALETTE, key=distance)]

    found = cast("set[tuple[int, ...]]", set(image.crop(box).get_flattened_data()))
    return {nearest(pixel) for pixel in found}


def drawn(card: og.Card) -> Image.Image:
    image = Image.open(io.BytesIO(og.render(card, settings.OG_FONT_PATH)))
    assert image.size == (1200, 630)
    return image.convert("RGB")


FULL = og.Card(
    heading="人脈診断の結果",
    title=JAPANESE[0],
    line=JAPANESE[1] + JAPANESE[2],
    actions=(
        "まず実績とポートフォリオをつくる",
        "同じ立場の人同士で小さな輪をつくる",
        JAPANESE[2] * 2,
    ),
    footer="人脈診断",
)


def test_each_part_is_drawn_in_its_band_and_colour():
    image = drawn(FULL)
    left, right = og.MARGIN, og.WIDTH - og.MARGIN

    assert colours(image, (0, 0, og.WIDTH, og.BAR)) == {"accent"}
    assert "muted" in colours(image, (left, 52, right, 96))  # the heading
    assert "ink" in colours(image, (left, 100, right, 176))  # the title, first line
    assert "ink" in colours(image, (left, 176, right, 252))  # and second
    assert "muted" in colours(image, (left, 256, right, 344))  # the line, two lines
    for row in range(3):  # three actions, numbered in the accent colour
        top = 358 + row * 50
        assert "accent" in colours(image, (left, top, left + 40, top + 44))
        assert "ink" in colours(image, (left + 56, top, right, top + 44))
    assert colours(image, (left, og.FOOTER_RULE - 1, right, og.FOOTER_RULE + 2)) == {"accent"}
    assert "accent" in colours(image, (left, og.FOOTER_RULE + 20, right, og.HEIGHT - 20))


def test_nothing_runs_into_the_margins():
    image = drawn(FULL)

    for box in (
        (0, og.BAR, og.MARGIN - 4, og.HEIGHT),
        (og.WIDTH - og.MARGIN + 4, og.BAR, og.WIDTH, og.HEIGHT),
        (0, og.HEIGHT - 16, og.WIDTH, og.HEIGHT),
    ):
        assert colours(image, box) == {"paper"}, box


def test_a_short_card_leaves_the_rest_blank():
    image = drawn(og.Card(heading="人脈診断の結果", title="まず実績をつくる", footer="人脈診断"))
    left, right = og.MARGIN, og.WIDTH - og.MARGIN

    assert "ink" in colours(image, (left, 100, right, 176))
    assert colours(image, (left, 180, right, og.FOOTER_RULE - 2)) == {"paper"}


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_criteria")
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_image_is_in_the_language_the_assessment_was_taken_in(language):
    made = f.result(language=language)
    top = made.snapshot["recommendations"][0]

    card = results.share_card(made.snapshot, language)
    served = Client().get(f"/r/{made.token}/og.png", HTTP_ACCEPT_LANGUAGE="ja")

    assert card == og.Card(
        heading={"ja": "人脈診断の結果", "en": "Networking Check result"}[language],
        title=top["title"][language],
        line=top["action"][language],
        footer={"ja": "人脈診断", "en": "Networking Check"}[language],
    )
    assert served.content == og.render(card, settings.OG_FONT_PATH)
