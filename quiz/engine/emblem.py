"""What a type's emblem may be: an icon of the Lucide set, as the installed `lucide` package
ships it (nothing of it is copied into this repository), and a colour the emblem's white icon
and white text stay readable on.

The package keeps its icons in one zip, `lucide.zip`, a `<name>.svg` each; the names are read
from it once per process. Its own Django tag renders an icon alone; an emblem puts the icon on
the type's colour (`quiz.emblem`), so the drawing is read here.
"""

from __future__ import annotations

import re
import zipfile
from functools import cache
from importlib.resources import files

# A type without an emblem of its own (a criteria file from before emblems) gets this one.
DEFAULT_ICON = "circle-user-round"
DEFAULT_COLOUR = "#0b5c4a"  # the site's accent
COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}")
ICON_MAX = 64  # the database column's size
# WCAG's minimum contrast for normal text (1.4.3, AA): the emblem carries white text on the
# share image, so its colour must pass as text, not only as a graphic (3:1).
MIN_CONTRAST = 4.5
WHITE = "#ffffff"


def _icons() -> zipfile.ZipFile:
    return zipfile.ZipFile(files("lucide").joinpath("lucide.zip").open("rb"))


@cache
def icon_names() -> frozenset[str]:
    """Every icon name the installed package has."""
    with _icons() as icons:
        return frozenset(
            name.removesuffix(".svg") for name in icons.namelist() if name.endswith(".svg")
        )


@cache
def icon_svg(name: str) -> str:
    """The icon's SVG document as the package ships it; KeyError for an unknown name."""
    if name not in icon_names():
        raise KeyError(name)
    with _icons() as icons:
        return icons.read(f"{name}.svg").decode()


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two `#rrggbb` colours, 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
