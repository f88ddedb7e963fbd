"""The Open Graph image of a result, 1200x630 PNG, drawn with Pillow and a Japanese font from
Debian's fonts-ipaexfont-gothic package (installed by `make`).

A result with a type is laid out around the type's emblem: a panel of the type's colour down the
left third, with the type's icon drawn large in white (the same SVG the pages inline, from the
`lucide` package, rasterised by resvg through `resvg_py`) and the site's name under it; the text
on the right. In a timeline's thumbnail the panel's colour and icon tell two types apart before
any text can be read.

Lines break between phrases, never inside a word: Japanese is cut into phrases by BudouX (a kept
segmenter model, the one Chrome uses for `word-break: auto-phrase`), English at spaces. Only a
single phrase wider than a whole line is broken between characters, as a last resort.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache

import budoux
import resvg_py
from PIL import Image, ImageDraw, ImageFont

from quiz.emblem import emblem_svg

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
INK, MUTED, PAPER, ACCENT = "#1c1c1e", "#4a4a52", "#fdfcf8", "#0b5c4a"
BAR = 16  # the accent band along the top edge
FOOTER_RULE = HEIGHT - 84  # the rule above the footer; nothing else is drawn below it
TOP, BOTTOM = 52, FOOTER_RULE - 12  # where the text block may go

# Sizes (px) and the room each part may take, in lines; what does not fit ends with "…".
HEADING_SIZE, TITLE_SIZE, LINE_SIZE, ACTION_SIZE, FOOTER_SIZE = 34, 60, 32, 32, 30
TITLE_LINES, LINE_LINES = 2, 2
# With an emblem: the panel's width, the emblem's size and top, and the text's room beside it.
PANEL = 400
EMBLEM_SIZE, EMBLEM_TOP = 272, 100
SIDE_MARGIN = 64
EMBLEM_LINE_LINES, EMBLEM_LINE_SIZE = 3, 30
WHITE = "#ffffff"


@dataclass(frozen=True)
class Emblem:
    """A type's emblem: a Lucide icon's name and a `#rrggbb` colour, both validated."""

    icon: str
    colour: str


@dataclass(frozen=True)
class Card:
    """What the image says, already in the result's language."""

    heading: str  # small, above the title: what this is
    title: str  # large: the result in a few words
    line: str = ""  # under the title, one or two lines
    actions: tuple[str, ...] = ()  # numbered, one line each
    footer: str = ""  # the site's name, under a rule at the bottom (in the panel with an emblem)
    emblem: Emblem | None = None  # the type's: the image is laid out around it


@cache
def _parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


def phrases(text: str) -> list[str]:
    """The places a line may break: BudouX's phrases, each cut again after every space (BudouX
    keeps a run of Latin words as one chunk). Joined again they give back `text` exactly."""
    pieces: list[str] = []
    for phrase in _parser().parse(text):
        pieces.extend(re.findall(r"\S+\s*|\s+", phrase))
    return pieces


