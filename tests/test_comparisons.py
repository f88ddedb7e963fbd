"""The owner's result beside an earlier one and beside the inviting friend's, from snapshots."""

from __future__ import annotations

from quiz import comparisons


def test_changes_names_the_same_type_and_unchanged_scores():
    frozen = {
        "type": {"slug": "a", "name": {"ja": "A", "en": "A (en)"}, "line": {"ja": "", "en": ""}},
        "profile": [{"dimension": "d", "name": {"ja": "実績", "en": "Record"}, "score": 10}],
        "recommendations": [{"slug": "x", "title": {"ja": "X", "en": "X (en)"}}],
    }

    assert comparisons.changes(frozen, frozen, "en") == {
        "type_before": "A (en)",
        "type_after": "A (en)",
        "type_changed": False,
        "axes": [],
        "new": [],
        "gone": [],
    }


def mine_and_theirs() -> tuple[dict[str, object], dict[str, object]]:
    def snapshot(kind: str, scores: dict[str, int], first: list[str], warned: list[str]):
        return {
            "type": {"slug": kind, "name": {"ja": kind, "en": kind}, "line": {"ja": "", "en": ""}},
            "profile": [
                {"dimension": d, "name": {"ja": d, "en": d.upper()}, "score": s}
                for d, s in scores.items()
            ],
            "recommendations": [{"slug": s, "title": {"ja": s, "en": s.upper()}} for s in first],
            "warnings": [{"slug": w, "title": {"ja": w, "en": w.upper()}} for w in warned],
        }

    return (
        snapshot("a", {"x": 10, "y": 50, "z": 80}, ["p", "q", "r", "s"], ["w1", "w2"]),
        snapshot("b", {"x": 20, "y": 90, "z": 60}, ["q", "t", "p"], ["w2"]),
    )


def test_with_a_friend_only_what_they_share_is_compared():
    mine, theirs = mine_and_theirs()

    hidden = comparisons.with_friend(
        mine, theirs, "en", shares_profile=False, shares_warnings=False, gifts={}
    )
    shared = comparisons.with_friend(
        mine, theirs, "en", shares_profile=True, shares_warnings=True, gifts={}
    )

    assert (hidden["both_first"], hidden["only_mine"], hidden["only_theirs"]) == (
        ["P", "Q"],
        ["R"],
        ["T"],
    )
    assert (hidden["axes"], hidden["common_warnings"], hidden["same_type"]) == ([], [], False)
    assert shared["axes"] == [
        {"name": "X", "mine": 10, "theirs": 20},
        {"name": "Y", "mine": 50, "theirs": 90},
        {"name": "Z", "mine": 80, "theirs": 60},
    ]
    # Within 15 points alike, 30 or more apart; 20 is neither.
    assert [a["name"] for a in shared["alike"]] == ["X"]
    assert [a["name"] for a in shared["apart"]] == ["Y"]
    assert shared["common_warnings"] == ["W2"]
