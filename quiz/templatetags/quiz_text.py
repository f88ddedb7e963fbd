"""Template access to the engine's bilingual texts."""

from django import template
from django.utils.translation import get_language

from quiz.engine import Text

register = template.Library()


@register.filter
def tr(text: Text | None) -> str:
    """The text in the active language (Japanese when no English exists)."""
    if text is None:
        return ""
    return text.get(get_language() or "ja")
