"""The `emblem` tag: a type's emblem as inline SVG (`quiz.emblem`), for `_emblem.html`."""

from collections.abc import Mapping

from django import template
from django.utils.safestring import SafeString, mark_safe

from quiz.emblem import emblem_svg
from quiz.engine import ResultType

register = template.Library()


@register.simple_tag
def emblem(kind: ResultType | Mapping[str, str] | None) -> SafeString:
    """The emblem of a type (the engine's, or a result snapshot's frozen form); empty for a
    snapshot frozen before emblems, or whose icon the installed package no longer has: the
    type's name still stands beside it."""
    if isinstance(kind, ResultType):
        icon, colour = kind.icon, kind.colour
    elif isinstance(kind, Mapping):
        icon, colour = kind.get("icon", ""), kind.get("colour", "")
    else:
        return mark_safe("")
    try:
        # Safe: the drawing comes from the icon package, the colour is checked as #rrggbb.
        return mark_safe(emblem_svg(icon, colour))
    except (KeyError, ValueError):
        return mark_safe("")
