"""The Open Graph image of a result: the top strategy in Japanese, 1200x630 PNG, drawn with Pillow
and a Japanese font from Debian's fonts-ipaexfont-gothic package (installed by `make`)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
INK, MUTED, PAPER, ACCENT = "#1c1c1e", "#4a4a52", "#fdfcf8", "#0b5c4a"


def wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Break text into lines that fit, one character at a time: Japanese has no spaces."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width and line:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def render(heading: str, title: str, footer: str, font_path: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 20), fill=ACCENT)
    small = ImageFont.truetype(font_path, 40)
    big = ImageFont.truetype(font_path, 68)
    draw.text((MARGIN, 80), heading, font=small, fill=MUTED)
    lines = wrap(draw, title, big, WIDTH - 2 * MARGIN)
    if len(lines) > 4:
        lines = [*lines[:3], lines[3][:-1] + "…"]
    for number, line in enumerate(lines):
        draw.text((MARGIN, 170 + number * 92), line, font=big, fill=INK)
    draw.line((MARGIN, HEIGHT - 110, WIDTH - MARGIN, HEIGHT - 110), fill=ACCENT, width=3)
    draw.text((MARGIN, HEIGHT - 90), footer, font=small, fill=ACCENT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
