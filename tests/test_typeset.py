"""The `phrases` filter: a <wbr> between BudouX's phrases of Japanese text, nothing else
touched, English pages left alone, twice the same as once; and the pages as sent carry it."""

from __future__ import annotations

import budoux
import pytest
from django.test import Client
from django.utils import translation

from quiz.templatetags.typeset import phrases

PARSER = budoux.load_default_japanese_parser()


def test_a_wbr_goes_between_the_phrases_budoux_finds():
    text = "自分の「シマ」をつくるタイプ。情報収集は一緒に確かめましょう。"

    with translation.override("ja"):
        typeset = phrases(f"<p>{text}</p>")

    assert typeset == "<p>" + "<wbr>".join(PARSER.parse(text)) + "</p>"
    assert typeset.count("<wbr>") >= 4
    assert "情報収集" in typeset.split("<wbr>") or "情報収集は" in typeset.split("<wbr>")


def test_tags_attributes_escapes_and_what_must_stay_whole_are_left_alone():
    html = (
        '<a href="/q/?x=1&amp;y=2" title="人脈をつくる方法を確かめる">人脈&amp;交流会について考える</a>'
        "<svg><text>交流会に通うかどうか考える</text></svg><title>人脈をつくるタイプについて</title>"
        "<p>English only, nothing to do.</p>"
    )

    with translation.override("ja"):
        typeset = phrases(html)

    assert typeset.startswith('<a href="/q/?x=1&amp;y=2" title="人脈をつくる方法を確かめる">')
    assert "<wbr>" in typeset.split("</a>")[0]
    assert "&amp;" in typeset.split("</a>")[0].split(">", 1)[1]
    assert "<svg><text>交流会に通うかどうか考える</text></svg>" in typeset
    assert "<title>人脈をつくるタイプについて</title>" in typeset
    assert "<p>English only, nothing to do.</p>" in typeset


def test_twice_is_the_same_as_once_and_english_pages_are_left_alone():
    html = "<p>交流会で名刺を配るより、まず実績をつくりましょう。</p>"

    with translation.override("ja"):
        once = phrases(html)
        assert phrases(once) == once
    with translation.override("en"):
        assert phrases(html) == html


@pytest.mark.phrase_breaks
@pytest.mark.usefixtures("shipped_criteria")
@pytest.mark.parametrize("path", ["/", "/types/", "/sources/gaku-record-first/"])
def test_japanese_pages_are_sent_with_phrase_breaks_and_english_ones_without(path):
    japanese = Client(HTTP_ACCEPT_LANGUAGE="ja").get(path).content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(path).content.decode()

    assert japanese.count("<wbr>") > 20
    assert "<title>" in japanese and "<wbr>" not in japanese.split("</title>")[0]
    assert "<wbr>" not in english
