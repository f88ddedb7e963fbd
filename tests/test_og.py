"""The share image: lines break between phrases (BudouX for Japanese, spaces for English), never
inside a word; what does not fit ends with an ellipsis; each part is drawn where it belongs and
nothing runs past the margins; the image is in the result's language."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image, ImageColor, ImageDraw, ImageFont

from quiz import og, sharing
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


def nearest(pixel: tuple[int, ...]) -> str:
    """The one of the image's four colours a pixel is nearest to."""

    def distance(colour: tuple[int, ...]) -> int:
        return sum((a - b) ** 2 for a, b in zip(colour, pixel, strict=True))

    return PALETTE[min(PALETTE, key=distance)]


def colours(image: Image.Image, box: tuple[int, int, int, int]) -> set[str]:
    """The colours found in a region, each pixel counted as the nearest of the four."""
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


def runs(
    image: Image.Image, left: int, right: int, top: int = og.BAR, bottom: int = og.FOOTER_RULE - 2
) -> list[tuple[str, int, int]]:
    """The lines of text drawn between `left` and `right`, below the accent band and above the
    footer's rule, top to bottom: (colour, first row, last row), each a run of rows holding more
    than paper, named by its darkest pixel (antialiased edges are lighter than the line's
    colour, and the nearest colour to some of them is another one of the four)."""
    lines: list[tuple[int, int, tuple[int, ...]]] = []
    for y in range(top, bottom):
        row = cast(
            "tuple[tuple[int, ...], ...]", image.crop((left, y, right, y + 1)).get_flattened_data()
        )
        darkest = min(row, key=sum)
        if nearest(darkest) == "paper":
            continue
        if lines and lines[-1][1] == y - 1:
            start, _, before = lines[-1]
            lines[-1] = (start, y, min(before, darkest, key=sum))
        else:
            lines.append((y, y, darkest))
    return [(nearest(darkest), start, end) for start, end, darkest in lines]


def test_each_part_is_drawn_in_its_colour_and_order():
    image = drawn(FULL)
    left, right = og.MARGIN, og.WIDTH - og.MARGIN

    text = runs(image, left + 56, right)
    numbers = runs(image, left, left + 40)

    # The heading, the title's two lines, the line's two, then the three suggestions.
    assert [colour for colour, _, _ in text] == ["muted", "ink", "ink", "muted", "muted"] + 3 * [
        "ink"
    ]
    assert [colour for colour, _, _ in numbers][-3:] == 3 * ["accent"]
    assert [start for _, start, _ in numbers[-3:]] == pytest.approx(
        [start for _, start, _ in text[-3:]], abs=4
    )
    assert colours(image, (0, 0, og.WIDTH, og.BAR)) == {"accent"}
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


def test_a_short_card_is_centred_above_the_footer():
    image = drawn(og.Card(heading="人脈診断の結果", title="まず実績をつくる", footer="人脈診断"))

    heading, title = runs(image, og.MARGIN, og.WIDTH - og.MARGIN)

    assert (heading[0], title[0]) == ("muted", "ink")
    above, below = heading[1] - og.BAR, og.FOOTER_RULE - title[2]
    assert abs(above - below) < 30


