"""Japanese set as an editor sets it: lines break only between phrases.

`{% filter phrases %}…{% endfilter %}` puts a `<wbr>` between the phrases BudouX finds in each
run of Japanese text of the HTML it wraps; the stylesheet sets Japanese with
`word-break: keep-all` (no break between two characters) and `overflow-wrap: anywhere` (unless
a phrase is wider than the screen), so a line breaks at those `<wbr>`, at spaces and after
punctuation only. Tags, attribute values and the text of elements where a `<wbr>` would change
what is read or is not allowed (`script`, `style`, `svg`, `textarea`, `title`, `option`, `pre`)
are left as they are. English pages are left as they are.

Each distinct run is segmented once per process (the texts are the templates' and the
criteria's, so there are few): a page costs a scan of its HTML, not a BudouX parse.
"""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache

import budoux
from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# A tag (its quoted attribute values may hold ">") or a comment, kept whole by the split.
MARKUP = re.compile(r"""(<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>)""", re.S)
NAME = re.compile(r"<(/?)([A-Za-z][\w-]*)")
LEFT_ALONE = frozenset({"script", "style", "svg", "textarea", "title", "option", "pre"})
WBR = "<wbr>"


@cache
def _parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=16384)
def segment(text: str) -> str:
    """One run of HTML text with `<wbr>` between its phrases (escaped as it came)."""
    pieces = _parser().parse(html.unescape(text))
    if len(pieces) < 2:
        return text
    return WBR.join(html.escape(piece, quote=False) for piece in pieces)


@register.filter(is_safe=True)
def phrases(value: str) -> SafeString | str:
    """`value`, HTML, with `<wbr>` between the phrases of its Japanese text (Japanese pages
    only). Applying it twice changes nothing: a run next to a `<wbr>` was segmented already."""
    if (get_language() or "ja") != "ja":
        return value
    parts = MARKUP.split(str(value))
    inside: str | None = None
    for index, part in enumerate(parts):
        if index % 2:
            tag = NAME.match(part)
            if tag:
                closing, name = tag.group(1), tag.group(2).lower()
                if inside is None and not closing and name in LEFT_ALONE:
                    inside = name
                elif closing and name == inside:
                    inside = None
            continue
        if inside is not None or not JAPANESE.search(part):
            continue
        if (index > 0 and parts[index - 1] == WBR) or (
            index + 1 < len(parts) and parts[index + 1] == WBR
        ):
            continue
        parts[index] = segment(part)
    return mark_safe("".join(parts))
