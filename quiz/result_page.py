"""The result page: the snapshot in the reader's language, as its owner sees it (the first
screens, or every detail) or as a friend does (what the owner shares), rendered to HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from quiz import chart, comparisons, sharing
from quiz.criteria import newest_criteria
from quiz.engine.glossary import introduce_once, load_glossary
from quiz.models import Result, holds_owner_cookie
from quiz.snapshots import FIRST_SHOWN, localize

# After the top recommendation, this many are shown open; the rest fold away, so the advice that
# fits best is not buried under everything that fits at all.
OTHERS_SHOWN = 3


@dataclass(frozen=True)
class CriteriaSince:
    """What the criteria are now, as far as a result's page tells: whether a newer version was
    published after the result was made, and the types there are (a type's page exists only
    while editors keep that type; a result keeps its type's name and line whatever they do)."""

    updated: bool
    type_slugs: frozenset[str]

    @classmethod
    def of(cls, result: Result) -> CriteriaSince:
        newest = newest_criteria()
        if newest is None:
            return cls(False, frozenset())
        types = frozenset(newest.criteria.types_by_slug)
        return cls(newest.version > result.criteria_version, types)


def render(
    request: HttpRequest,
    result: Result,
    owner: bool,
    since: CriteriaSince,
    details: bool = False,
) -> str:
    """The owner's result in a few screens (`details` False), every detail on a page of its own
    (`details` True), or, for anyone else, the shared page with what the owner shares."""
    language = get_language() or "ja"
    summary = owner and not details
    if summary:
        details_url = reverse("quiz:result_details", args=[result.token])
        context = summary_context(result.snapshot, language, details_url)
    else:
        context = page_context(result.snapshot, language)
    # Building the query for earlier results cost a fifth of the owner's page even when this
    # browser holds no other owner cookie: only then is it asked.
    if owner and holds_owner_cookie(request.COOKIES, other_than=result):
        earlier = comparisons.earlier(result, request.COOKIES)
        context |= comparisons.comparison(earlier, result.snapshot, language)
    if summary and result.invited_by_id is not None:
        context |= comparisons.friend(result.snapshot, result.invited_by_id, language)
    share_url = sharing.absolute(request, reverse("quiz:result", args=[result.token]))
    context |= sharing.sharing(result.snapshot, result.language, share_url)
    context |= {
        # A friend sees the type, its line and the first three actions; the rest only as the
        # owner chose (each of these lets an answer be read).
        "show_profile": owner or result.share_profile,
        "show_warnings": owner or result.share_warnings,
        "show_answers": owner or result.share_answers,
        "friend_sees": friend_sees(
            result.share_profile, result.share_warnings, result.share_answers
        ),
        "result": result,
        "owner": owner,
        "friend": not owner,
        "summary": summary,
        "details": details,
        "criteria_updated": since.updated,
        "type_page": (result.snapshot.get("type") or {}).get("slug") in since.type_slugs,
        "og_image_url": sharing.absolute(
            request, reverse("quiz:result_image", args=[result.token])
        ),
    }
    return render_to_string("quiz/result.html", context, request)


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
