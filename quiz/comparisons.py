"""Comparisons on the owner's result page: with the friend whose invitation led to the result,
and with the results this browser took before it.

Both read only what they need of the other results, in one query each, and say what they find
in one language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from quiz import engine
from quiz.criteria import current_criteria
from quiz.models import Result
from quiz.snapshots import FIRST_SHOWN, localize, type_of

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


def friend(snapshot: dict[str, Any], inviting: int, language: str) -> dict[str, Any]:
    """The comparison with the friend whose invitation led to this result, as far as that friend
    shares (nothing once they delete theirs)."""
    theirs = (
        Result.objects.filter(pk=inviting, deleted_at__isnull=True)
        .only("token", "snapshot", "share_profile", "share_warnings")
        .first()
    )
    if theirs is None or not theirs.snapshot.get("type"):
        return {}
    gifts = {t.slug: t.gift for t in current_criteria().criteria.types}
    return {
        "with_friend": with_friend(
            snapshot,
            theirs.snapshot,
            language,
            shares_profile=theirs.share_profile,
            shares_warnings=theirs.share_warnings,
            gifts=gifts,
        ),
        "friend_url": reverse("quiz:result", args=[theirs.token]),
    }


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


def earlier(result: Result, cookies: Mapping[str, str]) -> list[dict[str, Any]]:
    """The results this browser took before `result`, newest first, as `comparison` reads them:
    one query."""
    return list(
        Result.objects.earlier_than(result, cookies).values("token", "created_at", *EARLIER_FIELDS)[
            :EARLIER_SHOWN
        ]
    )
