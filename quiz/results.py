"""Freezing an engine result into the snapshot a result page is rendered from.

The snapshot holds every text in both languages, so a result page never needs the criteria again
and stays the same however the criteria are edited later. Also what the result page adds to
it: the texts in one language, the share links, and the page a friend sees, kept compressed in
the cache.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from quiz import chart, engine, og
from quiz.engine.glossary import introduce_once, load_glossary


def text(value: engine.Text) -> dict[str, str]:
    return {"ja": value.ja, "en": value.en}


def citation(criteria: engine.Criteria, cited: engine.Citation) -> dict[str, Any]:
    source = criteria.source(cited.source)
    section = source.section(cited.section)
    return {
        "source": source.slug,
        "section": cited.section,
        "source_title": source.title,
        "source_title_en": source.title_en,
        "section_heading": text(section.heading) if section else {"ja": "", "en": ""},
    }


def reasons(items: tuple[engine.Reason, ...]) -> list[dict[str, Any]]:
    return [
        {
            "rule": r.rule,
            "text": text(r.text),
            "answers": [
                {"question": m.question, "label": text(m.label), "answer": text(m.answer)}
                for m in r.matched
            ],
        }
        for r in items
    ]


def snapshot(criteria: engine.Criteria, result: engine.Outcome) -> dict[str, Any]:
    """Everything a result page shows, in both languages, as plain JSON."""
    answered = []
    for question in criteria.questions:
        if question.slug in result.answers:
            answered.append(
                {
                    "question": question.slug,
                    "text": text(question.text),
                    "answer": text(engine.describe_answer(question, result.answers[question.slug])),
                }
            )
    kind = result.result_type
    return {
        # The result's type, frozen like the rest: a shared result keeps the type it was given.
        "type": (
            {
                "slug": kind.slug,
                "name": text(kind.name),
                "line": text(kind.line),
                # The emblem too: a result shared last year keeps the face it was shown with.
                "icon": kind.icon,
                "colour": kind.colour,
            }
            if kind is not None
            else None
        ),
        "answers": {
            slug: list(value) if isinstance(value, tuple) else value
            for slug, value in result.answers.items()
        },
        "answered": answered,
        "recommendations": [
            {
                "slug": r.slug,
                "score": r.score,
                "title": text(r.strategy.title),
                "action": text(r.strategy.action),
                "steps": [text(step) for step in r.strategy.steps],
                "why": text(r.strategy.why),
                "reasons": reasons(r.reasons),
                "citations": [citation(criteria, c) for c in r.strategy.citations],
            }
            for r in result.recommendations
        ],
        "warnings": [
            {
                "slug": w.slug,
                "severity": w.warning.severity,
                "title": text(w.warning.title),
                "signs": text(w.warning.signs),
                "action": text(w.warning.action),
                "reasons": reasons(w.reasons),
                "citations": [citation(criteria, c) for c in w.warning.citations],
            }
            for w in result.warnings
        ],
        # Older snapshots have no such key: their pages simply list nothing here.
        "excluded": [
            {"slug": e.slug, "title": text(e.strategy.title), "reasons": reasons(e.reasons)}
            for e in result.excluded
        ],
        "profile": [
            {"dimension": d.slug, "name": text(d.name), "score": result.profile[d.slug]}
            for d in criteria.dimensions
        ],
    }


def type_of(snapshot: dict[str, Any], language: str) -> dict[str, str] | None:
    """A result's type from its snapshot, in one language (`slug`, `name`, `line`, and since
    emblems `icon` and `colour`); None for a
    result without recommendations, or made before types existed."""
    kind = snapshot.get("type")
    return localize(kind, language) if kind else None


# The result's summary at the top names this many recommendations, each in one line.
FIRST_SHOWN = 3
# After the top recommendation, this many are shown open; the rest fold away, so the advice that
# fits best is not buried under everything that fits at all.
OTHERS_SHOWN = 3


def localize(value: Any, language: str) -> Any:
    """The snapshot with every `{"ja": …, "en": …}` text replaced by its text in `language`
    (Japanese where no English exists), so the template prints plain strings."""
    if isinstance(value, dict):
        if value.keys() == {"ja", "en"}:
            return (value["en"] if language == "en" else "") or value["ja"]
        return {key: localize(item, language) for key, item in value.items()}
    if isinstance(value, list):
        return [localize(item, language) for item in value]
    return value


def introduce_authors_once(shown: dict[str, Any], language: str) -> None:
    """Each author introduced by what they do at the first mention on the page, and named
    shortly after that, in the order the page reads: the warnings' signs and actions, then each
    suggestion's action, steps and reason. The criteria write the introduction every time, since
    any card may come first; the answers' reasons name no author (a friend's view hides them)."""
    slots: list[tuple[Any, Any]] = []
    for warning in shown["warnings"]:
        slots += [(warning, key) for key in ("signs", "action") if key in warning]
    for item in shown["recommendations"]:
        slots += [(item, "action")] if "action" in item else []
        slots += [(item["steps"], i) for i in range(len(item.get("steps", ())))]
        slots.append((item, "why"))
    texts = introduce_once([where[key] for where, key in slots], language, load_glossary())
    for (where, key), text in zip(slots, texts, strict=True):
        where[key] = text


def page_context(snapshot: dict[str, Any], language: str) -> dict[str, Any]:
    """What the result page's body needs: the snapshot in one language, with each citation's
    link made once here rather than once per citation in the template."""
    shown = localize({k: v for k, v in snapshot.items() if k != "answers"}, language)
    source_urls: dict[str, str] = {}
    for item in shown["recommendations"] + shown["warnings"]:
        for cited in item["citations"]:
            if cited["source"] not in source_urls:
                source_urls[cited["source"]] = reverse("quiz:source", args=[cited["source"]])
            cited["href"] = f"{source_urls[cited['source']]}#{cited['section']}"
    for item in shown["recommendations"] + shown["warnings"]:
        item["citations"] = cited_once(item["citations"], language)
    recommendations = shown["recommendations"]
    introduce_authors_once(shown, language)
    return {
        "snapshot": shown,
        "top": recommendations[0] if recommendations else None,
        "first_three": recommendations[:FIRST_SHOWN],
        "others": recommendations[1 : 1 + OTHERS_SHOWN],
        "more": recommendations[1 + OTHERS_SHOWN :],
        "chart": chart.bars(snapshot["profile"], language),
    }


def cited_once(citations: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """A card's citations with each article named once: a second section of the same article
    joins the first one's line, its heading after the first's, the link going to the first."""
    by_source: dict[str, dict[str, Any]] = {}
    with translation.override(language):
        separator = pgettext("a list", "、")
    for cited in citations:
        kept = by_source.get(cited["source"])
        if kept is None:
            by_source[cited["source"]] = dict(cited)
        elif cited["section_heading"]:
            kept["section_heading"] = separator.join(
                filter(None, (kept["section_heading"], cited["section_heading"]))
            )
    return list(by_source.values())


def summary_context(snapshot: dict[str, Any], language: str, details_url: str) -> dict[str, Any]:
    """What the owner's first screens need, and no more (the details have a page of their own):
    the type, the first three suggestions, each linked to its card in the details, and one
    sentence from the person's answers on why this type: the first reason of the suggestion
    that decided it."""
    first = snapshot["recommendations"][:FIRST_SHOWN]
    top_reasons = first[0]["reasons"] if first else []
    return {
        "snapshot": {"type": localize(snapshot.get("type"), language)},
        "first_three": [
            {"slug": r["slug"], "title": localize(r["title"], language)} for r in first
        ],
        "why": localize(top_reasons[0]["text"], language) if top_reasons else "",
        "details_url": details_url,
        "counts": {
            "recommendations": len(snapshot["recommendations"]),
            "warnings": len(snapshot.get("warnings") or []),
        },
    }


def friend_sees(profile: bool, warnings: bool, answers: bool) -> dict[str, list[str]]:
    """What a friend who opens the shared link sees, and what not, as the owner chose, in the
    active language: the list shown next to the choices."""
    always = [_("タイプとその説明"), _("まずやること（3つ）")]
    chosen = [
        (profile, _("傾向（スコア）")),
        (warnings, pgettext("plural", "注意")),
        (answers, _("すべての提案と、そのもとになった回答")),
    ]
    return {
        "shown": always + [name for shared, name in chosen if shared],
        "hidden": [name for shared, name in chosen if not shared],
    }


# Two scores this close read as alike, this far apart as a difference, in the comparison with a
# friend (on the 0-100 scale of the profile).
ALIKE_WITHIN = 15
APART_FROM = 30


def with_friend(
    mine: dict[str, Any],
    theirs: dict[str, Any],
    language: str,
    *,
    shares_profile: bool,
    shares_warnings: bool,
    gifts: dict[str, engine.Text],
) -> dict[str, Any]:
    """A result next to the friend's whose invitation led to it, in one language, from only what
    the friend's shared page shows: their type and first three actions, their profile and their
    warnings only if they share those. `gifts` are the types' 「友だちにできること」 from the
    current criteria (a type they no longer have gets no line)."""
    me, friend = type_of(mine, language), type_of(theirs, language)
    my_first = localize(mine["recommendations"][:FIRST_SHOWN], language)
    their_first = localize(theirs["recommendations"][:FIRST_SHOWN], language)
    their_slugs = {r["slug"] for r in their_first}
    my_slugs = {r["slug"] for r in my_first}
    axes: list[dict[str, Any]] = []
    alike: list[dict[str, Any]] = []
    apart: list[dict[str, Any]] = []
    if shares_profile:
        scores = {p["dimension"]: p["score"] for p in theirs.get("profile") or []}
        for p in mine["profile"]:
            if p["dimension"] not in scores:
                continue
            axis = {
                "name": localize(p["name"], language),
                "mine": p["score"],
                "theirs": scores[p["dimension"]],
            }
            axes.append(axis)
            gap = abs(axis["mine"] - axis["theirs"])
            if gap <= ALIKE_WITHIN:
                alike.append(axis)
            elif gap >= APART_FROM:
                apart.append(axis)
    common_warnings = []
    if shares_warnings:
        theirs_warned = {w["slug"] for w in theirs.get("warnings") or []}
        common_warnings = [
            localize(w["title"], language)
            for w in mine.get("warnings") or []
            if w["slug"] in theirs_warned
        ]
    my_gift = gifts.get(me["slug"]) if me else None
    their_gift = gifts.get(friend["slug"]) if friend else None
    return {
        "me": me,
        "friend": friend,
        "same_type": bool(me and friend and me["slug"] == friend["slug"]),
        "both_first": [r["title"] for r in my_first if r["slug"] in their_slugs],
        "only_mine": [r["title"] for r in my_first if r["slug"] not in their_slugs],
        "only_theirs": [r["title"] for r in their_first if r["slug"] not in my_slugs],
        "shares_profile": shares_profile,
        "axes": axes,
        "alike": alike,
        "apart": apart,
        "common_warnings": common_warnings,
        "my_gift": _in(my_gift, language),
        "their_gift": _in(their_gift, language),
    }


def _in(value: engine.Text | None, language: str) -> str:
    """A criteria text in one language, Japanese where no English exists; "" for none."""
    if value is None:
        return ""
    return (value.en if language == "en" else "") or value.ja


# What an earlier result contributes to the comparison: read from its snapshot in the one query
# that lists the earlier results, never the whole snapshot.
EARLIER_SHOWN = 10
EARLIER_FIELDS = ("snapshot__type", "snapshot__profile", "snapshot__recommendations")


def comparison(
    earlier: list[dict[str, Any]], snapshot: dict[str, Any], language: str
) -> dict[str, Any]:
    """For the owner's page: the earlier results (`ResultQuerySet.earlier_than`, newest
    first), each with its type, and what changed since the newest of them; nothing when there
    are none."""
    if not earlier:
        return {}
    last = earlier[0]
    before = {
        "type": last["snapshot__type"],
        "profile": last["snapshot__profile"],
        "recommendations": last["snapshot__recommendations"],
    }
    return {
        "earlier": [
            {
                "token": e["token"],
                "created_at": e["created_at"],
                "type": type_of({"type": e["snapshot__type"]}, language),
            }
            for e in earlier
        ],
        "since_last": changes(before, snapshot, language),
    }


def changes(before: dict[str, Any], after: dict[str, Any], language: str) -> dict[str, Any]:
    """What changed from an earlier result to a later one, in one language: the type (before,
    after, whether it changed), each profile axis that went up or down, and the suggestions
    that are new or gone. `before` needs only the snapshot's type, profile and
    recommendations."""
    was, now = type_of(before, language), type_of(after, language)
    scores = {p["dimension"]: p["score"] for p in before.get("profile") or []}
    axes = [
        {
            "name": localize(p["name"], language),
            "before": scores[p["dimension"]],
            "after": p["score"],
            "up": p["score"] > scores[p["dimension"]],
        }
        for p in after["profile"]
        if p["dimension"] in scores and p["score"] != scores[p["dimension"]]
    ]
    earlier = {r["slug"] for r in before.get("recommendations") or []}
    later = {r["slug"] for r in after["recommendations"]}
    return {
        "type_before": was["name"] if was else "",
        "type_after": now["name"] if now else "",
        "type_changed": (was or {}).get("slug") != (now or {}).get("slug"),
        "axes": axes,
        "new": [
            localize(r["title"], language)
            for r in after["recommendations"]
            if r["slug"] not in earlier
        ],
        "gone": [
            localize(r["title"], language)
            for r in before.get("recommendations") or []
            if r["slug"] not in later
        ],
    }


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


# The page a friend sees holds nothing that differs between the people who open it, so it is kept
# rendered, once per language, with what it showed (`state`): a kept page whose state differs is
# replaced. Only with DJANGO_SITE_URL set: its absolute links must not follow a request's Host.
def _shared_page_key(token: str, language: str) -> str:
    return f"shared-result:{token}:{language}"


# Read as GZipMiddleware reads Accept-Encoding.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@dataclass(frozen=True)
class SharedPage:
    """A friend's page as kept: compressed once, with its ETag, so that a request finding it
    kept neither compresses nor hashes the page again (the profile's largest cost after the
    queries). It holds no secret, so compressing it once without padding gives BREACH nothing."""

    etag: str
    gzipped: bytes

    @classmethod
    def of(cls, html: str) -> SharedPage:
        body = html.encode()
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        return cls(etag, gzip.compress(body, compresslevel=6, mtime=0))

    def response(self, accept_encoding: str) -> HttpResponse:
        """The page as GZipMiddleware would send it (it leaves a compressed response alone):
        gzip with a weak ETag where accepted, plain with the strong one otherwise."""
        if ACCEPTS_GZIP.search(accept_encoding):
            response = HttpResponse(self.gzipped)
            response["Content-Encoding"] = "gzip"
            response["ETag"] = f"W/{self.etag}"
            return response
        response = HttpResponse(gzip.decompress(self.gzipped))
        response["ETag"] = self.etag
        return response


def kept_shared_page(token: str, language: str, state: tuple[Any, ...]) -> SharedPage | None:
    kept = cache.get(_shared_page_key(token, language)) if settings.SITE_URL else None
    # Kept as plain values, never as a class of ours, so that unpickling survives a deploy.
    if kept is None or len(kept) != 3 or kept[0] != state:
        return None
    return SharedPage(kept[1], kept[2])


def keep_shared_page(token: str, language: str, state: tuple[Any, ...], html: str) -> SharedPage:
    page = SharedPage.of(html)
    if settings.SITE_URL:
        cache.set(
            _shared_page_key(token, language),
            (state, page.etag, page.gzipped),
            settings.SHARED_PAGE_SECONDS,
        )
    return page


def forget_shared_pages(token: str) -> None:
    """Remove every kept copy of a result's shared page, before it is deleted or what it shares
    changes."""
    cache.delete_many([_shared_page_key(token, code) for code, _name in settings.LANGUAGES])