def _fits(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> bool:
    return draw.textlength(text.rstrip(), font=font) <= width


def wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Lines of at most `width` px, filled phrase by phrase."""
    lines: list[str] = []
    line = ""
    for phrase in phrases(text):
        if _fits(draw, line + phrase, font, width):
            line += phrase
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = phrase.lstrip()
        # A phrase wider than a whole line: the only case broken between characters.
        while not _fits(draw, line, font, width):
            cut = len(line) - 1
            while cut > 1 and not _fits(draw, line[:cut], font, width):
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines


def clip(
    draw: ImageDraw.ImageDraw, text: str, most: int, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """`text` wrapped in at most `most` lines; when some is left out, the last line ends with an
    ellipsis after the last whole phrase that leaves room for it."""
    lines = wrap(draw, text, font, width)
    if len(lines) <= most:
        return lines
    # IPAex draws U+2026 centred, as Japanese sets it; English text gets three full stops.
    ellipsis = "…" if any(ord(char) > 0x7F for char in text) else "..."
    last = ""
    for phrase in phrases(lines[most - 1]):
        if not _fits(draw, last + phrase + ellipsis, font, width):
            break
        last += phrase
    return [*lines[: most - 1], last.rstrip() + ellipsis]


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class Column:
    """Where the text block is set and how: its left edge and width, the room and spacing of the
    type's line, and the numbers before the suggestions."""

    left: int
    width: int
    line_lines: int
    line_size: int
    line_step: int
    number_width: int
    number_colour: str


PLAIN = Column(MARGIN, WIDTH - 2 * MARGIN, LINE_LINES, LINE_SIZE, 44, 56, ACCENT)


def _fonts(font_path: str, column: Column) -> dict[int, ImageFont.FreeTypeFont]:
    sizes = {HEADING_SIZE, TITLE_SIZE, column.line_size, ACTION_SIZE, FOOTER_SIZE}
    return {size: ImageFont.truetype(font_path, size) for size in sizes}


def text_block(
    draw: ImageDraw.ImageDraw,
    card: Card,
    font: dict[int, ImageFont.FreeTypeFont],
    column: Column,
) -> tuple[list[tuple[int, int, str, int, str]], int]:
    """The heading, the title, the line and the numbered suggestions, each placed as (x, y,
    text, size, colour) with y from the top of the block, and the block's height."""
    left, width = column.left, column.width
    block: list[tuple[int, int, str, int, str]] = [(left, 0, card.heading, HEADING_SIZE, MUTED)]
    y = 48
    for line in clip(draw, card.title, TITLE_LINES, font[TITLE_SIZE], width):
        block.append((left, y, line, TITLE_SIZE, INK))
        y += 76
    if card.line:
        y += 4
        for line in clip(draw, card.line, column.line_lines, font[column.line_size], width):
            block.append((left, y, line, column.line_size, MUTED))
            y += column.line_step
    if card.actions:
        y += 14
        room = width - column.number_width
        for number, text in enumerate(card.actions[:3], start=1):
            first = clip(draw, text, 1, font[ACTION_SIZE], room)
            block.append((left, y, f"{number}", ACTION_SIZE, column.number_colour))
            block.append(
                (left + column.number_width, y, first[0] if first else "", ACTION_SIZE, INK)
            )
            y += 50
    return block, y


def _draw_block(
    draw: ImageDraw.ImageDraw,
    block: list[tuple[int, int, str, int, str]],
    top: int,
    font: dict[int, ImageFont.FreeTypeFont],
) -> None:
    for x, dy, text, size, colour in block:
        draw.text((x, top + dy), text, font=font[size], fill=colour)


def render(card: Card, font_path: str) -> bytes:
    """The card drawn: around its emblem when it has one, otherwise the accent band on top, the
    text block centred in the space above the footer's rule (a type's name on one line leaves
    room), the site's name at the bottom."""
    if card.emblem is not None:
        return _png(_with_emblem(card, card.emblem, font_path))
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    font = _fonts(font_path, PLAIN)
    # The most the block can take (two lines of title, two of line, three suggestions) is
    # 456 px, which fits in TOP..BOTTOM.
    block, height = text_block(draw, card, font, PLAIN)
    draw.rectangle((0, 0, WIDTH - 1, BAR - 1), fill=ACCENT)
    _draw_block(draw, block, TOP + max(0, (BOTTOM - TOP - height) // 2), font)
    draw.line((MARGIN, FOOTER_RULE, WIDTH - MARGIN, FOOTER_RULE), fill=ACCENT, width=3)
    draw.text((MARGIN, FOOTER_RULE + 20), card.footer, font=font[FOOTER_SIZE], fill=ACCENT)
    return _png(image)


def emblem_image(emblem: Emblem, size: int) -> Image.Image:
    """The emblem's SVG rasterised at `size` px square, with its transparency."""
    png = resvg_py.svg_to_bytes(svg_string=emblem_svg(emblem.icon, emblem.colour, size))
    return Image.open(io.BytesIO(bytes(png))).convert("RGBA")


def _with_emblem(card: Card, emblem: Emblem, font_path: str) -> Image.Image:
    """The panel of the type's colour on the left, its icon large in white with the site's name
    under it; on the right the heading, the type's name, its line and the numbered suggestions,
    centred top to bottom, each number in the type's colour."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    left = PANEL + SIDE_MARGIN
    column = Column(
        left, WIDTH - left - SIDE_MARGIN, EMBLEM_LINE_LINES, EMBLEM_LINE_SIZE, 42, 48, emblem.colour
    )
    font = _fonts(font_path, column)

    draw.rectangle((0, 0, PANEL - 1, HEIGHT - 1), fill=emblem.colour)
    picture = emblem_image(emblem, EMBLEM_SIZE)
    image.paste(picture, ((PANEL - EMBLEM_SIZE) // 2, EMBLEM_TOP), picture)
    footer = clip(draw, card.footer, 1, font[FOOTER_SIZE], PANEL - 2 * SIDE_MARGIN)
    if footer:
        draw.text(
            (PANEL // 2, EMBLEM_TOP + EMBLEM_SIZE + 48),
            footer[0],
            font=font[FOOTER_SIZE],
            fill=WHITE,
            anchor="mt",
        )
    # The most the block can take (two lines of title, three of line, three suggestions) is
    # 512 px, which fits between the margins.
    block, height = text_block(draw, card, font, column)
    _draw_block(draw, block, max(SIDE_MARGIN // 2, (HEIGHT - height) // 2), font)
    return image