HEADING = {"ja": "人脈診断の結果", "en": "Networking Check result"}
FOOTER = {"ja": "人脈診断", "en": "Networking Check"}


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_criteria")
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_image_shows_the_type_its_line_and_three_suggestions_in_the_results_language(
    language,
):
    made = f.result(language=language)
    kind = made.snapshot["type"]
    titles = tuple(r["title"][language] for r in made.snapshot["recommendations"][:3])

    card = sharing.share_card(made.snapshot, language)
    served = Client().get(f"/r/{made.token}/og.png", HTTP_ACCEPT_LANGUAGE="ja")

    assert card == og.Card(
        heading=HEADING[language],
        title=kind["name"][language],
        line=kind["line"][language],
        actions=titles,
        footer=FOOTER[language],
        emblem=og.Emblem("door-open", "#475569"),
    )
    assert card.title == {"ja": "合わない場から離れるタイプ", "en": "Steps away"}[language]
    assert len(titles) == 3
    assert served.content == og.render(card, settings.OG_FONT_PATH)
    # Beside the panel: the heading, the name, its line, then three numbers in the type's
    # colour, each with its suggestion beside it.
    picture = drawn(card)
    left = og.PANEL + og.SIDE_MARGIN
    text = runs(picture, left + 48, og.WIDTH - og.SIDE_MARGIN, top=0, bottom=og.HEIGHT)
    numbers = picture.crop((left, 0, left + 40, og.HEIGHT))
    title_lines = {"ja": 2, "en": 1}[language]
    line_lines = len(text) - 1 - title_lines - 3
    assert [colour for colour, _, _ in text] == ["muted"] + ["ink"] * title_lines + [
        "muted"
    ] * line_lines + 3 * ["ink"]
    assert line_lines in (1, 2, 3)
    slate = ImageColor.getrgb("#475569")
    rows = [
        y
        for y in range(og.HEIGHT)
        if slate in set(numbers.crop((0, y, 40, y + 1)).get_flattened_data())
    ]
    assert rows, "no number drawn in the type's colour"
    assert rows[0] == pytest.approx(text[-3][1], abs=4)


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_criteria")
def test_a_result_made_before_types_shows_its_top_suggestion():
    made = f.result(language="en")
    made.snapshot = {k: v for k, v in made.snapshot.items() if k != "type"}
    made.save(update_fields=["snapshot"])
    top = made.snapshot["recommendations"][0]

    served = Client().get(f"/r/{made.token}/og.png")
    card = sharing.share_card(made.snapshot, "en")

    assert card == og.Card(HEADING["en"], top["title"]["en"], top["action"]["en"], (), FOOTER["en"])
    assert served.content == og.render(card, settings.OG_FONT_PATH)


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_criteria")
def test_a_friends_page_leads_with_the_type_then_the_invitation_and_offers_no_sharing():
    made = f.result()

    main = f.main_of(Client().get(f"/r/{made.token}/").content.decode())

    assert '<p class="eyebrow">友だちのタイプ</p>' in main
    assert "あなたのタイプ" not in main
    order = [
        "<h1>友だちの診断結果</h1>",
        '<h2 id="type-heading" class="type-name">合わない場から離れるタイプ</h2>',
        '<ol class="first-actions">',
        "あなたも診断する（約3分）",
    ]
    assert [main.index(part) for part in order] == sorted(main.index(part) for part in order)
    # Someone else's result: nothing to share or manage, and (private by default) no warnings.
    assert '<section class="share' not in main
    assert '<section class="warnings"' not in main


def type_card(kind: dict[str, Any], language: str = "ja") -> og.Card:
    return og.Card(
        heading=HEADING[language],
        title=kind[f"name_{language}"],
        line=kind[f"line_{language}"],
        actions=("まず実績とポートフォリオをつくる",),
        footer=FOOTER[language],
        emblem=og.Emblem(kind["icon"], kind["colour"]),
    )


EMBLEM_BOX = (
    (og.PANEL - og.EMBLEM_SIZE) // 2,
    og.EMBLEM_TOP,
    (og.PANEL + og.EMBLEM_SIZE) // 2,
    og.EMBLEM_TOP + og.EMBLEM_SIZE,
)


@pytest.mark.parametrize("kind", f.shipped_criteria()["types"], ids=lambda kind: kind["slug"])
def test_every_types_share_image_draws_its_emblem_on_its_colour(kind):
    image = drawn(type_card(kind))
    colour = ImageColor.getrgb(kind["colour"])
    white = (255, 255, 255)

    # The panel is the type's colour from top to bottom, the emblem's icon white inside it.
    for point in ((0, 0), (og.PANEL - 1, 0), (0, og.HEIGHT - 1), (og.PANEL - 1, og.HEIGHT - 1)):
        assert image.getpixel(point) == colour, point
    emblem = image.crop(EMBLEM_BOX)
    pixels = list(emblem.get_flattened_data())
    assert pixels.count(white) > 1500  # the icon's strokes, drawn large
    assert pixels.count(colour) > len(pixels) // 2
    # Exactly the emblem the pages show, rasterised where it sits.
    expected = Image.new("RGB", emblem.size, kind["colour"])
    picture = og.emblem_image(og.Emblem(kind["icon"], kind["colour"]), og.EMBLEM_SIZE)
    expected.paste(picture, (0, 0), picture)
    assert emblem.tobytes() == expected.tobytes()
    # Beside the panel, nothing of the emblem: paper and text.
    assert image.getpixel((og.PANEL + 8, 8)) == ImageColor.getrgb(og.PAPER)


def test_two_types_share_images_differ_at_a_glance():
    kinds = f.shipped_criteria()["types"]

    emblems = {drawn(type_card(kind)).crop((0, 0, og.PANEL, og.HEIGHT)).tobytes() for kind in kinds}
    panels = {drawn(type_card(kind)).getpixel((4, 4)) for kind in kinds}

    # Nine panels, each its own colour and icon: told apart without reading a word.
    assert len(emblems) == len(panels) == len(kinds) == 9
