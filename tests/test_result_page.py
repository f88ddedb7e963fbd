"""The result page's context: a snapshot localized once, with its citation links built, and
each author introduced once."""

from __future__ import annotations

from quiz import engine, result_page
from tests import factories as f

CRITERIA = engine.criteria_from_dict(f.shipped_criteria())


def recommendation(slug: str) -> dict[str, object]:
    return {
        "slug": slug,
        "title": {"ja": slug, "en": slug},
        "why": {"ja": "理由", "en": "Why"},
        "citations": [
            {
                "source": "gaku-record-first",
                "section": "record",
                "source_title": "記事",
                "section_heading": {"ja": "見出し", "en": "Heading"},
            }
        ],
    }


def test_page_context_links_citations_and_folds_all_but_the_first_four():
    snapshot = {
        "answers": {"ja": "x", "en": "y"},  # a question slug that looks like a text stays raw
        "recommendations": [recommendation(f"s{n}") for n in range(6)],
        "warnings": [],
        "profile": [],
    }

    context = result_page.page_context(snapshot, "en")

    assert context["top"]["slug"] == "s0"
    assert [r["slug"] for r in context["others"]] == ["s1", "s2", "s3"]
    assert [r["slug"] for r in context["more"]] == ["s4", "s5"]
    assert context["top"]["citations"][0]["href"] == "/sources/gaku-record-first/#record"
    assert context["top"]["citations"][0]["section_heading"] == "Heading"
    assert "answers" not in context["snapshot"]


def test_each_author_is_introduced_at_the_first_mention_on_the_page_only():
    says = {
        "ja": "フリーランスエンジニアのガクさんは断ります。",
        "en": "Freelance engineer Gaku says no.",
    }
    snapshot = {
        "recommendations": [{**recommendation(f"s{n}"), "why": says} for n in range(5)],
        "warnings": [],
        "profile": [],
    }

    ja = result_page.page_context(snapshot, "ja")
    en = result_page.page_context(snapshot, "en")

    assert [r["why"] for r in [ja["top"], *ja["others"], *ja["more"]]] == [
        "フリーランスエンジニアのガクさんは断ります。"
    ] + ["ガクさんは断ります。"] * 4
    assert [r["why"] for r in [en["top"], *en["others"]]] == [
        "Freelance engineer Gaku says no.",
        "Gaku says no.",
        "Gaku says no.",
        "Gaku says no.",
    ]
    assert snapshot["recommendations"][1]["why"] == says  # the stored snapshot is untouched


def test_a_warning_or_an_action_before_the_first_reason_introduces_the_author_there():
    """The page reads warnings first, then each suggestion's action, steps and reason: the
    first of those that names an author introduces them, every later one shortens."""
    full = {"ja": "税理士の齋藤さんは離れました。", "en": "Tax accountant Saito left."}
    warning = {
        "slug": "w",
        "severity": 2,
        "title": {"ja": "注意", "en": "Warning"},
        "signs": full,
        "action": full,
        "reasons": [],
        "citations": [],
    }
    first = {**recommendation("s0"), "action": full, "steps": [full], "why": full}
    snapshot = {"recommendations": [first], "warnings": [warning], "profile": []}

    context = result_page.page_context(snapshot, "ja")

    shown = context["snapshot"]["warnings"][0]
    assert (shown["signs"], shown["action"]) == (
        "税理士の齋藤さんは離れました。",
        "齋藤さんは離れました。",
    )
    assert [context["top"]["action"], *context["top"]["steps"], context["top"]["why"]] == [
        "齋藤さんは離れました。"
    ] * 3
