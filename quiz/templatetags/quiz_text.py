"""Template access to the engine's bilingual texts."""

from collections.abc import Mapping

from django import template
from django.utils.translation import get_language

from quiz.engine import Text

register = template.Library()


@register.filter
def tr(text: Text | Mapping[str, str] | None) -> str:
    """The text in the active language (Japanese when no English exists).

    Takes the engine's `Text` or its frozen form in a result snapshot, `{"ja": …, "en": …}`.
    """
    if text is None:
        return ""
    if isinstance(text, Mapping):
        text = Text(text.get("ja", ""), text.get("en", ""))
    return text.get(get_language() or "ja")


@register.filter
def get(mapping: Mapping[str, object], key: str) -> object:
    """`mapping[key]` in a template, or an empty list when it is missing."""
    return mapping.get(key, []) if mapping else []
