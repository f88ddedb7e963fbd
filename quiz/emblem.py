"""A type's emblem as one SVG: its Lucide icon, in white, on a rounded square of its colour. The
pages inline it (`templates/quiz/_emblem.html`) and the share image draws the same drawing.

The colour goes into a `fill` attribute, never a style: the site's CSP allows no inline style,
and a presentation attribute is not one.
"""

from __future__ import annotations

from xml.etree import ElementTree

from quiz.engine.emblem import COLOUR_RE, icon_svg

SVG = "{http://www.w3.org/2000/svg}"
BOX = 48  # the emblem's own units; the icon's 24 are scaled into it
ICON = 30  # how much of the box the icon takes: a margin of 9 all round
# The icon's stroke, in its own units: Lucide draws at 2; a little heavier reads better when
# the emblem is small in a timeline.
STROKE = "2.25"
# Lucide's drawing attributes, kept from its root element for the group that holds the icon.
_DRAWING = ("fill", "stroke-linecap", "stroke-linejoin")


def _icon_parts(name: str) -> tuple[dict[str, str], list[str]]:
    """The icon's drawing attributes and its elements, each serialised without a namespace."""
    root = ElementTree.fromstring(icon_svg(name))
    attributes = {key: value for key, value in root.attrib.items() if key in _DRAWING}
    parts = []
    for child in root:
        for node in child.iter():
            node.tag = node.tag.removeprefix(SVG)
            for key, value in node.attrib.items():
                # A few icons fill a dot in the pen's colour: white, like the strokes.
                if value == "currentColor":
                    node.attrib[key] = "#ffffff"
        parts.append(ElementTree.tostring(child, encoding="unicode").strip())
    return attributes, parts


def emblem_svg(icon: str, colour: str, size: int | None = None) -> str:
    """The emblem as an inline SVG element, hidden from assistive technology (the type's name
    is always written beside it). `size` sets width and height in px; without it, CSS sizes it.
    An unknown icon or a colour that is not `#rrggbb` (neither passes validation) raises
    KeyError or ValueError."""
    if not COLOUR_RE.fullmatch(colour):
        raise ValueError(colour)
    attributes, parts = _icon_parts(icon)
    attributes |= {"stroke": "#ffffff", "stroke-width": STROKE}
    drawing = " ".join(f'{key}="{value}"' for key, value in attributes.items())
    scale = ICON / 24
    offset = (BOX - ICON) / 2
    dimensions = f' width="{size}" height="{size}"' if size else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BOX} {BOX}"{dimensions}'
        ' class="emblem-svg" aria-hidden="true" focusable="false">'
        f'<rect width="{BOX}" height="{BOX}" rx="12" fill="{colour.lower()}"/>'
        f'<g transform="translate({offset:g} {offset:g}) scale({scale:g})" {drawing}>'
        + "".join(parts)
        + "</g></svg>"
    )
