"""What a result says when it is shared: its card (the share image and the page's sharing tags
say the same), the share links for LINE and X, and the image itself, drawn on first use.

Only the pages import this module: drawing loads Pillow and BudouX.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from quiz import og
from quiz.models import Result
from quiz.snapshots import FIRST_SHOWN, localize, type_of


def absolute(request: HttpRequest, path: str) -> str:
    """A link for other sites (share links, Open Graph): on the site's own address when
    DJANGO_SITE_URL names it, so that no request header decides what a kept page links to."""
    return settings.SITE_URL + path if settings.SITE_URL else request.build_absolute_uri(path)


def share_image(result: Result) -> bytes:
    """The Open Graph image, in the language the assessment was taken in, drawn on first use
    and kept with the result."""
    if not result.og_image:
        card = share_card(result.snapshot, result.language)
        result.og_image = og.render(card, settings.OG_FONT_PATH)
        Result.objects.filter(pk=result.pk).update(og_image=result.og_image)
    return bytes(result.og_image)


def share_card(snapshot: dict[str, Any], language: str) -> og.Card:
    """What the share image and the page's sharing tags say, in `language`: the result's type,
    its line and the three suggestions that come first. A result made before types existed
    names its top suggestion and what it says to do instead."""
    kind = type_of(snapshot, language)
    # Only the texts the card shows are localized: the whole suggestions were a tenth of the
    # owner's page.
    recommendations = [
        {"title": localize(r["title"], language), "action": localize(r["action"], language)}
        for r in snapshot["recommendations"][:FIRST_SHOWN]
    ]
    with translation.override(language):
        heading, footer = _("人脈診断の結果"), _("人脈診断")
    if kind:
        actions = tuple(r["title"] for r in recommendations)
        # A snapshot frozen before emblems has none: its image keeps the plain layout.
        emblem = og.Emblem(kind["icon"], kind["colour"]) if kind.get("icon") else None
        return og.Card(heading, kind["name"], kind["line"], actions, footer, emblem)
    top = recommendations[0] if recommendations else {"title": "", "action": ""}
    return og.Card(heading, top["title"], top["action"], (), footer)


def sharing(snapshot: dict[str, Any], language: str, share_url: str) -> dict[str, Any]:
    """What the page's sharing tags, texts and links say: the type, its line and the first three
    suggestions, in the result's `language` like its image, whatever language the page is read
    in (a link preview's crawler sends no Accept-Language)."""
    with translation.override(language):
        card = share_card(snapshot, language)
        return share_links(share_url, card.title) | {
            "share": card,
            "share_description": share_description(card),
        }


def share_description(card: og.Card) -> str:
    """The card as one line of text, for the description tags: the line, then the actions."""
    if not card.actions:
        return card.line
    # Translators: what separates the suggestions listed on one line.
    actions = _("／").join(card.actions)
    return _("%(line)sまずやること：%(actions)s") % {"line": card.line, "actions": actions}


def share_links(share_url: str, title: str) -> dict[str, str]:
    """The link to share, the text sent with it (naming the top suggestion), and where to send
    them. LINE's share URL carries text and link together (LINE's `line.me/R/share?text=`
    scheme: its older share button sends the link alone); X takes them apart."""
    text = _("人脈診断の結果：%(title)s") % {"title": title} if title else _("人脈診断の結果")
    return {
        "share_url": share_url,
        "share_text": text,
        "line_url": "https://line.me/R/share?"
        + urlencode({"text": f"{text}\n{share_url}"}, quote_via=quote),
        "x_url": "https://twitter.com/intent/tweet?"
        + urlencode({"text": text, "url": share_url}, quote_via=quote),
    }
